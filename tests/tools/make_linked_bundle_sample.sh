#!/bin/sh
# Builds samples/bundles/EX01-1106.zip: one server's setup log whose latest run failed, with the
# Application events of the same server, so that the report shows an event linked to the run
# (logged during it, moved under the setup log) and an older event with its distance in time
# ("300 days before setup run 1"), and names the MSI log the older event points at as a missing
# input. The events are ours, written in the layout of wevtutil qe Application /f:xml; the
# setup log is samples/exchange-setup/services-disabled.log (its run: 2024-11-05 20:14 UTC).
# Deterministic (fixed times, sorted entries), like make_bundle_sample.sh. Needs zip.
set -eu

root=$(cd "$(dirname "$0")/../.." && pwd)
out=$root/samples/bundles/EX01-1106.zip
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
export TZ=UTC LC_ALL=C

srv=$work/EX01
mkdir -p "$srv/ExchangeSetupLogs" "$srv/Windows_Event_Logs"
cp "$root/samples/exchange-setup/services-disabled.log" "$srv/ExchangeSetupLogs/ExchangeSetup.log"

ns="xmlns='http://schemas.microsoft.com/win/2004/08/events/event'"
sys() {   # sys PROVIDER ID QUALIFIERS LEVEL TIME RECORD
    printf "<System><Provider Name='%s'/><EventID Qualifiers='%s'>%s</EventID><Version>0</Version><Level>%s</Level><Task>0</Task><Keywords>0x80000000000000</Keywords><TimeCreated SystemTime='%s'/><EventRecordID>%s</EventRecordID><Channel>Application</Channel><Computer>EX01.contoso.com</Computer><Security/></System>" \
        "$1" "$3" "$2" "$4" "$5" "$6"
}
{
    # An SU that failed 300 days before the setup run.
    printf '<Event %s>%s<EventData><Data>Product: Microsoft Exchange Server - Update '"'"'Security Update for Exchange Server 2019 Cumulative Update 14 (KB5034129) 15.2.1544.9'"'"' could not be installed. Error code 1603. Additional information is available in the log file C:\\Program Files\\Microsoft\\Exchange Server\\V15\\Logging\\Update\\msi\\ExchangeUpdate_2024-01-10-031155.log.</Data><Data>(NULL)</Data><Data>(NULL)</Data><Data>(NULL)</Data><Data>(NULL)</Data><Data>(NULL)</Data><Data></Data></EventData></Event>\r\n' \
        "$ns" "$(sys MsiInstaller 1023 0 2 2024-01-10T03:12:40.0000000Z 30211)"
    # Setup's own error record, written while the run failed.
    printf '<Event %s>%s<EventData><Data>Exchange Server component Mailbox role: Mailbox Service Control (Last) failed.</Data><Data>Error: The following error was generated when "$error.Clear(); Start-SetupService -ServiceName MSExchangeServiceHost" was run: "Service '"'"'MSExchangeServiceHost'"'"' failed to reach status '"'"'Running'"'"' on this server.".</Data></EventData></Event>\r\n' \
        "$ns" "$(sys MSExchangeSetup 1002 49152 2 2024-11-05T20:14:34.9000000Z 48907)"
} > "$srv/Windows_Event_Logs/Application.xml"

find "$work" -exec touch -h -t 202411061200.00 {} +
mkdir -p "$(dirname "$out")"
rm -f "$out"
(cd "$work" && find . -mindepth 1 | sed 's|^\./||' | sort | zip -q -X -@ "$out")
echo "wrote $out ($(wc -c < "$out") bytes)"
