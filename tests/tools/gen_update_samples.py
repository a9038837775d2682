#!/usr/bin/env python3
"""Writes the synthetic SU/update samples: samples/msi/*.log, samples/ldif/ldif.err and
samples/exchange-setup-logs/ServiceControl.log.

Everything here is invented for the tests (contoso.com, EXADMIN, custom action names, GUIDs of
patches); only the line *shapes* follow Windows Installer verbose logs, ldifde error files and the
ServiceControl.ps1 log as described in ../shared/research/update-inputs.md. The ServiceControl.log
option lines and the custom action names are guesses (the real format is not documented).

Usage: python3 tests/tools/gen_update_samples.py [repo-root]
"""
import os
import sys

PRODUCT = "{CD981244-E9B8-405A-9026-6AEB9DCEF1F1}"
UPGRADE = "{A4A259AB-A77F-4039-832A-27B431DDFFEA}"
INDENT = " " * 11


class Msi:
    """A verbose MSI log with a clock that advances per line."""

    def __init__(self, h, m, s):
        self.t = (h * 3600 + m * 60 + s) * 1000
        self.lines = []

    def tick(self, ms):
        self.t += ms

    def hms(self):
        s = self.t // 1000
        return "%02d:%02d:%02d" % (s // 3600 % 24, s // 60 % 60, s % 60)

    def stamp(self):
        return "%s:%03d" % (self.hms(), self.t % 1000)

    def e(self, ctx, pid, text, ms=16):
        self.tick(ms)
        first, *rest = text.split("\n")
        self.lines.append("MSI (%s) (%s) [%s]: %s" % (ctx, pid, self.stamp(), first))
        self.lines.extend(rest)

    def raw(self, text, ms=0):
        self.tick(ms)
        self.lines.extend(text.split("\n"))

    def action(self, pid, name, rv=1, ms=16):
        self.e("s", pid, "Doing action: %s" % name, ms)
        self.raw("Action start %s: %s." % (self.hms(), name))
        self.tick(ms)
        self.raw("Action ended %s: %s. Return value %d." % (self.hms(), name, rv))

    def text(self, crlf=True):
        return ("\r\n" if crlf else "\n").join(self.lines) + ("\r\n" if crlf else "\n")


def run_engine(m, ctx, pid):
    m.e(ctx, pid, "******* RunEngine:\n%s******* Product: %s\n%s******* Action: \n%s******* CommandLine: **********"
        % (INDENT, PRODUCT, INDENT, INDENT))


def client_start(m, date, msp):
    m.raw("=== Verbose logging started: %s  %s  Build type: SHIP UNICODE 5.00.10011.00  Calling process: "
          "C:\\Windows\\system32\\msiexec.exe ===" % (date, m.hms()))
    m.e("c", "7C:10", "Resetting cached policy values")
    m.e("c", "7C:10", "Machine policy value 'Debug' is 0")
    run_engine(m, "c", "7C:10")
    m.e("c", "7C:10", "Client-side and UI is none or basic: Running entire install on the server.")
    m.e("c", "7C:10", "Grabbed execution mutex.")
    m.e("c", "7C:10", "Cloaking enabled.")
    m.e("c", "7C:10", "Attempting to enable all disabled privileges before calling Install on Server")
    m.e("c", "7C:10", "Incrementing counter to disable shutdown. Counter after increment: 0")
    m.e("s", "A0:B4", "Running installation inside multi-package transaction %s" % PRODUCT)
    m.e("s", "A0:B4", "Grabbed execution mutex.")
    m.e("s", "A0:48", "Resetting cached policy values")
    run_engine(m, "s", "A0:48")
    m.e("s", "A0:48", "Machine policy value 'DisableUserInstalls' is 0")
    m.e("s", "A0:48", "Command Line: PATCH=%s CURRENTDIRECTORY=C:\\Install CLIENTUILEVEL=3 MSICLIENTUSESEXTERNALUI=1 "
        "CLIENTPROCESSID=3964 " % msp)
    m.e("s", "A0:48", "Original package ==> C:\\Windows\\Installer\\5c1e2b.msi")
    m.e("s", "A0:48", "Package we're running from ==> C:\\Windows\\Installer\\5c1e2b.msi")
    m.e("s", "A0:48", "APPCOMPAT: looking for appcompat database entry with ProductCode '%s'." % PRODUCT)
    m.e("s", "A0:48", "Opening existing patch 'C:\\Windows\\Installer\\8d3a41.msp'.")


def sequencer(m, msp, version, applicable, patch_guid):
    m.e("s", "A0:48", "SequencePatches starts. Product code: %s, Product version: %s, Upgrade code: %s, "
        "Product language 1033" % (PRODUCT, version, UPGRADE))
    m.e("s", "A0:48", "PATCH SEQUENCER: verifying the applicability of QFE patch %s against product code: %s, "
        "product version: %s, product language 1033 and upgrade code: %s" % (msp, PRODUCT, version, UPGRADE))
    m.e("s", "A0:48", "Note: 1: 2205 2:  3: MsiPatchSequence ")
    if not applicable:
        m.e("s", "A0:48", "PATCH SEQUENCER: QFE patch %s is not applicable." % msp)
    m.e("s", "A0:48", "SequencePatches returns success.")
    m.e("s", "A0:48", "Final Patch Application Order:")
    if applicable:
        m.e("s", "A0:48", "%s - %s" % (patch_guid, msp))
    m.e("s", "A0:48", "Other Patches:")
    if not applicable:
        m.e("s", "A0:48", "Unknown\\Absent: %s - %s" % (patch_guid, msp))


def properties(m, ctx, props):
    for k, v in props:
        m.raw("Property(%s): %s = %s" % (ctx, k, v))


def server_props(version, msp, user):
    return [
        ("UpgradeCode", UPGRADE),
        ("ProductCode", PRODUCT),
        ("ProductVersion", version),
        ("ProductName", "Microsoft Exchange Server"),
        ("Manufacturer", "Microsoft Corporation"),
        ("ProductLanguage", "1033"),
        ("PATCH", msp),
        ("LogonUser", user),
        ("msgInterimIncorrectRollup", "Installation cannot continue. The Setup Wizard has determined that this "
         "Interim Update is incompatible with the current Microsoft Exchange Server version."),
        ("ALLUSERS", "1"),
        ("Installed", "00:00:00"),
        ("Privileged", "1"),
    ]


def client_props(logfile, elevated):
    props = [
        ("ProductCode", PRODUCT),
        ("ProductName", "Microsoft Exchange Server"),
        ("Manufacturer", "Microsoft Corporation"),
        ("ProductLanguage", "1033"),
        ("UpgradeCode", UPGRADE),
        ("CURRENTDIRECTORY", "C:\\Install"),
        ("CLIENTUILEVEL", "3"),
        ("CLIENTPROCESSID", "3964"),
        ("MsiLogFileLocation", logfile),
        ("VersionNT", "1000"),
        ("VersionNT64", "1000"),
        ("WindowsBuild", "17763"),
        ("ServicePackLevel", "0"),
        ("WindowsFolder", "C:\\Windows\\"),
        ("SystemFolder", "C:\\Windows\\system32\\"),
        ("ProgramFilesFolder", "C:\\Program Files (x86)\\"),
        ("ProgramFiles64Folder", "C:\\Program Files\\"),
        ("TempFolder", "C:\\Users\\EXADMIN\\AppData\\Local\\Temp\\"),
        ("ComputerName", "EX01"),
        ("LogonUser", "EXADMIN"),
        ("UserLanguageID", "1033"),
        ("SystemLanguageID", "1033"),
        ("AdminUser", "1"),
        ("Date", "3/12/2024"),
    ]
    if elevated:
        props.insert(10, ("MsiRunningElevated", "1"))
        props.insert(11, ("Privileged", "1"))
    return props


def footer(m, date, code):
    m.e("c", "7C:10", "Decrementing counter to disable shutdown. If counter >= 0, shutdown will be denied.  "
        "Counter after decrement: -1")
    m.e("c", "7C:10", "MainEngineThread is returning %d" % code)
    m.raw("=== Verbose logging stopped: %s  %s ===" % (date, m.hms()))


def su_1603():
    msp = "C:\\Install\\Exchange2019-KB5036402-x64-en.msp"
    name = "Security Update for Exchange Server 2019 Cumulative Update 14 (KB5036402) 15.2.1544.9"
    logfile = "C:\\Program Files\\Microsoft\\Exchange Server\\V15\\Logging\\Update\\msi\\ExchangeUpdate_2024-03-12-144610.log"
    m = Msi(14, 46, 10)
    client_start(m, "3/12/2024", msp)
    sequencer(m, msp, "15.2.1544.4", True, "{5E1F0C3A-7B21-4C55-9E8D-2D4B61F0A9C7}")
    m.e("s", "A0:48", "Original patch ==> %s" % msp)
    m.e("s", "A0:48", "Patch we're running from ==> C:\\Windows\\Installer\\6f2b9c.msp")
    m.e("s", "A0:48", "Product %s is admin assigned: LocalSystem owns the publish key." % PRODUCT)
    m.e("s", "A0:48", "Running product '%s' with elevated privileges: Product is assigned." % PRODUCT)
    m.e("s", "A0:48", "Doing action: INSTALL")
    m.raw("Action start %s: INSTALL." % m.hms())
    for a in ["FindRelatedProducts", "LaunchConditions", "CostInitialize", "FileCost", "CostFinalize",
              "InstallValidate", "InstallInitialize", "StopServices", "InstallFiles", "PatchFiles"]:
        m.action("A0:48", a, ms=900)
    m.e("s", "A0:48", "Doing action: InstallFinalize", 2000)
    m.raw("Action start %s: InstallFinalize." % m.hms())
    m.e("s", "A0:8C", "Executing op: ActionStart(Name=RunUpdateCas,Description=Updating OWA and ECP files,)", 30000)
    m.e("s", "A0:8C", "Executing op: CustomActionSchedule(Action=RunUpdateCas,ActionType=3073,Source=BinaryData,"
        "Target=ExecuteUpdateCas,CustomActionData=C:\\Program Files\\Microsoft\\Exchange Server\\V15\\)")
    m.e("s", "A0:D8", "Invoking remote custom action. DLL: C:\\Windows\\Installer\\MSI9A2F.tmp, Entrypoint: ExecuteUpdateCas")
    m.e("s", "A0!9C", "Closing MSIHANDLE (7) of type 790531 for thread 3740", 29000)
    m.raw("CustomAction RunUpdateCas returned actual error code 1603 (note this may not be 100% accurate if "
          "translation happened inside sandbox)")
    m.e("s", "A0:8C", "Note: 1: 2265 2:  3: -2147287035 ")
    m.e("s", "A0:8C", "User policy value 'DisableRollback' is 0")
    m.e("s", "A0:8C", "Machine policy value 'DisableRollback' is 0")
    m.raw("Action ended %s: InstallFinalize. Return value 3." % m.hms())
    m.e("s", "A0:8C", "Executing op: Header(Signature=1397708873,Version=500,Timestamp=1482580480,LangId=1033,"
        "Platform=2,ScriptType=2,ScriptMajorVersion=21,ScriptMinorVersion=4,ScriptAttributes=1)")
    m.e("s", "A0:8C", "Executing op: RollbackInfo(,RollbackAction=Rollback,RollbackDescription=Rolling back action:,"
        "RollbackTemplate=[1],CleanupAction=RollbackCleanup,CleanupDescription=Removing backup files,"
        "CleanupTemplate=File: [1])", 300000)
    m.e("s", "A0:48", "Note: 1: 1725 ")
    m.e("s", "A0:48", "Note: 1: 1708 ")
    m.raw("Action ended %s: INSTALL. Return value 3." % m.hms())
    properties(m, "S", server_props("15.2.1544.4", msp, "EXADMIN"))
    m.e("s", "A0:48", "Product: Microsoft Exchange Server - Update '%s' could not be installed. Error code 1603. "
        "Additional information is available in the log file %s." % (name, logfile))
    m.e("s", "A0:48", "Windows Installer installed an update. Product Name: Microsoft Exchange Server. Product Version: "
        "15.2.1544.4. Product Language: 1033. Manufacturer: Microsoft Corporation. Update Name: %s. Installation "
        "success or error status: 1603." % name)
    m.e("s", "A0:48", "Note: 1: 1729 ")
    m.e("s", "A0:48", "Product: Microsoft Exchange Server -- Configuration failed.")
    m.e("s", "A0:48", "Windows Installer reconfigured the product. Product Name: Microsoft Exchange Server. Product "
        "Version: 15.2.1544.4. Product Language: 1033. Manufacturer: Microsoft Corporation. Reconfiguration success "
        "or error status: 1603.")
    m.e("s", "A0:48", "MainEngineThread is returning 1603")
    m.e("s", "A0:B4", "No System Restore sequence number for this installation.")
    m.raw("Action ended %s: INSTALL. Return value 3." % m.hms())
    properties(m, "C", client_props(logfile, True))
    footer(m, "3/12/2024", 1603)
    return m.text()


def su_wrong_cu():
    msp = "C:\\Install\\Exchange2019-KB5032146-x64-en.msp"
    name = "Security Update for Exchange Server 2019 Cumulative Update 13 (KB5032146) 15.2.1258.28"
    logfile = "C:\\Install\\su-nov23.log"
    m = Msi(9, 12, 3)
    client_start(m, "11/20/2023", msp)
    sequencer(m, msp, "15.2.1118.7", False, "{0B6E9D1C-3A7F-4E2B-8C5D-9F1A2B3C4D5E}")
    m.e("s", "A0:48", "Note: 1: 1708 ")
    m.e("s", "A0:48", "Product: Microsoft Exchange Server -- The upgrade patch cannot be installed by the Windows "
        "Installer service because the program to be upgraded may be missing, or the upgrade patch may update a "
        "different version of the program. Verify that the program to be upgraded exists on your computer and that "
        "you have the correct upgrade patch.")
    m.e("s", "A0:48", "Windows Installer installed an update. Product Name: Microsoft Exchange Server. Product Version: "
        "15.2.1118.7. Product Language: 1033. Manufacturer: Microsoft Corporation. Update Name: %s. Installation "
        "success or error status: 1642." % name)
    m.e("s", "A0:48", "MainEngineThread is returning 1642")
    m.e("s", "A0:B4", "No System Restore sequence number for this installation.")
    props = client_props(logfile, True)
    properties(m, "C", props)
    footer(m, "11/20/2023", 1642)
    return m.text(crlf=True)


def su_success(elevated, kb="KB5074992", cu=15, cu_build="15.2.1748.10", su_build="15.2.1748.43", date="2/11/2026"):
    msp = "C:\\Install\\Exchange2019-%s-x64-en.msp" % kb
    name = "Security Update for Exchange Server 2019 Cumulative Update %d (%s) %s" % (cu, kb, su_build)
    month, day, year = date.split("/")
    logfile = ("C:\\Program Files\\Microsoft\\Exchange Server\\V15\\Logging\\Update\\msi\\ExchangeUpdate_%s-%02d-%02d-201502.log"
               % (year, int(month), int(day)))
    m = Msi(20, 15, 2)
    client_start(m, date, msp)
    sequencer(m, msp, cu_build, True, "{8A2C4E6F-1B3D-4F5A-9C7E-0D2F4A6B8C1E}")
    m.e("s", "A0:48", "Original patch ==> %s" % msp)
    m.e("s", "A0:48", "Doing action: INSTALL")
    m.raw("Action start %s: INSTALL." % m.hms())
    for a in ["CostInitialize", "FileCost", "CostFinalize", "InstallValidate", "InstallInitialize", "StopServices",
              "InstallFiles", "PatchFiles", "RunUpdateCas", "RunUpdateConfigFiles", "InstallFinalize"]:
        m.action("A0:48", a, ms=20000)
    m.raw("Action ended %s: INSTALL. Return value 1." % m.hms())
    properties(m, "S", server_props(cu_build, msp, "EXADMIN"))
    m.e("s", "A0:48", "Product: Microsoft Exchange Server - Update '%s' installed successfully." % name)
    m.e("s", "A0:48", "Windows Installer installed an update. Product Name: Microsoft Exchange Server. Product Version: "
        "%s. Product Language: 1033. Manufacturer: Microsoft Corporation. Update Name: %s. Installation "
        "success or error status: 0." % (cu_build, name))
    m.e("s", "A0:48", "Product: Microsoft Exchange Server -- Configuration completed successfully.")
    m.e("s", "A0:48", "MainEngineThread is returning 0")
    m.raw("Action ended %s: INSTALL. Return value 1." % m.hms())
    properties(m, "C", client_props(logfile, elevated))
    footer(m, date, 0)
    return m.text(crlf=True)


SERVICE_CONTROL = r"""[14:46:21] -----------------------------------------------
[14:46:21] * ServiceControl.ps1: 12.03.2024 14:46:21
[14:46:21] Performing service control with options:
[14:46:21] Operation: Save
[14:46:21] Roles: Mailbox
[14:46:21] Saving service state to 'C:\ExchangeSetupLogs\ServiceState.xml'...
[14:46:22] Saving services startup mode.
[14:46:22] Adding to installed roles list: Mailbox
[14:46:23] -----------------------------------------------
[14:46:23] * ServiceControl.ps1: 12.03.2024 14:46:23
[14:46:23] Performing service control with options:
[14:46:23] Operation: DisableServices
[14:46:23] Disabling services for the following roles: Mailbox
[14:46:23] Setting service MSExchangeADTopology StartupType to Disabled
[14:46:23] Setting service MSExchangeIS StartupType to Disabled
[14:46:24] Setting service MSExchangeTransport StartupType to Disabled
[14:46:24] Setting service MSExchangeFrontEndTransport StartupType to Disabled
[14:46:24] Setting service MSExchangeServiceHost StartupType to Disabled
[14:46:24] Setting service W3SVC StartupType to Disabled
[14:46:25] -----------------------------------------------
[14:46:25] * ServiceControl.ps1: 12.03.2024 14:46:25
[14:46:25] Performing service control with options:
[14:46:25] Operation: Stop
[14:46:25] Stopping services for the following roles: Mailbox
[14:46:25] Stopping service 'MSExchangeFrontEndTransport'.
[14:46:31] Stopping service 'MSExchangeTransport'.
[14:46:52] Stopping service 'MSExchangeIS'.
[14:47:40] Stopping service 'MSExchangeServiceHost'.
[14:47:44] Stopping service 'W3SVC'.
[14:47:49] Stopping service 'MSExchangeADTopology'.
"""

LDIF_ERR = """Entry DN: CN=ms-Exch-Schema-Version-Pt,CN=Schema,CN=Configuration,DC=contoso,DC=com
Add error on entry starting on line 1204: Insufficient Rights

The server side error is: 0x2098 Insufficient access rights to perform the operation.

The extended server error is:

00002098: SecErr: DSID-03150F93, problem 4003 (INSUFF_ACCESS_RIGHTS), data 0


Entry DN: CN=ms-Exch-Configuration-Unit-Container,CN=Schema,CN=Configuration,DC=contoso,DC=com
Modify error on entry starting on line 2381: Unwilling To Perform

The server side error is: 0x20e7 The modification was not permitted for security reasons.

The extended server error is:

000020E7: SvcErr: DSID-03152D2C, problem 5003 (WILL_NOT_PERFORM), data 0


An error has occurred in the program
"""


def write(root, rel, data):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..")
    # msiexec /l*v writes UTF-16LE with a BOM on Unicode builds; the others are UTF-8 (CRLF),
    # as logs look after being copied through tools that re-encode them.
    write(root, "samples/msi/su-1603-customaction.log", b"\xff\xfe" + su_1603().encode("utf-16-le"))
    write(root, "samples/msi/su-wrong-cu.log", su_wrong_cu().encode("utf-8"))
    write(root, "samples/msi/su-success.log", su_success(True).encode("utf-8"))
    write(root, "samples/msi/su-not-elevated.log", su_success(False).encode("utf-8"))
    # The November 2024 SU v1 (pulled, replaced by v2 15.2.1544.14): version-known-issue.
    write(root, "samples/msi/su-pulled-nov24-v1.log",
          su_success(True, "KB5044062", 14, "15.2.1544.4", "15.2.1544.13", "11/13/2024").encode("utf-8"))
    write(root, "samples/exchange-setup-logs/ServiceControl.log", SERVICE_CONTROL.replace("\n", "\r\n").encode("utf-8"))
    write(root, "samples/ldif/ldif.err", LDIF_ERR.replace("\n", "\r\n").encode("utf-8"))


if __name__ == "__main__":
    main()
