#!/bin/sh
# Command-line behaviour through the real binary (issue 9): exit codes follow the outcome, input
# in which nothing can be read exits 2 with a message naming it, a damaged part of a file that
# otherwise reads is a warning, --brief prints the headlines alone.
#   tests/cli/run_cli_tests.sh EXTRIAGE SOURCE_DIR
set -u
exe=${1:?usage: run_cli_tests.sh EXTRIAGE SOURCE_DIR}
src=${2:?usage: run_cli_tests.sh EXTRIAGE SOURCE_DIR}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
fail=0
today="--today 2026-11-22"

# expect NAME CODE CMD...: runs CMD, checks its exit code; stdout in $tmp/out, stderr in $tmp/err.
expect() {
    name=$1 want=$2
    shift 2
    "$@" >"$tmp/out" 2>"$tmp/err"
    got=$?
    sed -i 's/\r$//' "$tmp/out" "$tmp/err"   # a Windows build (under wine) writes CRLF line ends
    if [ "$got" != "$want" ]; then
        echo "FAIL $name: exit $got, expected $want"
        sed 's/^/  stderr: /' "$tmp/err" | head -5
        fail=1
    else
        echo "ok   $name (exit $got)"
    fi
}
contains() {   # contains NAME FILE TEXT
    if grep -qF -- "$3" "$2"; then echo "ok   $1"; else echo "FAIL $1: '$3' not in $(basename "$2")"; fail=1; fi
}
lacks() {
    if grep -qF -- "$3" "$2"; then echo "FAIL $1: '$3' in $(basename "$2")"; fail=1; else echo "ok   $1"; fi
}

# A FAILED run no rule knows is an error: exit 1 (the fallback finding is an error).
expect "unknown error exits 1" 1 "$exe" analyze $today --color never "$src/samples/exchange-setup/unknown-error.log"
contains "unknown error: headline names the fallback" "$tmp/out" "Cause: [fallback-last-error-context]"

# A run with no end: exit 1 with a finding that says so.
head -n 60 "$src/samples/exchange-setup/services-disabled.log" > "$tmp/cut.log"
expect "unfinished run exits 1" 1 "$exe" analyze $today --color never "$tmp/cut.log"
contains "unfinished run: finding" "$tmp/out" "error [run-unfinished] The latest setup run has no end"
contains "unfinished run: headline" "$tmp/out" "INCOMPLETE  setup run 1 of 1 (Upgrade"

# A succeeded run: exit 0.
expect "good upgrade exits 0" 0 "$exe" analyze $today --color never "$src/samples/exchange-setup/good-upgrade.log"

# Nothing readable: exit 2 and say so.
mkdir "$tmp/empty"
expect "empty folder exits 2" 2 "$exe" analyze $today "$tmp/empty"
contains "empty folder: message" "$tmp/err" "no log extriage can read was found in $tmp/empty"
mkdir "$tmp/junk"
printf 'not a log\n' > "$tmp/junk/readme.txt"
expect "folder of junk exits 2" 2 "$exe" analyze $today --format json "$tmp/junk"
contains "folder of junk: skipped in JSON" "$tmp/out" "\"reason\": \"not a log format extriage knows\""
expect "timeline of an empty folder exits 2" 2 "$exe" timeline "$tmp/empty"
contains "timeline: message" "$tmp/err" "no log extriage can read was found in"

# A damaged chunk in a file that otherwise reads is a warning: not exit 2.
expect "bad chunk is a warning" 0 "$exe" analyze $today --fail-on never "$src/samples/evtx/bad-chunk-magic.evtx"
contains "bad chunk: warning on stderr" "$tmp/err" ": warning: "
lacks "bad chunk: no error on stderr" "$tmp/err" ": error: "

# Skipped files are named in the text report next to a good log.
cp "$src/samples/exchange-setup/good-upgrade.log" "$tmp/junk/"
expect "good log among junk exits 0" 0 "$exe" analyze $today --color never "$tmp/junk"
contains "skipped file named" "$tmp/out" "readme.txt (not a log format extriage knows)"

# --brief: the file header and its headline, nothing else.
expect "brief" 1 "$exe" analyze $today --brief --color never "$src/samples/exchange-setup/prereq-failures.log"
lines=$(wc -l < "$tmp/out")
if [ "$lines" -le 4 ] && [ "$lines" -ge 3 ]; then echo "ok   brief: $lines lines"; else echo "FAIL brief: $lines lines"; fail=1; fi
contains "brief: cause" "$tmp/out" "  Cause: ["
lacks "brief: no findings" "$tmp/out" "Evidence:"

# --min-severity hides and says how many.
expect "min-severity" 1 "$exe" analyze $today --min-severity error --color never "$src/samples/exchange-setup/services-disabled.log"
contains "min-severity: hidden count" "$tmp/out" "below --min-severity error hidden."

# A mistyped subcommand is named with the closest one.
expect "unknown subcommand" 2 "$exe" analyse x
contains "unknown subcommand: suggestion" "$tmp/err" "unknown subcommand 'analyse'; did you mean analyze?"

# Impossible dates are refused, not read as "no date".
expect "impossible --today (month 13)" 2 "$exe" analyze --today 2025-13-01 "$src/samples/exchange-setup/good-upgrade.log"
expect "impossible --today (February 30)" 2 "$exe" analyze --today 2025-02-30 "$src/samples/exchange-setup/good-upgrade.log"
contains "impossible --today: message" "$tmp/err" "expected a real date YYYY-MM-DD"

# -V/--version: version, rule count, the build table and its newest build.
expect "version" 0 "$exe" -V
contains "version: rules" "$tmp/out" "rules: "
contains "version: build table" "$tmp/out" "build table: "
contains "version: newest build" "$tmp/out" ", newest Exchange Server"

# A build table more than 90 days old is said so; --data reads another table.
expect "stale build table warns" 0 "$exe" analyze --today 2099-01-01 --color never "$src/samples/exchange-setup/good-upgrade.log"
contains "stale build table: warning" "$tmp/err" "days before 2099-01-01: updates released since are unknown"
mkdir "$tmp/data"
printf 'product\tbuild\trelease_name\trelease_date\ttype\tbase_cu\tend_of_support\tkb_or_release_url\nExchange Server 2019\t15.2.1544.4\tExchange Server 2019 CU14\t2098-11-01\tCU\tCU14\t\t\nExchange Server 2019\t15.2.1544.9\tExchange Server 2019 CU14 SU from the test table\t2098-12-01\tSU\tCU14\t\t\n' > "$tmp/data/exchange-builds.tsv"
expect "--data reads another table" 0 "$exe" analyze --today 2099-01-01 --data "$tmp/data" --format json "$src/samples/exchange-setup/good-upgrade.log"
lacks "--data: no stale warning with a fresh table" "$tmp/err" "unknown to the version advice"
contains "--data: the table's name for the build" "$tmp/out" "Exchange Server 2019 CU14 SU from the test table"

# rules list --format json names every rule with its links.
expect "rules list json" 0 "$exe" rules list --format json
contains "rules list json: a rule" "$tmp/out" "\"id\": \"fallback-last-error-context\""
contains "rules list json: links" "$tmp/out" "\"links\": ["

# - reads standard input.
expect "standard input" 1 sh -c "'$exe' analyze --today 2026-11-22 --brief - < '$src/samples/exchange-setup/unknown-error.log'"
contains "standard input: named -" "$tmp/out" "-  (exchange-setup"

# -o FILE: the report goes to the file (stdout stays empty), the exit code is the analysis';
# a file that cannot be written exits 2 with a message.
expect "html to a file" 1 "$exe" analyze $today --format html -o "$tmp/r.html" "$src/samples/exchange-setup/unknown-error.log"
contains "html to a file: a page" "$tmp/r.html" "<!DOCTYPE html>"
contains "html to a file: the cause" "$tmp/r.html" "[fallback-last-error-context]"
lacks "html to a file: nothing on stdout" "$tmp/out" "<"
expect "markdown" 1 "$exe" analyze $today --format md "$src/samples/exchange-setup/unknown-error.log"
contains "markdown: headline" "$tmp/out" "**FAILED** setup run 1 of 1"
expect "timeline html" 0 "$exe" timeline $today --format html -o "$tmp/t.html" "$src/samples/exchange-setup/unknown-error.log"
contains "timeline html: chart" "$tmp/t.html" "<figure class=\"chart\" id=\"chart\">"
expect "timeline md" 0 "$exe" timeline $today --format md "$src/samples/exchange-setup/unknown-error.log"
contains "timeline md: table" "$tmp/out" "| Time | Kind | Severity | Where | What |"
expect "batch html" 1 "$exe" batch $today --format html -o "$tmp/b.html" "$src/samples/bundles"
contains "batch html: table" "$tmp/b.html" "<table id=\"bundles\">"
expect "unwritable -o exits 2" 2 "$exe" analyze $today --format html -o "$tmp/no/such/dir/r.html" "$src/samples/exchange-setup/unknown-error.log"
contains "unwritable -o: message" "$tmp/err" "cannot write the report: $tmp/no/such/dir/r.html"
expect "batch unwritable -o exits 2" 2 "$exe" batch $today --format html -o "$tmp/no/such/dir/b.html" "$src/samples/bundles"

exit $fail
