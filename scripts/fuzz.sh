#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz, clang + ASan + UBSan) and runs each one for a bounded
# time, one after the other. Seeds: samples/ and tests/malformed/regressions/<parser>/
# for the parser targets and the whole-pipeline target (fuzz_analyze), rules/ for the rule
# loader, zips of the samples for the archive reader, and small hostile inputs for each
# (tests/tools/hostile_inputs.hpp: deep nesting, references, templates, floods, zips that lie or
# overlap), with a dictionary of the format's tokens where tests/fuzz/dicts/ has one.
# The growing corpus stays in <build>/corpus/<target>/, crashers land in <build>/artifacts/<target>/.
#
#   scripts/fuzz.sh [seconds-per-target=60] [target-regex=.]
#   EXTRIAGE_FUZZ_BUILD=dir   build folder (default: build-fuzz)
#
# Needs clang and libclang-rt (Debian: apt-get install -y clang libclang-rt-14-dev).
# Exit status: 0 when no target found a crash, leak, timeout or OOM; 1 otherwise.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
secs="${1:-60}"
filter="${2:-.}"
build="${EXTRIAGE_FUZZ_BUILD:-$root/build-fuzz}"

command -v clang++ >/dev/null || { echo "fuzz.sh: clang++ not found (apt-get install -y clang libclang-rt-14-dev)" >&2; exit 2; }
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
      -DEXTRIAGE_BUILD_FUZZERS=ON -DEXTRIAGE_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" --target fuzz_all -j"${FUZZ_BUILD_JOBS:-2}"

seeds="$build/seeds"
rm -rf "$seeds" && mkdir -p "$seeds"
# Archive seeds: a zip of the samples and a zip holding a zip.
python3 - "$root" "$seeds/archive" <<'PY'
import os, sys, zipfile, io
root, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
samples = []
for d, _, files in os.walk(os.path.join(root, "samples")):
    for f in sorted(files):
        p = os.path.join(d, f)
        if os.path.getsize(p) <= 256 * 1024:
            samples.append(p)
samples.sort()
for i, p in enumerate(samples[:12]):
    with zipfile.ZipFile(os.path.join(out, f"one-{i}.zip"), "w", zipfile.ZIP_DEFLATED) as z:
        z.write(p, "Server1/ExchangeSetupLogs/" + os.path.basename(p))
inner = io.BytesIO()
with zipfile.ZipFile(inner, "w", zipfile.ZIP_STORED) as z:
    for p in samples[:3]:
        z.write(p, "logs/" + os.path.basename(p))
with zipfile.ZipFile(os.path.join(out, "nested.zip"), "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("EX01/inner.zip", inner.getvalue())
    z.writestr("EX01/readme.txt", "not a log\n")
PY

# Hostile seeds (issue 10): the structure mutation does not build by itself, kept small.
hostile="$seeds/hostile"
mkdir -p "$hostile"/{event-clixml,event-xml,evtx-binary,exchange-setup,archive}
mk="$build/tests/fuzz/make_hostile_inputs_fuzz_seeds"
log_seed="$root/samples/exchange-setup/two-runs.log"
"$mk" clixml-deep "$hostile/event-clixml/deep.xml" 80
"$mk" clixml-refs "$hostile/event-clixml/refs.xml" 2000 50 2
"$mk" event-xml-deep "$hostile/event-xml/deep.xml" 400
"$mk" evtx-expanding "$hostile/evtx-binary/expanding.evtx" 1
"$mk" evtx-cpu "$hostile/evtx-binary/cpu.evtx" 1
"$mk" evtx-flood "$hostile/evtx-binary/flood.evtx" 1
"$mk" setup-runs "$hostile/exchange-setup/runs.log" 1500
"$mk" zip-overlap "$hostile/archive/overlap.zip" 20000 8
"$mk" zip-names "$hostile/archive/names.zip" "$log_seed"
"$mk" zip-lying "$hostile/archive/lying.zip" 200000 100 "$log_seed"

status=0
summary=()
while read -r target kind parser; do
  [[ -z "$target" ]] && continue
  [[ "$target" =~ $filter ]] || continue
  corpus="$build/corpus/$target"
  artifacts="$build/artifacts/$target"
  mkdir -p "$corpus" "$artifacts"
  dirs=()
  dict=""
  max_len=262144   # room for nesting and references, not only for mutated samples
  case "$kind" in
    parser)
      # Every sample seeds every parser: sample folders are not named after parsers, and the
      # other formats are good near misses.
      dirs+=("$root/samples")
      [[ -d "$root/tests/malformed/regressions/$parser" ]] && dirs+=("$root/tests/malformed/regressions/$parser")
      [[ -d "$hostile/$parser" ]] && dirs+=("$hostile/$parser")
      [[ -f "$root/tests/fuzz/dicts/$parser.dict" ]] && dict="$root/tests/fuzz/dicts/$parser.dict" ;;
    rules)
      max_len=16384
      dirs+=("$root/rules")
      [[ -d "$root/tests/malformed/regressions/rules" ]] && dirs+=("$root/tests/malformed/regressions/rules") ;;
    analyze)
      # Whole pipeline: the samples, and every parser's kept crashers (they reach the engine too).
      dirs+=("$root/samples")
      for d in "$root"/tests/malformed/regressions/*/; do
        [[ -d "$d" ]] || continue
        case "$(basename "$d")" in rules|archive) ;; *) dirs+=("${d%/}") ;; esac
      done
      for d in "$hostile"/*/; do
        [[ "$(basename "$d")" == archive ]] || dirs+=("${d%/}")
      done ;;
    archive)
      max_len=1048576
      dirs+=("$seeds/archive" "$hostile/archive")
      dict="$root/tests/fuzz/dicts/archive.dict"
      [[ -d "$root/tests/malformed/regressions/archive" ]] && dirs+=("$root/tests/malformed/regressions/archive") ;;
  esac
  # libFuzzer does not recurse: flatten seed folders (rules/<family>/*.yaml) into one.
  flat="$seeds/$target"
  mkdir -p "$flat"
  for d in "${dirs[@]}"; do
    find "$d" -type f ! -name '*.md' -size -4M -exec cp -t "$flat" {} + 2>/dev/null || true
  done
  log="$build/logs/$target.log"
  mkdir -p "$build/logs"
  echo "== $target: ${secs}s, seeds from ${dirs[*]:-none}"
  rc=0
  extra=()
  [[ -n "$dict" ]] && extra+=(-dict="$dict")
  "$build/tests/fuzz/$target" "$corpus" "$flat" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
      -max_len="$max_len" -artifact_prefix="$artifacts/" -print_final_stats=1 -close_fd_mask=1 "${extra[@]}" >"$log" 2>&1 || rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 || true)
  if [[ $rc -ne 0 ]]; then
    status=1
    summary+=("FAIL $target (exit $rc, ${execs:-?} execs) - see $log and $artifacts/")
    grep -m3 -E 'ERROR: |SUMMARY: |runtime error' "$log" || true
  else
    summary+=("ok   $target: ${execs:-?} execs, $cov, corpus $(ls "$corpus" | wc -l) files")
  fi
done <"$build/tests/fuzz/targets.txt"

echo
printf '%s\n' "${summary[@]}"
exit $status
