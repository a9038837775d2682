#!/usr/bin/env bash
# Benchmark (not a test; see README "Benchmarks"): the batch HTML report of 1,000 bundles in
# headless Chromium. It lays out COUNT bundles (hard links to the sample bundles and setup logs,
# each under its own name), writes `extriage batch --format html` of them, then opens the page
# RUNS times with tests/browser/cdp_check.py and prints, per run, the time from navigation to
# the load event (the page's one script has run by then: handlers attached, table sortable), the
# DOM-interactive time, the wall time from the navigate command to the load event, and how long
# one sort of the table by severity takes. The page must also pass every check of the browser
# test (clean console, no network request, sorting and filtering work).
#
#   bench/batch_html_bench.sh            COUNT=1000 RUNS=5 BENCH_DIR=build/bench EXTRIAGE_BUILD=build
#
# Needs: chromium and python3 (apt-get install -y chromium python3).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${EXTRIAGE_BUILD:-$root/build}"
bench="${BENCH_DIR:-$build/bench}"
count="${COUNT:-1000}"
runs="${RUNS:-5}"
exe="$build/src/app/extriage"
command -v chromium >/dev/null || { echo "bench: chromium is missing (apt-get install -y chromium)" >&2; exit 2; }
[[ -x "$exe" ]] || { echo "bench: build extriage first ($exe)" >&2; exit 2; }

bundles="$bench/bundles-$count"
if [[ ! -d "$bundles" ]] || [[ $(ls "$bundles" | wc -l) -ne $count ]]; then
    rm -rf "$bundles"
    mkdir -p "$bundles"
    mapfile -t sources < <(ls "$root"/samples/bundles/*.zip "$root"/samples/exchange-setup/*.log "$root"/samples/msi/*.log)
    for ((i = 0; i < count; i++)); do
        src="${sources[i % ${#sources[@]}]}"
        ln "$src" "$bundles/$(printf 'srv%04d' "$i")-$(basename "$src")" 2>/dev/null || cp "$src" "$bundles/$(printf 'srv%04d' "$i")-$(basename "$src")"
    done
fi
page="$bench/batch-$count.html"
start=$(date +%s%N)
"$exe" batch --format html --fail-on never -o "$page" "$bundles" 2>/dev/null || true
end=$(date +%s%N)
printf 'extriage batch --format html of %d bundles: %d ms, %d KB\n' "$count" $(( (end - start) / 1000000 )) $(( $(stat -c %s "$page") / 1024 ))
for ((r = 1; r <= runs; r++)); do
    python3 "$root/tests/browser/cdp_check.py" --page "$page" --batch > "$bench/batch-run.json"
    python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
b = r["batch"]
print("run %d: load event %d ms, DOM interactive %d ms, navigate to load %d ms, sort of %d rows %d ms"
      % (int(sys.argv[2]), r["load_event_ms"], r["dom_interactive_ms"], r["load_s"] * 1000, b["rows"], b["sort_ms"]))' "$bench/batch-run.json" "$r"
done
