#!/usr/bin/env bash
# Differential test of the evtx-binary parser against libevtx (the oracle, used only here).
#   tests/evtx_oracle.sh [--expect FILE] EVTX_DUMP DIR...
# For every *.evtx under the DIRs (missing DIRs are skipped), runs `evtxexport -f xml` and
# `EVTX_DUMP`, brings both into evtx_dump's stable text form (record_id, event_id, provider,
# channel, time, data fields) and diffs them. Exit 77 (ctest: skipped) when evtxexport is
# missing (apt-get install libevtx-utils) or no file is found.
# --expect FILE lists, per file (a path suffix), where the two are known to disagree and who is
# right, tab-separated: `SUFFIX extra N REASON` (evtx-binary decodes N records evtxexport does not
# print), `SUFFIX field NAME REASON` (values of field NAME differ; left out of the comparison).
# Records evtxexport prints must all be decoded identically (apart from listed fields); any other
# count of extra records fails, so a change in what we recover is noticed.
set -u
expect=/dev/null
if [ "${1:-}" = "--expect" ]; then
  expect=${2:?--expect needs a file}
  shift 2
fi
dump=${1:?usage: evtx_oracle.sh [--expect FILE] EVTX_DUMP DIR...}
shift
if ! command -v evtxexport >/dev/null 2>&1; then
  echo "SKIP: evtxexport not found; install libevtx-utils to run the EVTX oracle test"
  exit 77
fi
files=()
for dir in "$@"; do
  if [ ! -d "$dir" ]; then
    echo "note: $dir does not exist, skipped"
    continue
  fi
  while IFS= read -r -d '' f; do files+=("$f"); done < <(find "$dir" -type f -iname '*.evtx' -print0 | sort -z)
done
if [ ${#files[@]} -eq 0 ]; then
  echo "SKIP: no .evtx files found"
  exit 77
fi
# The two print hexadecimal numbers differently (evtxexport pads HexInt64 to 16 digits:
# 0x0000000000029936; evtx-binary writes 0x29936 as Event Viewer does): compare the values.
# evtxexport's XML goes through an XML parser, which turns CR LF inside values into LF (XML
# end-of-line handling); evtx-binary keeps the CR the event holds: compare without it.
# evtxexport prints FILETIMEs with 9 fraction digits (always ending in 00), Windows and
# evtx-binary with 7.
normalize() {
  sed -E 's/\b0[xX]0*([0-9a-fA-F]+)\b/0x\L\1/g; s/\b0[xX]0+\b/0x0/g; s/\\r\\n/\\n/g; s/(\.[0-9]{7})00Z/\1Z/g' "$1"
}
# expectation KIND for file $1: prints the 3rd column of each matching line.
expected() {
  awk -F '\t' -v f="$1" -v k="$2" '$0 !~ /^#/ && NF >= 3 && $2 == k && substr(f, length(f) - length($1) + 1) == $1 { print $3 }' "$expect"
}
# Keeps the records of $2 whose record_id is also in $1 (the oracle's); writes how many it
# dropped into the file $3.
keep_common() {
  awk -v extra="$3" 'FILENAME == ARGV[1] { if ($1 == "record_id:") want[$2] = 1; next }
       /^record_id: / { keep = ($2 in want); if (!keep) n++ }
       keep { print }
       END { print n + 0 > extra }' "$1" "$2"
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
for f in "${files[@]}"; do
  if ! evtxexport -f xml "$f" >"$tmp/oracle.xml" 2>"$tmp/oracle.err"; then
    echo "note: evtxexport failed on $f; comparing the records it printed" >&2
  fi
  if ! "$dump" --from-evtxexport-xml "$tmp/oracle.xml" >"$tmp/want.raw"; then
    echo "FAIL: $f: cannot read evtxexport output"
    fail=$((fail + 1))
    continue
  fi
  "$dump" "$f" >"$tmp/got.raw" 2>"$tmp/got.err"
  rc=$?
  normalize "$tmp/want.raw" >"$tmp/want.n"
  normalize "$tmp/got.raw" >"$tmp/got.all"
  keep_common "$tmp/want.n" "$tmp/got.all" "$tmp/extra" >"$tmp/got.n"
  extra=$(cat "$tmp/extra")
  want_extra=$(expected "$f" extra | head -n 1)
  drop='^$'
  for field in $(expected "$f" field); do drop="$drop|^$field: "; done
  grep -Ev "$drop" "$tmp/want.n" >"$tmp/want"
  grep -Ev "$drop" "$tmp/got.n" >"$tmp/got"
  if [ "$extra" != "${want_extra:-0}" ]; then
    echo "FAIL: $f: evtx-binary decodes $extra record(s) evtxexport does not print (expected ${want_extra:-0})"
    fail=$((fail + 1))
    continue
  fi
  if [ $rc -ne 0 ]; then
    echo "FAIL: $f: evtx_dump exited $rc"
    cat "$tmp/got.err"
    fail=$((fail + 1))
  elif ! diff -u "$tmp/want" "$tmp/got" >"$tmp/diff"; then
    echo "FAIL: $f differs from evtxexport (- evtxexport, + evtx-binary):"
    head -n 60 "$tmp/diff"
    fail=$((fail + 1))
  else
    echo "ok: $f ($(grep -c '^record_id: ' "$tmp/got") records in common, $extra more decoded)"
    pass=$((pass + 1))
  fi
done
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
