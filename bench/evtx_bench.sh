#!/usr/bin/env bash
# Benchmark (not a test): the evtx-binary decoder (via tests/tools/evtx_dump) against libevtx's
# evtxexport on one large generated EVTX file. Both decode every record and print it (evtx_dump
# --full: fields, text and one-line XML; evtxexport -f xml), output to /dev/null.
#   bench/evtx_bench.sh [SIZE_MB]        default 200
# Env: BUILD_DIR (default build-bench, a Release build), THREADS (default: all cores),
#      RUNS (hyperfine runs, default 3). Needs evtxexport (libevtx-utils); uses hyperfine if
#      installed, else /usr/bin/time. Peak RSS always comes from /usr/bin/time -v.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
size=${1:-200}
build=${BUILD_DIR:-$root/build-bench}
runs=${RUNS:-3}
threads=${THREADS:-0}

command -v evtxexport >/dev/null || { echo "evtxexport not found: apt-get install -y libevtx-utils" >&2; exit 2; }
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" --target evtx_dump make_evtx_samples -j2 >/dev/null
dump=$build/tests/tools/evtx_dump
file=${EVTX_BENCH_FILE:-$build/bench-${size}mb.evtx}
if [ ! -f "$file" ]; then
  echo "generating $file ..."
  "$build/tests/tools/make_evtx_samples" --big "$file" "$size"
fi
echo "file: $file ($(du -h "$file" | cut -f1), $(( ($(stat -c %s "$file") - 4096) / 65536 )) chunks)"
echo "cores: $(nproc); evtx_dump --threads $threads (0 = all cores)"
"$dump" --threads "$threads" --stats "$file"

ours="$dump --threads $threads --full $file"
ours1="$dump --threads 1 --full $file"
theirs="evtxexport -f xml $file"

peak_rss() {   # prints "max RSS in MiB" and wall seconds of one run
  /usr/bin/time -v "$@" >/dev/null 2>/tmp/evtx_bench_time.$$ || true
  awk -F': ' '/Maximum resident set size/ {rss=$2} /Elapsed \(wall clock\)/ {wall=$2}
              END {printf "peak RSS %.0f MiB, wall %s\n", rss/1024, wall}' /tmp/evtx_bench_time.$$
  rm -f /tmp/evtx_bench_time.$$
}

if command -v hyperfine >/dev/null; then
  hyperfine --warmup 1 --runs "$runs" --style basic \
    -n "evtx-binary (all cores)" "$ours" \
    -n "evtx-binary (1 thread)" "$ours1" \
    -n "evtxexport" "$theirs" \
    --export-markdown "$build/evtx-bench.md"
  cat "$build/evtx-bench.md"
else
  for cmd in "$ours" "$ours1" "$theirs"; do
    echo "== $cmd"
    /usr/bin/time -f "%e s" sh -c "$cmd > /dev/null"
  done
fi
echo "== peak memory"
echo "evtx-binary (all cores): $(peak_rss $ours)"
echo "evtx-binary (1 thread):  $(peak_rss $ours1)"
echo "evtxexport:              $(peak_rss $theirs)"
