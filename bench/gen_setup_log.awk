# Generates a large, realistic ExchangeSetup.log from the samples (bench/setup_log_bench.sh).
#   awk -v target=BYTES -v runs=N -v last=FAILING_SAMPLE -f gen_setup_log.awk SAMPLES...
# A real multi-GB setup log is a few setup runs with very long bodies (prerequisite evaluation,
# cmdlet tracing, AD session settings), so: `runs` runs, each opened by the [0] header of one of
# the samples and filled with the samples' non-error entries, with a fresh clock (every line
# gets a later timestamp) and varied server/DC names; then the whole failing sample `last`
# closes the log, so the cause to find sits at the very end.
BEGIN { nentries = 0; nheaders = 0; cur = -1 }

function stamped(s) { return s ~ /^\[[0-9][0-9]\/[0-9][0-9]\/[0-9][0-9][0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]\.[0-9]+\] \[[0-9]+\]/ }

# Collect: per file, the header lines ([0] lines before the first deeper one) and the entries
# (a stamped line plus its continuation lines) that carry no error, warning or outcome.
FNR == 1 { infile++; in_header = 1; cur = -1 }
{
    line = $0
    if (FILENAME == last) { lastlines[++nlast] = line; next }
    if (stamped(line)) {
        depth0 = (line ~ /^[^]]*\] \[0\]/)
        if (in_header && depth0) { header[infile, ++hcount[infile]] = line; cur = -1; next }
        in_header = 0
        if (line ~ /\[ERROR|\[WARNING|Starting Microsoft Exchange|didn't complete|stopping now|completed successfully|End of Setup|\] \[0\] /) { cur = -1; next }
        cur = ++nentries
        entry[cur] = substr(line, index(line, "]") + 1)   # the stamp is written anew on output
    } else if (cur > 0) {
        entry[cur] = entry[cur] "\n" line
    }
}

function two(n) { return (n < 10 ? "0" n : n) }

# The clock: one day per run, a few milliseconds per entry.
function stamp(   s, ms, hh, mi, ss) {
    clock += 3 + (emitted % 7)
    ms = clock % 86400000
    hh = int(ms / 3600000); mi = int(ms / 60000) % 60; ss = int(ms / 1000) % 60
    return "[" datepart " " two(hh) ":" two(mi) ":" two(ss) "." sprintf("%04d", (ms % 1000) * 10) "]"
}

function set_day(d,   m, dim) {
    # d = days after 2025-01-01, enough for a few hundred runs.
    split("31 28 31 30 31 30 31 31 30 31 30 31", dim, " ")
    m = 1
    while (d >= dim[m]) { d -= dim[m]; m++; if (m > 12) { m = 1 } }
    datepart = two(m) "/" two(d + 1) "/2025"
}

# Entries are stored without their stamp; header and last-sample lines still have theirs.
function emit(text, run) {
    if (stamped(text)) text = substr(text, index(text, "]") + 1)
    emit_body(text, run)
}

function emit_body(text, run) {
    if (run >= 0) {
        if (index(text, "EX01")) gsub(/EX01/, server, text)
        if (index(text, "DC01")) gsub(/DC01/, dc, text)
    }
    text = stamp() text
    print text
    written += length(text) + 1
    emitted++
}

END {
    if (nentries == 0) { print "gen_setup_log.awk: no entries found in the samples" > "/dev/stderr"; exit 2 }
    budget = (target - 20000) / runs
    for (r = 0; r < runs; r++) {
        set_day(r * 3)
        clock = 8 * 3600000 + r * 60000
        server = "EX" two(r % 40 + 1)
        f = r % infile + 1
        if (hcount[f] == 0) f = 1
        start = written
        for (k = 1; k <= hcount[f]; k++) emit(header[f, k], r)
        i = (r * 7919) % nentries
        n = 0
        while (written - start < budget) {
            i = i % nentries + 1
            dc = "DC" two((n / 1000) % 9 + 1)
            emit_body(entry[i], r)
            n++
        }
    }
    set_day(runs * 3 + 1)
    clock = 9 * 3600000
    for (k = 1; k <= nlast; k++) emit(lastlines[k], -1)
}
