#!/usr/bin/env bash
# Smoke test of the Windows build's live-server commands under wine (issue 14): on a wine prefix
# of its own, set up as a small Exchange server (setup key, a setup log in C:\ExchangeSetupLogs,
# a reboot pending, and a product named like Exchange installed with Windows Installer whose
# cached .msi is then deleted from C:\Windows\Installer), it runs
#   1. extriage.exe collect --out X.zip: must succeed, say what it could not read (wine cannot
#      export event logs), and write a zip that the Linux build's `analyze` reads: exit 1
#      (findings), the snapshot and the setup log among the files, the pending reboot, the missing
#      cached package (found through the Windows Installer API) and the log's MSI 1603 found;
#   2. extriage.exe check --target CU15: must print the readiness verdict line, "not ready" (the
#      pending reboot blocks), and exit 1.
# Needs wixl (Debian's wixl package) to build the .msi.
#
#   scripts/smoke-collect-windows.sh LINUX_EXTRIAGE WINDOWS_EXTRIAGE_EXE WORK_DIR
set -euo pipefail

[[ $# -eq 3 ]] || { echo "usage: $0 LINUX_EXTRIAGE WINDOWS_EXTRIAGE_EXE WORK_DIR" >&2; exit 2; }
root="$(cd "$(dirname "$0")/.." && pwd)"
linux="$(realpath "$1")"
exe="$(realpath "$2")"
work="$(realpath -m "$3")"
rm -rf "$work"
mkdir -p "$work"
# Its own prefix: the registry and C:\ are changed below, and other tests share the default one.
export EXTRIAGE_WINEPREFIX="$work/wineprefix"
wine_run() { bash "$root/scripts/wine-run.sh" "$@"; }
fail() { echo "smoke-collect-windows: $*" >&2; exit 1; }

setup='HKLM\SOFTWARE\Microsoft\ExchangeServer\v15\Setup'
wine_run reg add "$setup" /v MsiInstallPath /t REG_SZ /d 'C:\Program Files\Microsoft\Exchange Server\V15\' /f >/dev/null
wine_run reg add "$setup" /v OwaVersion /t REG_SZ /d 15.2.1544.4 /f >/dev/null
for v in MsiProductMajor:15 MsiProductMinor:2 MsiBuildMajor:1544 MsiBuildMinor:4; do
    wine_run reg add "$setup" /v "${v%%:*}" /t REG_DWORD /d "${v#*:}" /f >/dev/null
done
# A pending reboot as Component Based Servicing marks it (wine itself carries out, and then
# deletes, a PendingFileRenameOperations value whenever it starts afresh).
wine_run reg add 'HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Component Based Servicing\RebootPending' /f >/dev/null
# A per-machine product whose name says Exchange, installed by Windows Installer, its cached .msi
# then deleted: what FixInstallerCache repairs.
cat >"$work/product.wxs" <<'EOF'
<?xml version="1.0" encoding="utf-8"?>
<Wix xmlns="http://schemas.microsoft.com/wix/2006/wi">
  <Product Id="{6E1C2F0A-3B7D-4C59-9A11-0E57A1A5B001}" Name="Microsoft Exchange Server smoke test" Language="1033"
           Version="15.2.1544.4" Manufacturer="extriage tests" UpgradeCode="{6E1C2F0A-3B7D-4C59-9A11-0E57A1A5B002}">
    <Package InstallerVersion="200" Compressed="yes" InstallScope="perMachine"/>
    <Media Id="1" Cabinet="payload.cab" EmbedCab="yes"/>
    <Directory Id="TARGETDIR" Name="SourceDir">
      <Directory Id="ProgramFiles64Folder">
        <Directory Id="INSTALLDIR" Name="extriage-smoke">
          <Component Id="Payload" Guid="{6E1C2F0A-3B7D-4C59-9A11-0E57A1A5B003}" Win64="yes">
            <File Id="PayloadFile" Source="payload.txt"/>
          </Component>
        </Directory>
      </Directory>
    </Directory>
    <Feature Id="Main" Level="1"><ComponentRef Id="Payload"/></Feature>
  </Product>
</Wix>
EOF
echo "extriage smoke test" >"$work/payload.txt"
(cd "$work" && wixl -a x64 -o product.msi product.wxs)
wine_run msiexec /i "Z:${work//\//\\}\\product.msi" /qn
cached=("$EXTRIAGE_WINEPREFIX"/drive_c/windows/Installer/*.msi)
[[ -f "${cached[0]}" ]] || fail "msiexec left no cached package in C:\\windows\\Installer"
rm -f "${cached[@]}"
mkdir -p "$EXTRIAGE_WINEPREFIX/drive_c/ExchangeSetupLogs"
cp "$root/samples/exchange-setup/msi-install-1603.log" "$EXTRIAGE_WINEPREFIX/drive_c/ExchangeSetupLogs/ExchangeSetup.log"

# 1. collect
zip="$work/collected.zip"
rc=0
wine_run "$exe" collect --out "$zip" >"$work/collect.out" 2>"$work/collect.err" || rc=$?
tr -d '\r' <"$work/collect.err" >"$work/collect.txt"
[[ $rc -eq 0 ]] || { cat "$work/collect.txt" >&2; fail "collect exited $rc"; }
[[ -s "$zip" ]] || fail "collect wrote no $zip"
grep -q '^  could not read event log MSExchange Management: ' "$work/collect.txt" \
    || { cat "$work/collect.txt" >&2; fail "collect did not say it could not read the MSExchange Management log"; }
grep -q '^Wrote [0-9]* files to ' "$work/collect.txt" || { cat "$work/collect.txt" >&2; fail "collect printed no summary"; }

rc=0
"$linux" analyze --format json "$zip" >"$work/analyze.json" 2>"$work/analyze.err" || rc=$?
[[ $rc -eq 1 ]] || { cat "$work/analyze.err" >&2; fail "the Linux analyze of the collected zip exited $rc, not 1 (findings)"; }
python3 - "$work/analyze.json" <<'EOF' || fail "the Linux analyze did not read the collected zip as expected"
import json, sys
report = json.load(open(sys.argv[1], encoding="utf-8"))
parsers = {f.get("parser") for f in report["files"]}
rules = {f.get("rule") for f in report["findings"]}
print(f"  analyze of the collected zip: parsers {sorted(p for p in parsers if p)}, {len(rules)} rules fired")
assert "system-state" in parsers, parsers
assert "exchange-setup" in parsers, parsers
assert "state-pending-reboot" in rules, rules
assert "state-installer-cache-missing" in rules, rules
assert "msi-install-fatal-1603" in rules, rules   # the setup log's own finding
EOF

# 2. check
rc=0
wine_run "$exe" check --target CU15 >"$work/check.out" 2>"$work/check.err" || rc=$?
tr -d '\r' <"$work/check.out" >"$work/check.txt"
grep -q '^Readiness of .* for .*CU15: not ready$' "$work/check.txt" \
    || { cat "$work/check.txt" "$work/check.err" >&2; fail "check printed no 'not ready' verdict line"; }
[[ $rc -eq 1 ]] || fail "check exited $rc, not 1 (not ready)"
echo "smoke-collect-windows: collect, analyze of its zip and check --target CU15 passed ($(head -n 1 "$work/check.txt"))"
