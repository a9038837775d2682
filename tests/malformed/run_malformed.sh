#!/usr/bin/env bash
# Malformed-input suite: generates hostile inputs under the build folder (truncated samples,
# binary garbage, broken UTF-8/UTF-16, a 100 MB line, empty and unreadable files, a folder of
# junk) and runs the real `extriage analyze` on each, with a good sample after the bad ones.
# Every run must: exit 0, 1 or 2 (never a signal, a hang or a sanitizer report), name the bad
# file on stderr (with a line or offset where one applies), still report the good sample's
# findings, leave every input byte-for-byte unchanged, and stay within 1 GiB of address space
# (RLIMIT_AS, `ulimit -v`) and 30 s of CPU time. The hostile-* cases (issue 10) build inputs
# that need structure rather than mutation with make_hostile_inputs: deep nesting, references
# and templates that amplify, diagnostic floods, zips that lie or overlap, a million setup runs,
# and text that a terminal would obey; see tests/tools/hostile_inputs.hpp.
#
#   run_malformed.sh EXE SOURCE_DIR WORK_DIR CASE [MAKE_HOSTILE_INPUTS]
#   CASE: truncated | garbage | encoding | huge-line | empty | unreadable | junk-dir | regressions
#         | hostile-depth | hostile-amplification | hostile-floods | hostile-zip | hostile-output
# Under AddressSanitizer (which reserves terabytes of address space) the memory limit is not set
# and CPU time is only reported, and the hostile inputs are made 10 times smaller; under wine
# (the Windows build) there is no memory limit either and the inputs are 10 times smaller.
set -uo pipefail
export LC_ALL=C

exe="$1"
src="$2"
case_name="$4"
gen="${5:-}"
work="$3/$case_name"
good="${EXTRIAGE_GOOD_SAMPLE:-$src/samples/exchange-setup/services-disabled.log}"
per_run_timeout="${EXTRIAGE_MALFORMED_TIMEOUT:-300}"
mem_limit_mb="${EXTRIAGE_MALFORMED_MEM_MB:-1024}"   # per run, as RLIMIT_AS
cpu_limit_s="${EXTRIAGE_MALFORMED_CPU_S:-30}"       # per run, user + system time
asan=0
grep -qa "__asan_init" "$exe" 2>/dev/null && asan=1
# The Windows build runs through a generated script that starts wine (tests/CMakeLists.txt):
# wine reserves most of the address space when it starts, so no memory limit is set there either.
emulated=0
[[ "$(head -c 2 "$exe" 2>/dev/null)" == "#!" ]] && grep -q "wine" "$exe" && emulated=1
scale=1                                              # hostile inputs are divided by this
[[ $asan -eq 1 || $emulated -eq 1 ]] && scale=10

rm -rf "$work"
mkdir -p "$work"
fails=0
runs=0

fail() {
    echo "FAIL [$case_name] $*" >&2
    fails=$((fails + 1))
}

# Rules that fire for the good sample, as "rule" lines. Computed version-* advice is left out: it is
# reported once per build across all inputs, so it may attach to a (damaged) copy given earlier.
findings_of() {   # json-file path
    awk -v want="$2" '
        /^  "findings": \[/ { inside = 1; next }
        inside && /^  \]/ { inside = 0 }
        inside && /^      "rule": / { rule = $2 }
        inside && /^      "file": / {
            f = substr($0, index($0, ":") + 2); sub(/,$/, "", f)
            gsub(/\\\\/, "/", f)   # a Windows build joins found files with "\" (JSON: "\\")
            if (f == "\"" want "\"" && rule !~ /^"version-/) { gsub(/[",]/, "", rule); print rule }
        }' "$1" | sort -u
}

# A Windows build (run under wine) writes CRLF line ends: fold them so the checks read the same text.
strip_cr() {
    sed -i 's/\r$//' "$@"
}

hash_inputs() {
    local p
    for p in "$@"; do
        if [[ -d "$p" && ! -L "$p" ]]; then
            find "$p" -type f -readable -print0 2>/dev/null | sort -z | xargs -0 -r sha256sum 2>/dev/null
        elif [[ -f "$p" && -r "$p" && "$p" != /proc/* ]]; then
            sha256sum "$p"
        fi
    done
}

# run_limited OUT ERR CMD...: runs CMD with stdout/stderr to OUT/ERR under the memory limit
# (RLIMIT_AS) and a hard CPU limit, with a wall-clock timeout. Sets rc and cpu_used (seconds of
# user + system time), and fails the check when the CPU time is over cpu_limit_s.
run_limited() {
    local out="$1" err="$2"
    shift 2
    local tfile="$work/times-$runs"
    rc=0
    (
        [[ $asan -eq 0 && $emulated -eq 0 && $mem_limit_mb -gt 0 ]] && ulimit -v $((mem_limit_mb * 1024))
        [[ $asan -eq 0 && $cpu_limit_s -gt 0 ]] && ulimit -t $((cpu_limit_s * 2))   # the hard stop
        r=0
        MALLOC_ARENA_MAX=4 timeout -k 10 "$per_run_timeout" "$@" >"$out" 2>"$err" || r=$?
        times >"$tfile"
        exit $r
    ) || rc=$?
    # `times`: the shell's user and system time, then its children's ("0m1.250s 0m0.080s").
    cpu_used=$(awk 'NR == 2 { split($1, u, "m"); split($2, s, "m"); printf "%.1f", u[1] * 60 + u[2] + s[1] * 60 + s[2] }' "$tfile")
    if [[ $asan -eq 0 && $cpu_limit_s -gt 0 ]] && awk -v c="$cpu_used" -v l="$cpu_limit_s" 'BEGIN { exit !(c > l) }'; then
        fail "run $runs: ${cpu_used}s of CPU time, over the limit of ${cpu_limit_s}s: $*"
    fi
}

# check_exit LABEL ERRFILE: the exit code is 0, 1 or 2 and no sanitizer or abort was reported.
check_exit() {
    local label="$1" err="$2"
    if [[ $rc -eq 124 || $rc -eq 137 ]]; then
        fail "$label: timed out after ${per_run_timeout}s (hang?)"
    elif [[ $rc -gt 2 ]]; then
        fail "$label: exit code $rc (a signal, a resource limit or an unexpected code); stderr: $(head -c 2000 "$err")"
    fi
}

# analyze_check LABEL [--named FILE]... [--located FILE]... [--says REGEX]... [--args ARG]... -- INPUT...
#   --named FILE     stderr must have a diagnostic starting with FILE
#   --located FILE   ... and it must carry a line (FILE:N:) or an offset (FILE:offset N:)
#   --says REGEX     stderr must have a line matching REGEX (grep -E)
#   --args ARG       passed to `extriage analyze` (repeatable)
# The good sample is appended to the inputs; its findings must be in the JSON.
analyze_check() {
    local label="$1"
    shift
    local named=() located=() says=() extra=() inputs=()
    while [[ $# -gt 0 ]]; do
        case "$1" in
            --named) named+=("$2"); shift 2 ;;
            --located) located+=("$2"); shift 2 ;;
            --says) says+=("$2"); shift 2 ;;
            --args) extra+=("$2"); shift 2 ;;
            --) shift; inputs=("$@"); break ;;
            *) echo "analyze_check: bad argument $1" >&2; exit 2 ;;
        esac
    done
    runs=$((runs + 1))
    local out="$work/run-$runs.json" err="$work/run-$runs.err"
    local before after
    before="$(hash_inputs "${inputs[@]}" "$good")"
    run_limited "$out" "$err" "$exe" analyze --format json --color never --today 2026-11-22 "${extra[@]}" \
        "${inputs[@]}" "$good"
    strip_cr "$out" "$err"
    after="$(hash_inputs "${inputs[@]}" "$good")"
    check_exit "$label" "$err"
    if grep -qE 'AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|runtime error:|terminate called|Assertion .* failed' "$err"; then
        fail "$label: sanitizer or abort report:"
        head -n 40 "$err" >&2
    fi
    [[ "$before" == "$after" ]] || fail "$label: an input file changed on disk"
    local want got
    want="$baseline"
    got="$(findings_of "$out" "$good")"
    if [[ "$got" != "$want" ]]; then
        fail "$label: the good sample after the bad input lost its findings (want: $(echo $want), got: $(echo $got))"
    fi
    local f
    for f in "${named[@]}"; do
        grep -qF -- "$f:" "$err" || grep -qF -- "$f!" "$err" || fail "$label: stderr does not name $f; stderr: $(head -c 1000 "$err")"
    done
    for f in "${located[@]}"; do
        # grep -c, not -q: with pipefail, -q stopping early would fail the first grep (SIGPIPE).
        grep -F -- "$f:" "$err" | grep -cE -- ':[0-9]+(:[0-9]+)?: |:offset [0-9]+: ' >/dev/null \
            || fail "$label: stderr has no line or offset for $f; stderr: $(head -c 1000 "$err")"
    done
    local r
    for r in "${says[@]}"; do
        grep -qE -- "$r" "$err" || fail "$label: stderr has no line matching '$r'; stderr: $(head -c 1000 "$err")"
    done
    echo "  $label: exit $rc, ${cpu_used}s CPU, $(wc -l <"$err") diagnostic line(s)"
    # Every diagnostic line names one of the inputs (or is extriage's own summary line, or about
    # its own build table: "... [versions]", e.g. the table being more than 90 days old).
    local line ok p
    while IFS= read -r line; do
        [[ -z "$line" || "$line" == extriage:* || "$line" == *"[versions]" ]] && continue
        ok=0
        for p in "${inputs[@]}" "$good"; do
            [[ "$line" == "$p"* ]] && { ok=1; break; }
        done
        [[ $ok -eq 1 ]] || { fail "$label: diagnostic names no input: $line"; break; }
    done <"$err"
}

# Deterministic pseudo-random bytes: rand_bytes SEED COUNT
rand_bytes() {
    awk -v seed="$1" -v n="$2" 'BEGIN { srand(seed); for (i = 0; i < n; i++) printf "%c", int(rand() * 256) }'
}

# The rules the good sample triggers on its own.
[[ -x "$exe" ]] || { echo "no executable $exe" >&2; exit 2; }
[[ -f "$good" ]] || { echo "no good sample $good" >&2; exit 2; }
"$exe" analyze --format json --color never --today 2026-11-22 "$good" >"$work/baseline.json" 2>"$work/baseline.err"
strip_cr "$work/baseline.json" "$work/baseline.err"
baseline="$(findings_of "$work/baseline.json" "$good")"
if [[ -z "$baseline" ]]; then
    echo "the good sample $good has no findings on its own; pick another with EXTRIAGE_GOOD_SAMPLE" >&2
    exit 2
fi

case "$case_name" in
truncated)
    # Every sample cut at several offsets (inside headers, mid-line, mid-UTF-16 unit, one byte short).
    mapfile -t samples < <(find "$src/samples" -type f ! -name '*.md' ! -name 'README*' | sort)
    for s in "${samples[@]}"; do
        size=$(stat -c %s "$s")
        rel="${s#"$src/samples/"}"
        base="${rel//\//__}"
        stem="${base%.*}"
        ext="${base##*.}"
        [[ "$ext" == "$base" ]] && ext="dat"
        cuts=()
        for o in 1 2 3 17 100 4095 4097 $((size / 4)) $((size / 2)) $((size / 2 + 1)) $((size * 3 / 4)) $((size - 1)); do
            ((o > 0 && o < size)) || continue
            [[ " ${cuts[*]} " == *" $o "* ]] && continue
            cuts+=("$o")
        done
        files=()
        for o in "${cuts[@]}"; do
            f="$work/$stem.cut$o.$ext"
            head -c "$o" "$s" >"$f"
            files+=("$f")
        done
        [[ ${#files[@]} -gt 0 ]] && analyze_check "$rel cut at ${cuts[*]}" -- "${files[@]}"
    done
    ;;

garbage)
    g="$work/garbage"
    mkdir -p "$g"
    rand_bytes 1 65536 >"$g/random.bin"
    rand_bytes 2 300 >"$g/random-small.log"
    { printf 'PK\003\004'; rand_bytes 3 5000; } >"$g/fake-zip.zip"
    { printf 'PK\005\006'; rand_bytes 4 18; } >"$g/fake-empty-zip.zip"
    { printf 'ElfFile\000'; rand_bytes 5 70000; } >"$g/fake-header.evtx"
    { printf 'ElfFile\000'; head -c 4088 /dev/zero; printf 'ElfChnk\000'; rand_bytes 6 65528; } >"$g/fake-chunk.evtx"
    head -c 8192 /dev/zero >"$g/nuls.log"
    { for i in $(seq 1 200); do printf '[11/05/2024 20:14:%02d.%04d] [%d] ' $((i % 60)) "$i" $((i % 3)); rand_bytes "$i" 40 | tr -d '\n\r'; printf '\r\n'; done; } >"$g/stamped-garbage.log"
    { printf '\357\273\277<?xml version="1.0"?><Events><Event><System>'; rand_bytes 7 2000; } >"$g/broken.xml"
    { printf '=== Verbose logging started: 1/2/2024  3:04:05  Build type: SHIP UNICODE 5.00.10011.00  Calling process: '; rand_bytes 8 3000; } >"$g/msi-ish.log"
    { printf 'Connecting to "DC01"\r\nLogging in as current user using SSPI\r\nImporting directory from file "x.ldf"\r\nAdd error on entry starting on line '; rand_bytes 9 2000; } >"$g/ldif-ish.err"
    for f in "$g"/*; do
        # The end record of an empty zip with a junk comment is a valid empty zip: nothing to name.
        if [[ "$f" == */fake-empty-zip.zip ]]; then
            analyze_check "garbage $(basename "$f")" -- "$f"
        else
            analyze_check "garbage $(basename "$f")" --named "$f" -- "$f"
        fi
    done
    analyze_check "all garbage files at once" -- "$g"/*
    ;;

encoding)
    e="$work/enc"
    mkdir -p "$e"
    # Invalid UTF-8 inside the good sample: a bad pair, 0xFF, a UTF-8-encoded surrogate, an
    # overlong '/', and a sequence cut by the end of the file. Line 4 gets ten valid UTF-8
    # letters, so the file stays UTF-8 (decode.hpp: more valid than invalid sequences).
    awk 'NR == 4 { $0 = $0 " \303\204\303\226\303\234\303\244\303\266\303\274\303\237\303\251\303\250\303\261" }
         NR == 5 { $0 = $0 "\303(" } NR == 9 { $0 = $0 "\377" } NR == 12 { $0 = $0 "\355\240\200" }
         NR == 15 { $0 = $0 "\300\257" } { print }' "$good" >"$e/utf8-invalid.log"
    printf '\342\202' >>"$e/utf8-invalid.log"
    # The same stray bytes without UTF-8 letters: an ANSI (Windows-1252) file, said in a note.
    awk 'NR == 5 { $0 = $0 " j\374rgen" } NR == 9 { $0 = $0 "\377" } { print }' "$good" >"$e/ansi.log"
    utf16() { iconv -f UTF-8 -t "$1" "$good"; }
    { printf '\377\376'; utf16 UTF-16LE; printf 'X'; } >"$e/utf16le-odd-length.log"
    { printf '\377\376'; utf16 UTF-16LE | head -c 2000; printf '\000\330A\000\r\000\n\000'; utf16 UTF-16LE | tail -c +2001; } >"$e/utf16le-lone-high-surrogate.log"
    { printf '\377\376'; utf16 UTF-16LE | head -c 3000; printf '\000\334\r\000\n\000'; utf16 UTF-16LE | tail -c +3001; } >"$e/utf16le-lone-low-surrogate.log"
    { printf '\377\376'; utf16 UTF-16LE; printf '\075\330'; } >"$e/utf16le-surrogate-at-eof.log"
    { printf '\376\377'; utf16 UTF-16BE; printf '\330\000'; } >"$e/utf16be-bom.log"
    utf16 UTF-16LE | head -c 5001 >"$e/utf16le-no-bom-cut.log"
    { printf '\357\273\277'; head -c 3000 "$good"; head -c 512 /dev/zero; tail -c +3001 "$good"; } >"$e/utf8-bom-with-nuls.log"
    { printf '\377\376'; head -c 4000 "$good"; } >"$e/utf16-bom-utf8-body.log"
    analyze_check "invalid UTF-8" --located "$e/utf8-invalid.log" -- "$e/utf8-invalid.log"
    grep -qE "^$e/utf8-invalid.log:5: warning: .*invalid" "$work/run-$runs.err" \
        || fail "invalid UTF-8: no warning pointing at line 5: $(cat "$work/run-$runs.err")"
    analyze_check "ANSI" --located "$e/ansi.log" -- "$e/ansi.log"
    grep -qE "^$e/ansi.log:1: note: .*Windows-1252" "$work/run-$runs.err" \
        || fail "ANSI: no note that the file was read as Windows-1252: $(cat "$work/run-$runs.err")"
    ! grep -qE "^$e/ansi.log:.*U\+FFFD" "$work/run-$runs.err" \
        || fail "ANSI: bytes replaced with U+FFFD: $(cat "$work/run-$runs.err")"
    for f in "$e"/utf16* "$e"/utf8-bom-with-nuls.log; do
        analyze_check "$(basename "$f")" -- "$f"
    done
    analyze_check "lone surrogate warning" --located "$e/utf16le-lone-high-surrogate.log" -- "$e/utf16le-lone-high-surrogate.log"
    ;;

huge-line)
    h="$work/huge"
    mkdir -p "$h"
    # 100 MB without a newline: a stamped one (the exchange-setup parser takes it), plain text
    # (no parser does), and the good sample followed by such a tail.
    { printf '[11/05/2024 20:14:02.3310] [0] '; head -c 100000000 /dev/zero | tr '\0' 'x'; } >"$h/stamped-100mb.log"
    head -c 100000000 /dev/zero | tr '\0' 'A' >"$h/plain-100mb.log"
    { cat "$good"; head -c 100000000 /dev/zero | tr '\0' 'y'; } >"$h/good-then-100mb.log"
    analyze_check "100 MB stamped line" --located "$h/stamped-100mb.log" -- "$h/stamped-100mb.log"
    grep -qE "^$h/stamped-100mb.log:1: warning: " "$work/run-$runs.err" \
        || fail "100 MB line: no warning at line 1: $(cat "$work/run-$runs.err")"
    analyze_check "100 MB unrecognised line" --named "$h/plain-100mb.log" -- "$h/plain-100mb.log"
    analyze_check "good log then a 100 MB line" --located "$h/good-then-100mb.log" -- "$h/good-then-100mb.log"
    # Memory stays bounded by the line cap (16 MiB) and buffers, not by the 100 MB.
    if [[ -x /usr/bin/time ]]; then
        /usr/bin/time -f '%M' -o "$h/rss" "$exe" analyze --format json "$h/stamped-100mb.log" >/dev/null 2>&1
        rss_kb=$(tail -n 1 "$h/rss")
        limit_kb=$((${EXTRIAGE_MALFORMED_RSS_LIMIT_MB:-600} * 1024))
        [[ "$rss_kb" =~ ^[0-9]+$ && $rss_kb -lt $limit_kb ]] \
            || fail "100 MB line: peak RSS ${rss_kb} KB is over ${limit_kb} KB"
    fi
    rm -f "$h"/*.log
    ;;

empty)
    m="$work/empty"
    mkdir -p "$m"
    : >"$m/empty.log"
    printf '\357\273\277' >"$m/utf8-bom-only.log"
    printf '\377\376' >"$m/utf16-bom-only.log"
    printf '\n\n\r\n\r' >"$m/newlines-only.log"
    printf '   \t  ' >"$m/spaces-only.log"
    : >"$m/empty.evtx"
    : >"$m/empty.zip"
    for f in "$m"/*; do
        analyze_check "$(basename "$f")" --named "$f" -- "$f"
    done
    mkdir -p "$m/dir"
    analyze_check "an empty folder" -- "$m/dir"
    ;;

unreadable)
    u="$work/unreadable"
    mkdir -p "$u"
    cp "$good" "$u/copy.log"
    ln -s "$u/does-not-exist.log" "$u/dangling.log"
    analyze_check "dangling symlink" --named "$u/dangling.log" -- "$u/dangling.log"
    analyze_check "a path through a file" --named "$u/copy.log/inner.log" -- "$u/copy.log/inner.log"
    # Root reads through chmod 000, so use a file whose read() fails for everyone instead:
    # /proc/self/mem opens fine but reading offset 0 gives EIO.
    analyze_check "read error (EIO)" --named /proc/self/mem -- /proc/self/mem
    if [[ $(id -u) -ne 0 ]]; then
        cp "$good" "$u/no-permission.log"
        chmod 000 "$u/no-permission.log"
        analyze_check "chmod 000" --named "$u/no-permission.log" -- "$u/no-permission.log"
        chmod 600 "$u/no-permission.log"
    else
        echo "running as root: chmod 000 does not block reads, tested /proc/self/mem instead"
    fi
    # A folder given where a file is expected is walked; a folder nobody can list is skipped.
    mkdir -p "$u/ExchangeSetup.log"
    analyze_check "a folder named like a log" -- "$u/ExchangeSetup.log"
    ;;

junk-dir)
    j="$work/junk"
    mkdir -p "$j/nested/deeper" "$j/ExchangeSetupLogs"
    : >"$j/empty.log"
    rand_bytes 11 20000 >"$j/garbage.bin"
    { printf 'PK\003\004'; rand_bytes 12 3000; } >"$j/fake.zip"
    bundle=$(find "$src/samples" -name '*.zip' | sort | head -n 1)
    if [[ -n "$bundle" ]]; then
        size=$(stat -c %s "$bundle")
        head -c $((size / 2)) "$bundle" >"$j/truncated-bundle.zip"
        head -c $((size - 30)) "$bundle" >"$j/nested/bundle-no-end.zip"
    fi
    { printf 'ElfFile\000'; rand_bytes 13 9000; } >"$j/System.evtx"
    { printf '\377\376'; iconv -f UTF-8 -t UTF-16LE "$good" | head -c 7777; } >"$j/ExchangeSetupLogs/cut-utf16.log"
    head -c 5000 "$good" >"$j/nested/deeper/ExchangeSetup-cut.log"
    ln -s .. "$j/nested/loop"
    ln -s "$j/missing" "$j/dangling"
    if [[ $(id -u) -ne 0 ]]; then
        cp "$good" "$j/nested/no-permission.log"
        chmod 000 "$j/nested/no-permission.log"
        mkdir -p "$j/locked" && chmod 000 "$j/locked"
    fi
    cp "$good" "$j/ExchangeSetupLogs/ExchangeSetup.log"
    runs_before=$runs
    analyze_check "folder of junk" -- "$j"
    got="$(findings_of "$work/run-$runs.json" "$j/ExchangeSetupLogs/ExchangeSetup.log")"
    [[ "$got" == "$baseline" ]] || fail "folder of junk: the good log inside lost its findings (got: $(echo $got))"
    # The loop nested/loop -> .. is not walked (a link; under wine, which shows it as a plain
    # folder, because the folder it leads to was walked already).
    if grep -qE 'nested[/\\]+loop' "$work/run-$runs.json" "$work/run-$runs.err"; then
        fail "folder of junk: the link nested/loop was followed"
    fi
    chmod -R u+rwX "$j" 2>/dev/null || true
    ;;

regressions)
    # Crashers found by scripts/fuzz.sh, one folder per parser (or rules/ and archive/).
    r="$src/tests/malformed/regressions"
    found=0
    for d in "$r"/*/; do
        [[ -d "$d" ]] || continue
        kind="$(basename "$d")"
        for f in "$d"*; do
            [[ -f "$f" ]] || continue
            found=$((found + 1))
            case "$kind" in
                rules)
                    runs=$((runs + 1))
                    cp "$f" "$work/$(basename "$f")"
                    rc=0
                    timeout -k 10 "$per_run_timeout" "$exe" rules test --rules "$work/$(basename "$f")" \
                        >"$work/run-$runs.out" 2>"$work/run-$runs.err" || rc=$?
                    [[ $rc -le 2 ]] || fail "rules regression $(basename "$f"): exit code $rc"
                    grep -qE 'Sanitizer|runtime error:' "$work/run-$runs.err" && fail "rules regression $(basename "$f"): sanitizer report"
                    ;;
                archive)
                    analyze_check "archive regression $(basename "$f")" -- "$f"
                    ;;
                *)
                    # Exactly as the fuzzer fed it (forced parser), then sniffed next to the good sample.
                    runs=$((runs + 1))
                    rc=0
                    timeout -k 10 "$per_run_timeout" "$exe" analyze --format json --parser "$kind" "$f" \
                        >"$work/run-$runs.json" 2>"$work/run-$runs.err" || rc=$?
                    [[ $rc -le 2 ]] || fail "$kind regression $(basename "$f"): exit code $rc; $(head -c 2000 "$work/run-$runs.err")"
                    grep -qE 'Sanitizer|runtime error:' "$work/run-$runs.err" && { fail "$kind regression $(basename "$f"): sanitizer report"; head -n 30 "$work/run-$runs.err" >&2; }
                    analyze_check "$kind regression $(basename "$f")" -- "$f"
                    ;;
            esac
        done
    done
    echo "$found regression inputs replayed"
    ;;

hostile-depth)
    # Recursion that follows the input: each used to overflow the stack.
    d="$work/depth"
    mkdir -p "$d"
    # records_of JSON FILE-SUFFIX PARSER: the record count the report gives for that file.
    records_of() {
        grep -zoE "\"path\": \"[^\"]*$2\",[[:space:]]*\"parser\": \"$3\",[[:space:]]*\"records\": [0-9]+" "$1" \
            | tr '\0' '\n' | grep -oE '[0-9]+$' | head -n 1
    }
    "$gen" clixml-deep "$d/EX01_Application.xml" $((20000 / scale))
    analyze_check "CLIXML nested 20,000 deep" --located "$d/EX01_Application.xml" \
        --says "EX01_Application.xml:[0-9]+: (error|warning): object at byte offset [0-9]+ skipped: objects nested more than" \
        -- "$d/EX01_Application.xml"
    [[ "$(records_of "$work/run-$runs.json" EX01_Application.xml event-clixml)" == 1 ]] \
        || fail "CLIXML nested deep: the event after the deep object was not read"
    "$gen" clixml-deep "$d/EX02_Application.xml" 100000
    analyze_check "CLIXML nested 100,000 deep (200,000 tags)" --located "$d/EX02_Application.xml" \
        --says "EX02_Application.xml:[0-9]+: (error|warning): object at byte offset [0-9]+ holds more than 100000 elements" \
        -- "$d/EX02_Application.xml"
    [[ "$(records_of "$work/run-$runs.json" EX02_Application.xml event-clixml)" == 1 ]] \
        || fail "CLIXML with 200,000 tags: the event after it was not read"
    "$gen" event-xml-deep "$d/deep-userdata.xml" $((45000 / scale))
    analyze_check "Event XML with UserData nested 45,000 deep" -- "$d/deep-userdata.xml"
    [[ "$(records_of "$work/run-$runs.json" deep-userdata.xml event-xml)" == 2 ]] || fail "deep UserData: both events should be read"
    "$gen" event-xml-deep "$d/deeper-userdata.xml" 75000
    analyze_check "Event XML with UserData nested 75,000 deep" --located "$d/deeper-userdata.xml" \
        --says "deeper-userdata.xml:1: (error|warning): event at byte offset 0 holds more than 100000 elements" -- "$d/deeper-userdata.xml"
    [[ "$(records_of "$work/run-$runs.json" deeper-userdata.xml event-xml)" == 1 ]] \
        || fail "UserData with 150,000 tags: the event after it was not read"
    # A folder nested 12,000 deep: walked to a fixed depth, named, in bounded memory and time.
    # Under wine, 100 levels made by mkdir (past the walk's limit of 64): the Windows generator has
    # no *at() calls to nest thousands of levels with short paths.
    if [[ $emulated -eq 1 ]]; then
        mkdir -p "$d/tree/$(printf 'd/%.0s' $(seq 1 100))" && cp "$good" "$d/tree/$(printf 'd/%.0s' $(seq 1 100))ExchangeSetup.log"
    else
        "$gen" deep-folder "$d/tree" $((12000 / scale))
    fi
    analyze_check "a folder nested 12,000 deep" --says "^$d/tree[/\\]d[/\\]d[/\\].*: warning: folder nested more than [0-9]+ levels deep" \
        -- "$d/tree"
    if [[ $emulated -eq 1 ]]; then rm -rf "$d/tree"; else "$gen" remove-deep-folder "$d/tree"; fi
    # Batch triage: one bundle with the deep objects among 40 good ones; every bundle gets its row.
    for i in $(seq -w 1 40); do
        mkdir -p "$d/collection/EX$i/ExchangeSetupLogs"
        cp "$good" "$d/collection/EX$i/ExchangeSetupLogs/ExchangeSetup.log"
    done
    mkdir -p "$d/collection/EX99"
    cp "$d/EX01_Application.xml" "$d/collection/EX99/EX99_Application.xml"
    runs=$((runs + 1))
    run_limited "$work/run-$runs.csv" "$work/run-$runs.err" "$exe" batch --format csv --today 2026-11-22 "$d/collection"
    check_exit "batch with a deep bundle" "$work/run-$runs.err"
    rows=$(grep -c '^/' "$work/run-$runs.csv")
    [[ $rows -eq 41 ]] || fail "batch with a deep bundle: $rows rows instead of 41"
    grep -qE '^[^ ]*EX99_Application.xml:[0-9]+: (error|warning): object at byte offset' "$work/run-$runs.err" \
        || fail "batch with a deep bundle: the deep object is not named: $(head -c 1000 "$work/run-$runs.err")"
    echo "  batch of 41 bundles with a deep one: exit $rc, ${cpu_used}s CPU"
    ;;

hostile-amplification)
    a="$work/amp"
    mkdir -p "$a"
    # 1,000 <Ref>s to one 500 KB object in each of three events: shared, not copied; the copies
    # the events would make are charged to a budget and the events are skipped with a diagnostic.
    "$gen" clixml-refs "$a/EX01_System.xml" $((500000 / scale)) 1000 3
    analyze_check "CLIXML <Ref> amplification" --located "$a/EX01_System.xml" \
        --says "EX01_System.xml:[0-9]+: (error|warning): object at byte offset [0-9]+ skipped: (the object's values expand|values copied through references)" \
        -- "$a/EX01_System.xml"
    # Records that replay a template 1,000 times: decoded output is bounded in flight and per file.
    "$gen" evtx-expanding "$a/expanding.evtx" $((32 / scale + 1))
    analyze_check "EVTX that expands 500:1" --located "$a/expanding.evtx" --says "expanding.evtx:offset [0-9]+: (error|warning): chunk [0-9]+: " \
        -- "$a/expanding.evtx"
    analyze_check "EVTX that expands 500:1, one thread" --args --threads --args 1 --located "$a/expanding.evtx" -- "$a/expanding.evtx"
    # Records whose nested templates cost a million BinXML operations each: a per-file budget.
    "$gen" evtx-cpu "$a/cpu.evtx" $((64 / scale + 1))
    analyze_check "EVTX that burns CPU" --located "$a/cpu.evtx" \
        --says "cpu.evtx:offset [0-9]+: (error|warning): chunk [0-9]+: the file's decoding budget is spent" -- "$a/cpu.evtx"
    ;;

hostile-floods)
    f="$work/floods"
    mkdir -p "$f"
    # 64 chunks of bad records: 520,000 errors become 20 and one line saying how many more.
    "$gen" evtx-flood "$f/flood.evtx" $((64 / scale + 1))
    analyze_check "EVTX diagnostic flood" --located "$f/flood.evtx" \
        --says "^$f/flood.evtx: note: [0-9]+ more like this suppressed" -- "$f/flood.evtx"
    lines=$(wc -l <"$work/run-$runs.err")
    [[ $lines -lt 100 ]] || fail "EVTX diagnostic flood: $lines lines on stderr"
    # A million setup runs: the last 1,000 are kept, the JSON report is written.
    "$gen" setup-runs "$f/ExchangeSetup.log" $((1000000 / scale))
    analyze_check "a million setup runs" --says "ExchangeSetup.log: note: [0-9]+ runs: only the last 1000" -- "$f/ExchangeSetup.log"
    rm -f "$f/ExchangeSetup.log"
    # 100,000 files in one folder.
    "$gen" many-files "$f/many" $((100000 / scale))
    analyze_check "100,000 files in one folder" -- "$f/many"
    # The same with too little memory for them: a clear error and exit 2, never an abort. (ASan
    # and wine reserve much of the address space, so there is no memory limit to run into there.)
    if [[ $asan -eq 0 && $emulated -eq 0 ]]; then
        for format in json text; do
            runs=$((runs + 1))
            saved_limit=$mem_limit_mb
            mem_limit_mb=300
            run_limited "$work/run-$runs.out" "$work/run-$runs.err" "$exe" analyze --format $format --today 2026-11-22 "$f/many"
            mem_limit_mb=$saved_limit
            [[ $rc -eq 2 ]] || fail "100,000 files in 300 MiB ($format): exit $rc instead of 2; stderr: $(head -c 1000 "$work/run-$runs.err")"
            grep -q '^extriage: error: out of memory while analysing the inputs or writing the report' "$work/run-$runs.err" \
                || fail "100,000 files in 300 MiB ($format): no out-of-memory error: $(head -c 1000 "$work/run-$runs.err")"
            echo "  100,000 files in 300 MiB ($format): exit $rc, ${cpu_used}s CPU"
        done
    fi
    rm -rf "$f/many"
    ;;

hostile-zip)
    z="$work/zip"
    mkdir -p "$z"
    # 200 members whose data overlap: refused before anything is inflated.
    "$gen" zip-overlap "$z/overlap.zip" 1000000 200
    analyze_check "zip members that overlap" --named "$z/overlap.zip" --says "overlap.zip: (error|warning): members .* overlap in the file" \
        -- "$z/overlap.zip"
    # A member that declares 1 KB and inflates to 50 MB: stopped at its declared size.
    "$gen" zip-lying "$z/lying.zip" $((50000000 / scale)) 1000 "$good"
    analyze_check "zip member that lies about its size" --says "lying.zip!lying.log: (error|warning): member holds more data than" \
        -- "$z/lying.zip"
    # Walking a nested zip inflates it out of its parent: counted against --max-total-size.
    "$gen" zip-nested "$z/nested.zip" $((50000000 / scale)) "$good"
    analyze_check "nested zip walked past --max-total-size" --args --max-total-size --args $((10 / scale + 1))M \
        --says "nested.zip!inner.zip: (error|warning): .*--max-total-size" -- "$z/nested.zip"
    ;;

hostile-output)
    o="$work/output"
    mkdir -p "$o/bundles/EX02" "$o/bundles/EX03"
    "$gen" setup-controls "$o/ExchangeSetup.log" "$good"
    "$gen" zip-names "$o/names.zip" "$good"
    "$gen" event-xml-computer "$o/formula_Application.xml" '=HYPERLINK("http://example.invalid/?x","click")'
    cp "$o/ExchangeSetup.log" "$o/bundles/EX02/ExchangeSetup.log"
    "$gen" event-xml-computer "$o/bundles/EX03/events.xml" '+cmd|calc!A0'
    # raw_controls FILE ALLOW_CR: prints the first line holding a character a terminal would act on.
    raw_controls() {
        if [[ "$2" == cr ]]; then
            LC_ALL=C grep -naP '[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\r(?!$)|\xc2[\x80-\x9f]|\xe2\x80[\x8b-\x8f\xaa-\xae]|\xe2\x81[\xa0-\xa9]|\xef\xbb\xbf' "$1" | head -n 1
        else
            LC_ALL=C grep -naP '[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\x8b-\x8f\xaa-\xae]|\xe2\x81[\xa0-\xa9]|\xef\xbb\xbf' "$1" | head -n 1
        fi
    }
    inputs=("$o/ExchangeSetup.log" "$o/names.zip" "$o/formula_Application.xml")
    analyze_check "escape sequences in inputs (JSON)" -- "${inputs[@]}"
    for cmd in "analyze --format text --color never" "analyze --format text --color always" "analyze --format json" \
               "timeline --format text" "timeline --format json" "batch --format text" "batch --format csv" \
               "batch --format jsonl"; do
        runs=$((runs + 1))
        # shellcheck disable=SC2086
        if [[ $cmd == batch* ]]; then
            run_limited "$o/out-$runs" "$o/err-$runs" "$exe" $cmd --today 2026-11-22 "$o/bundles" "$o/names.zip" "$o/ExchangeSetup.log"
        else
            run_limited "$o/out-$runs" "$o/err-$runs" "$exe" $cmd --today 2026-11-22 "${inputs[@]}"
        fi
        check_exit "$cmd" "$o/err-$runs"
        # A CR is allowed before a line end in CSV (RFC 4180) and in all output of the Windows build
        # (CRLF line ends), nowhere else.
        crlf=""
        [[ $emulated -eq 1 ]] && crlf=cr
        allow="$crlf"
        [[ $cmd == *csv* ]] && allow=cr
        bad="$(raw_controls "$o/out-$runs" "$allow")"
        if [[ $cmd == *"--color always"* ]]; then
            # Our own colours are the only escapes: SGR sequences, nothing else (and CRLF line ends
            # in the Windows build).
            strip='s/\x1b\[[0-9;]*m//g'
            [[ -n "$crlf" ]] && strip="$strip; s/\r\$//"
            bad="$(sed -E "$strip" "$o/out-$runs" | LC_ALL=C grep -naP '[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\x8b-\x8f\xaa-\xae]|\xe2\x81[\xa0-\xa9]' | head -n 1)"
        fi
        [[ -z "$bad" ]] || fail "$cmd: a raw control character reached stdout: $(printf '%s' "$bad" | od -c | head -n 3)"
        bad="$(raw_controls "$o/err-$runs" "$crlf")"
        [[ -z "$bad" ]] || fail "$cmd: a raw control character reached stderr: $(printf '%s' "$bad" | od -c | head -n 3)"
        if grep -qE '^(EX01\.log:1|forged\.log): error: forged' "$o/err-$runs" "$o/out-$runs"; then
            fail "$cmd: a forged diagnostic line starts a line of output"
        fi
        if [[ $cmd == *csv* ]]; then
            bad="$(LC_ALL=C grep -naE '(^|,)"?[=+@-]' "$o/out-$runs" | head -n 1)"
            [[ -z "$bad" ]] || fail "batch csv: a cell starts with a formula character: $bad"
            grep -c "'+CMD" "$o/out-$runs" >/dev/null || fail "batch csv: the formula-looking server was not defused: $(cat "$o/out-$runs")"
        fi
        echo "  $cmd: exit $rc, ${cpu_used}s CPU"
    done
    # A FIFO given explicitly says once that it waits for its writer. (Windows has no FIFOs: a
    # Unix one is not opened through wine, and its writer would wait for ever.)
    if [[ $emulated -eq 0 ]]; then
        mkfifo "$o/pipe.log"
        runs=$((runs + 1))
        { sleep 3; cat "$good" >"$o/pipe.log"; } &
        writer=$!
        run_limited "$o/out-$runs" "$o/err-$runs" "$exe" analyze --format json "$o/pipe.log"
        # A reader that never opened the FIFO would leave the writer blocked: end it either way.
        kill "$writer" 2>/dev/null
        wait "$writer" 2>/dev/null
        check_exit "FIFO" "$o/err-$runs"
        [[ $(grep -c "pipe.log is a FIFO: waiting for data" "$o/err-$runs") -eq 1 ]] \
            || fail "FIFO: stderr should say once that it waits: $(cat "$o/err-$runs")"
        grep -q '"rule": "error-service-disabled"' "$o/out-$runs" || fail "FIFO: the log read from the FIFO was not analyzed"
    fi
    ;;

*)
    echo "unknown case $case_name" >&2
    exit 2
    ;;
esac

if [[ $fails -gt 0 ]]; then
    echo "$case_name: $fails failure(s) in $runs runs (inputs and outputs kept in $work)"
    exit 1
fi
echo "$case_name: $runs runs passed"
rm -rf "$work"
exit 0
