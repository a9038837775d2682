#!/usr/bin/env bash
# Benchmark: extriage vs ripgrep on a large generated ExchangeSetup.log (not a test; see README
# "Benchmarks"). For each size it generates the log from samples/exchange-setup (a few long setup
# runs, then a failing one), runs `extriage analyze --format json` and `rg -i -f patterns.txt`
# with the regexes of every rule that reads exchange-setup records, and reports the hyperfine
# median of RUNS runs (extriage with its default threads and with --threads 1), the ratios, and
# the peak RSS of each (GNU time). rg searches one file on one thread; extriage by default uses
# every core (rules matched on the others while one thread parses).
#
#   bench/setup_log_bench.sh [SIZE_MB...]        default: 256 1024
#   RUNS=3 BENCH_DIR=build-rel/bench EXTRIAGE_BUILD=build-rel
#
# Needs: ripgrep, hyperfine, time (apt-get install -y ripgrep hyperfine time), g++, and about
# 1.3 GB of free disk in BENCH_DIR for the 1 GB log.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${EXTRIAGE_BUILD:-$root/build-rel}"
bench="${BENCH_DIR:-$build/bench}"
runs="${RUNS:-3}"
sizes=("$@")
[[ ${#sizes[@]} -gt 0 ]] || sizes=(256 1024)

for tool in rg hyperfine /usr/bin/time g++; do
    command -v "$tool" >/dev/null || { echo "bench: $tool is missing (apt-get install -y ripgrep hyperfine time g++)" >&2; exit 2; }
done

if [[ ! -x "$build/src/app/extriage" ]]; then
    cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
cmake --build "$build" --target extriage >/dev/null
exe="$build/src/app/extriage"
mkdir -p "$bench"

# The patterns as the rule loader compiled them (named groups unnamed, \n as $: see rule_patterns.cpp).
g++ -std=c++20 -O1 -I"$root/src" -I"$root/logparsers" "$root/bench/rule_patterns.cpp" -o "$bench/rule_patterns" \
    "$build/src/app/libextriage_lib.a" "$build/logparsers/libextriage_parsers.a" "$build/src/libextriage_core.a" \
    $(pkg-config --libs re2 libarchive) -lyaml-cpp -lfmt -lpugixml -lpthread
"$bench/rule_patterns" --for-rg "$root/rules" exchange-setup >"$bench/patterns.txt"

# UTF-8 samples only (the generator works on lines); the failing run closes the log.
last="$root/samples/exchange-setup/services-disabled.log"
mapfile -t samples < <(grep -L $'\xff\xfe' "$root"/samples/exchange-setup/*.log 2>/dev/null | grep -vxF "$last" | sort)

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
echo "extriage $("$exe" --version 2>/dev/null | head -n 1), $(rg --version | head -n 1), $(wc -l <"$bench/patterns.txt") patterns"
echo
results=()
for mb in "${sizes[@]}"; do
    log="$bench/ExchangeSetup-${mb}MB.log"
    if [[ ! -f "$log" ]]; then
        echo "generating $log"
        awk -v target=$((mb * 1048576)) -v runs=8 -v last="$last" -f "$root/bench/gen_setup_log.awk" \
            "${samples[@]}" "$last" >"$log"
    fi
    size=$(stat -L -c %s "$log")
    # Sanity: the failing run at the end is diagnosed.
    "$exe" analyze --format json --fail-on never "$log" >"$bench/out-$mb.json"
    grep -q '"rule": "error-service-disabled"' "$bench/out-$mb.json" || { echo "bench: the failing run was not diagnosed" >&2; exit 1; }

    hyperfine --warmup 1 --runs "$runs" --output=pipe --export-json "$bench/hyperfine-$mb.json" \
        -n extriage "$exe analyze --format json --fail-on never $log" \
        -n extriage-1 "$exe analyze --threads 1 --format json --fail-on never $log" \
        -n rg "rg -i -f $bench/patterns.txt $log" >"$bench/hyperfine-$mb.txt"
    read -r t_ex t_ex1 t_rg < <(python3 - "$bench/hyperfine-$mb.json" <<'PY' 2>/dev/null || awk '/"median"/ {gsub(/[",]/, ""); printf "%s ", $2} END {print ""}' "$bench/hyperfine-$mb.json"
import json, sys
r = {x["command"]: x["median"] for x in json.load(open(sys.argv[1]))["results"]}
print(r["extriage"], r["extriage-1"], r["rg"])
PY
)
    rss() { /usr/bin/time -f '%M' -o "$bench/rss" "$@" >/dev/null 2>&1 || true; tail -n 1 "$bench/rss"; }
    rss_ex=$(rss "$exe" analyze --format json --fail-on never "$log")
    rss_rg=$(rss rg -i -f "$bench/patterns.txt" "$log")
    line=$(awk -v mb="$mb" -v size="$size" -v te="$t_ex" -v te1="$t_ex1" -v tr="$t_rg" -v re="$rss_ex" -v rr="$rss_rg" 'BEGIN {
        printf "| %d MiB | %.2f s (%.0f MB/s) | %.2f s | %.2f s (%.0f MB/s) | %.2f | %.2f | %.0f MiB | %.0f MiB |", mb, te, size / te / 1e6, te1, tr, size / tr / 1e6, te / tr, te1 / tr, re / 1024, rr / 1024 }')
    results+=("$line")
    echo "$line"
done
echo
echo "| input | extriage analyze --format json | with --threads 1 | rg -i -f patterns.txt | ratio | ratio, 1 thread | extriage peak RSS | rg peak RSS |"
echo "|---|---|---|---|---|---|---|---|"
printf '%s\n' "${results[@]}"
