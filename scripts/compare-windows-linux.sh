#!/usr/bin/env bash
# The Windows build must say what the Linux build says: for every sample and corpus log,
# `analyze --format json` of both is compared (Windows' CRLF line ends folded to LF; a found
# file's "\" shown as "/"). Files are given relative to the source tree, so paths are the same.
#   scripts/compare-windows-linux.sh LINUX_EXTRIAGE 'WINDOWS_COMMAND' [DIR...]
#   e.g. scripts/compare-windows-linux.sh build/src/app/extriage 'scripts/wine-run.sh build-win/src/app/extriage.exe'
# DIRs default to samples/ and ../shared/corpus (skipped when absent).
set -uo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
linux="$(realpath "${1:?usage: compare-windows-linux.sh LINUX_EXTRIAGE WINDOWS_COMMAND [DIR...]}")"
read -r -a windows <<<"${2:?the command that runs the Windows extriage.exe}"
for i in "${!windows[@]}"; do [[ -e "${windows[$i]}" ]] && windows[$i]="$(realpath "${windows[$i]}")"; done
shift 2
cd "$root"
dirs=("$@")
[[ ${#dirs[@]} -gt 0 ]] || dirs=(samples ../shared/corpus)

files=()
for d in "${dirs[@]}"; do
    if [[ ! -d "$d" ]]; then
        echo "note: $d does not exist, skipped"
        continue
    fi
    while IFS= read -r -d '' f; do files+=("$f"); done < <(find "$d" -type f ! -name '*.md' ! -name 'README*' -print0 | sort -z)
done
[[ ${#files[@]} -gt 0 ]] || { echo "no files to compare" >&2; exit 1; }

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
args=(analyze --format json --fail-on never --color never --today 2026-11-22)
pass=0
fail=0
for f in "${files[@]}"; do
    "$linux" "${args[@]}" "$f" >"$tmp/linux.json" 2>/dev/null
    linux_rc=$?
    "${windows[@]}" "${args[@]}" "$f" 2>/dev/null | tr -d '\r' >"$tmp/windows.json"
    windows_rc=${PIPESTATUS[0]}
    if [[ $linux_rc -ne $windows_rc ]]; then
        echo "FAIL: $f: exit code $windows_rc on Windows, $linux_rc on Linux"
        fail=$((fail + 1))
    elif ! diff -u "$tmp/linux.json" "$tmp/windows.json" >"$tmp/diff"; then
        echo "FAIL: $f: the JSON differs (- Linux, + Windows):"
        head -n 40 "$tmp/diff"
        fail=$((fail + 1))
    else
        pass=$((pass + 1))
    fi
done
echo "windows-linux: $pass passed, $fail failed"
[[ $fail -eq 0 ]]
