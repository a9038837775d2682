#!/bin/sh
# Builds samples/bundles/EX01-20241112.zip from our own samples, laid out like an
# ExchangeLogCollector server zip (<SERVER>-<Md>.zip holding the server folder, a nested
# Windows_Event_Logs/Windows-Logs.zip, Exchange_Server_Data with a UTF-16 <SERVER>_GCM.txt, a
# NoFilesDetected.txt marker, the collector's debug log) plus the ExchangeSetupLogs folder the
# collector does not gather but admins add. Deterministic: fixed times (UTC), sorted entries, no
# extra attributes, so re-running it reproduces the committed file byte for byte.
# Usage: tests/tools/make_bundle_sample.sh [EVTX_DIR]   (EVTX_DIR defaults to samples/evtx; the
# EVTX samples come from tests/tools/make_evtx_samples). Needs zip and iconv (not extriage itself).
set -eu

root=$(cd "$(dirname "$0")/../.." && pwd)
evtx_dir=${1:-$root/samples/evtx}
out=$root/samples/bundles/EX01-20241112.zip
evtx=$evtx_dir/application-exchange-update.evtx
[ -f "$evtx" ] || { echo "make_bundle_sample: $evtx not found (build make_evtx_samples and pass its output folder)" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
export TZ=UTC LC_ALL=C

srv=$work/EX01
mkdir -p "$srv/ExchangeSetupLogs" "$srv/Windows_Event_Logs/Windows-Logs" "$srv/Exchange_Server_Data" "$srv/OAB_Generation_Logs"
cp "$root/samples/exchange-setup/services-disabled.log" "$srv/ExchangeSetupLogs/ExchangeSetup.log"
svc=$root/samples/exchange-setup-logs/ServiceControl.log   # an SU's ServiceControl.log, when that sample exists
[ -f "$svc" ] && cp "$svc" "$srv/ExchangeSetupLogs/ServiceControl.log"
cp "$evtx" "$srv/Windows_Event_Logs/Windows-Logs/Application.evtx"

# Windows PowerShell's Out-File writes UTF-16LE with a BOM.
utf16() { printf '\377\376'; printf '%s' "$1" | iconv -f UTF-8 -t UTF-16LE; }
utf16 "$(printf 'ProductVersion   FileVersion                      FileName\r\n--------------   -----------                      --------\r\n15.02.1544.004   15.02.1544.004                   C:\\Program Files\\Microsoft\\Exchange Server\\V15\\bin\\ExSetup.exe\r\n')" \
    > "$srv/Exchange_Server_Data/EX01_GCM.txt"
printf 'Location: C:\\Program Files\\Microsoft\\Exchange Server\\V15\\Logging\\OABGeneratorLog\r\nNo files were found in the time range.\r\n' \
    > "$srv/OAB_Generation_Logs/NoFilesDetected.txt"
printf '[11/12/2024 10:15:00] ExchangeLogCollector Main\r\n[11/12/2024 10:15:01] Collecting EX01\r\n' \
    > "$srv/ExchangeLogCollector-Main-Debug_20241112101500.txt"

stamp() { find "$1" -exec touch -h -t 202411121015.00 {} +; }
zipdir() {   # zipdir OUT.zip DIR: the contents of DIR, sorted, with fixed metadata
    (cd "$2" && find . -mindepth 1 | sed 's|^\./||' | sort | zip -q -X -@ "$1")
}

# The collector zips each log folder into <folder>.zip and deletes the folder.
stamp "$srv"
zipdir "$srv/Windows_Event_Logs/Windows-Logs.zip" "$srv/Windows_Event_Logs/Windows-Logs"
rm -r "$srv/Windows_Event_Logs/Windows-Logs"
stamp "$srv"

mkdir -p "$(dirname "$out")"
rm -f "$out"
zipdir "$out" "$work"
echo "wrote $out ($(wc -c < "$out") bytes)"
