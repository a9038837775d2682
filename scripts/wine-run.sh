#!/usr/bin/env bash
# Runs a Windows program under wine64 (the cross build's test runner: CMAKE_CROSSCOMPILING_EMULATOR).
# Uses a private wine prefix, created on first use: $EXTRIAGE_WINEPREFIX, default
# ${TMPDIR:-/tmp}/extriage-wineprefix-$UID. Wine's own debug chatter is switched off.
#   scripts/wine-run.sh PROGRAM.exe [ARG]...
set -euo pipefail

export WINEPREFIX="${EXTRIAGE_WINEPREFIX:-${TMPDIR:-/tmp}/extriage-wineprefix-$(id -u)}"
export WINEDEBUG=-all
# Wine reads Unix file names and arguments in the locale's charset: make it UTF-8 whatever the caller set.
export LC_ALL=C.UTF-8
export WINEDLLOVERRIDES="${WINEDLLOVERRIDES:-mscoree,mshtml=}"   # no Mono/Gecko install prompts

# Debian's wine64 package alone has no /usr/bin/wine64; the loader is in /usr/lib/wine.
wine=""
for candidate in /usr/lib/wine/wine64 "$(command -v wine64 || true)" "$(command -v wine || true)"; do
    if [[ -n "$candidate" && -x "$candidate" ]]; then wine="$candidate"; break; fi
done
[[ -n "$wine" ]] || { echo "wine-run.sh: wine64 is not installed (apt-get install wine64)" >&2; exit 127; }

# ctest -j2 may start two programs at once on a new prefix: one creates it, the other waits.
if [[ ! -f "$WINEPREFIX/system.reg" ]]; then
    mkdir -p "$(dirname "$WINEPREFIX")"
    (
        flock 9
        if [[ ! -f "$WINEPREFIX/system.reg" ]]; then
            # Prints a harmless error about syswow64 (no 32-bit wine); its output is not ours.
            "$wine" wineboot -i >/dev/null 2>&1 || true
            wineserver="$(dirname "$wine")/wineserver"
            [[ -x "$wineserver" ]] && "$wineserver" -w || true
        fi
    ) 9>"$WINEPREFIX.lock"
fi
exec "$wine" "$@"
