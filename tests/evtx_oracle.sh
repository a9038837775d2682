#!/usr/bin/env bash
# Differential test of the evtx-binary parser against libevtx (the oracle, used only here).
#   tests/evtx_oracle.sh EVTX_DUMP DIR...
# For every *.evtx under the DIRs (missing DIRs are skipped), runs `evtxexport -f xml` and
# `EVTX_DUMP`, brings both into evtx_dump's stable text form (record_id, event_id, provider,
# channel, time, data fields) and diffs them. Exit 77 (ctest: skipped) when evtxexport is
# missing (apt-get install libevtx-utils) or no file is found.
set -u
dump=${1:?usage: evtx_oracle.sh EVTX_DUMP DIR...}
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
normalize() {
  sed -E 's/\b0[xX]0*([0-9a-fA-F]+)\b/0x\L\1/g; s/\b0[xX]0+\b/0x0/g' "$1"
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
  normalize "$tmp/want.raw" >"$tmp/want"
  normalize "$tmp/got.raw" >"$tmp/got"
  if [ $rc -ne 0 ]; then
    echo "FAIL: $f: evtx_dump exited $rc"
    cat "$tmp/got.err"
    fail=$((fail + 1))
  elif ! diff -u "$tmp/want" "$tmp/got" >"$tmp/diff"; then
    echo "FAIL: $f differs from evtxexport (- evtxexport, + evtx-binary):"
    head -n 60 "$tmp/diff"
    fail=$((fail + 1))
  else
    echo "ok: $f ($(grep -c '^record_id: ' "$tmp/got") records)"
    pass=$((pass + 1))
  fi
done
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
