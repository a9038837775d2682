#!/usr/bin/env python3
"""Writes the synthetic ExchangeSetup.log samples under samples/exchange-setup/.

The samples exercise the exchange-setup *parser* (encodings, culture stamps, line endings, runs, continuation
lines, header facts, outcomes). Every name in them is invented (CONTOSO, EX01.contoso.com, ...);
no text is copied from real customer logs. Failure samples for individual rules live elsewhere.

Usage: python3 tests/tools/gen_exchange_setup_samples.py [output-dir]
"""
import datetime as dt
import os
import sys

STARS46 = "*" * 46
STARS14 = "*" * 14


class Log:
    """Accumulates physical lines with a monotonically advancing timestamp.

    Setup formats the stamp as "MM/dd/yyyy HH:mm:ss.ffff" in the culture of the user who runs it:
    the '/' becomes the culture's date separator and the ':' its time separator (culture())."""

    def __init__(self, start):
        self.t = start
        self.lines = []
        self.date_sep = "/"
        self.time_sep = ":"

    def at(self, when):
        self.t = when

    def culture(self, date_sep, time_sep=":"):
        self.date_sep = date_sep
        self.time_sep = time_sep

    def tick(self, ms):
        self.t += dt.timedelta(milliseconds=ms)

    def stamp(self):
        d, t = self.date_sep, self.time_sep
        return "[%s.%04d]" % (self.t.strftime("%m" + d + "%d" + d + "%Y %H" + t + "%M" + t + "%S"),
                              self.t.microsecond // 100)

    def add(self, depth, text, ms=2):
        self.tick(ms)
        first, *rest = text.split("\n")
        self.lines.append("%s [%d] %s" % (self.stamp(), depth, first))
        self.lines.extend(rest)  # continuation lines carry no timestamp

    def raw(self, text):
        self.lines.append(text)


def header(log, product, tz, user, setup_version, params, command):
    log.add(0, STARS46, 0)
    log.add(0, "Starting Microsoft %s Setup" % product, 1)
    log.add(0, STARS46, 0)
    log.add(0, "Local time zone: %s." % tz)
    log.add(0, "Operating system version: Microsoft Windows NT 10.0.20348.0.")
    log.add(0, "Setup version: %s." % setup_version)
    log.add(0, "Logged on user: %s." % user)
    for name, value in params:
        log.add(0, "Command Line Parameter Name='%s', Value='%s'." % (name, value), 0)
    log.add(0, "RuntimeAssembly was started with the following command: '%s'." % command, 20)
    log.add(0, "The registry key, HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Exchange\\v8.0, wasn't found.", 5)
    log.add(0, "The registry key, HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\ExchangeServer\\v14, wasn't found.", 0)


def ad_discovery(log, dc, org, server, roles_installed, fresh):
    log.add(0, "Setup is choosing the domain controller to use", 900)
    log.add(0, "The MSExchangeADTopology has a persisted domain controller: %s" % dc, 60)
    log.add(0, "PrepareAD has been run, and has replicated to this domain controller; so setup will use %s" % dc, 300)
    log.add(0, "Setup is choosing a global catalog...")
    log.add(0, "Setup has chosen the global catalog server %s." % dc, 15)
    log.add(0, "Setup will use the domain controller '%s'." % dc, 0)
    log.add(0, "Setup will use the global catalog '%s'." % dc, 0)
    log.add(0, "Exchange configuration container for the organization is "
               "'CN=Microsoft Exchange,CN=Services,CN=Configuration,DC=contoso,DC=com'.")
    log.add(0, "Exchange organization container for the organization is "
               "'CN=%s,CN=Microsoft Exchange,CN=Services,CN=Configuration,DC=contoso,DC=com'." % org)
    log.add(0, "Setup will search for an Exchange Server object for the local machine with name '%s'." % server)
    if fresh:
        log.add(0, "No Exchange Server with identity '%s' was found." % server, 40)
        log.add(0, "The following roles have been unpacked: ")
        log.add(0, "The following datacenter roles are unpacked: ")
        log.add(0, "The following roles are installed: ")
        log.add(0, "The local server does not have any Exchange files installed.")
    else:
        log.add(0, "Exchange Server object found : 'CN=%s,CN=Servers,CN=Exchange Administrative Group "
                   "(FYDIBOHF23SPDLT),CN=Administrative Groups,CN=%s,CN=Microsoft Exchange,CN=Services,"
                   "CN=Configuration,DC=contoso,DC=com'." % (server, org), 90)
        log.add(0, "The following roles have been unpacked: %s " % roles_installed)
        log.add(0, "The following datacenter roles are unpacked: ")
        log.add(0, "The following roles are installed: %s " % roles_installed)
        log.add(0, "The local server has some Exchange files installed.")
    log.add(0, "Server Name=%s" % server)


def org_status(log, org, schema, orgcfg, domain):
    log.add(0, "An Exchange organization with name '%s' was found in this forest." % org, 500)
    log.add(0, "Active Directory Initialization status : 'True'.", 0)
    log.add(0, "Schema Update Required Status : '%s'." % schema, 0)
    log.add(0, "Organization Configuration Update Required Status : '%s'." % orgcfg, 0)
    log.add(0, "Domain Configuration Update Required Status : '%s'." % domain, 0)


def evaluated(log, kind, name, value, thread=8, exc=False, ms=1):
    log.add(1, "Evaluated [%s:%s] [HasException:%s] [Value:\"%s\"] [ParentValue:\"<NULL>\"] [Thread:%d] "
               "[Duration:00:00:00.00%02d000]" % (kind, name, exc, value, thread, ms * 7 % 100), ms)


def prereq_block(log, fqdn, site, dc_site, extra=(), failed=(), override=None):
    log.add(0, "Performing Microsoft Exchange Server Prerequisite Check", 20)
    log.add(0, STARS14, 50)
    log.add(1, "Started [Analysis:Prereq]", 900)
    settings = [
        ("Setting", "ComputerNameDnsFullyQualified", fqdn),
        ("Setting", "SiteName", site),
        ("Setting", "DomainControllerSiteName", dc_site),
        ("Setting", "ExchangeSerialNumber", "Version 15.2 (Build 31258.12)"),
        ("Setting", "PowerShellExecutionPolicy", "Unrestricted"),
        ("Setting", "WindowsVersion", "10.0"),
        ("Setting", "ClrReleaseNumber", "528449"),
        ("Rule", "ComputerNotPartofDomain", "False"),
        ("Rule", "PendingRebootWindowsComponents", "False"),
        ("Rule", "RebootPending", "False"),
        ("Rule", "DomainControllerIsOutOfSite", "False"),
        ("Rule", "IISURLRewriteNotInstalled", "False"),
    ] + list(extra)
    override = override or {}
    settings = [(kind, name, override.get(name, value)) for kind, name, value in settings]
    for i, (kind, name, value) in enumerate(settings):
        log.add(1, "Started [%s:%s] [Parent:RootAnalysisMember] [%s]"
                % (kind, name, "RuleType:Error" if kind == "Rule" else "ValueType:String"), 1)
        evaluated(log, kind, name, value, thread=8 + i % 5, ms=1 + i % 4)
        log.add(1, "Finished [%s:%s] [Duration:00:00:00.0010003]" % (kind, name), 0)
    for rule, message in failed:
        log.add(1, "Failed [Rule:%s] [Message:%s]" % (rule, message), 1)
    log.add(1, "Finished [Analysis:Prereq] [Duration:00:00:04.1875044]", 30)


def component(log, task, name, description, body=()):
    log.add(1, "Processing component '%s' (%s)." % (name, description), 40)
    for line in body:
        log.add(1, line, 120)


def result_tail(log, succeeded, ms):
    """The result line and the end-of-setup frame every run finishes with."""
    if succeeded:
        log.add(0, "The Exchange Server setup operation completed successfully.", ms)
    else:
        log.add(0, "The Exchange Server setup operation didn't complete.  More details can be found in "
                   "ExchangeSetup.log located in the <SystemDrive>:\\ExchangeSetupLogs folder.", ms)
    log.add(0, "CurrentResult main.run:235: %d" % (0 if succeeded else 1), 1)
    log.add(0, "CurrentResult setupbase.maincore:396: %d" % (0 if succeeded else 1), 0)
    log.add(0, "End of Setup", 0)
    log.add(0, STARS46, 0)


def good_upgrade():
    log = Log(dt.datetime(2024, 2, 14, 21, 3, 11, 120000))
    roles = "BridgeheadRole ClientAccessRole MailboxRole FrontendTransportRole AdminToolsRole CafeRole"
    header(log, "Exchange Server 2019", "(UTC-05:00) Eastern Time (US & Canada)", "CONTOSO\\admin", "15.2.1544.4",
           [("sourcedir", "E:\\"), ("mode", "Upgrade"), ("iacceptexchangeserverlicenseterms_diagnosticdataoff", "")],
           "/mode:Upgrade /IAcceptExchangeServerLicenseTerms_DiagnosticDataOFF /sourcedir:E:\\")
    log.add(0, "Copying Files...", 15)
    log.add(0, "Starting copy from E:\\Setup\\ServerRoles\\Common to C:\\Windows\\Temp\\ExchangeSetup.", 6)
    log.add(0, "Finished copy from E:\\Setup\\ServerRoles\\Common to C:\\Windows\\Temp\\ExchangeSetup.", 5800)
    log.add(0, "File copy complete. Setup will now collect additional information needed for installation.", 5)
    ad_discovery(log, "DC01.contoso.com", "Contoso", "EX01", roles, fresh=False)
    log.add(0, "Setup will use the path 'E:\\' for installing Exchange.")
    log.add(0, "The backup copy of the install path is 'C:\\Program Files\\Microsoft\\Exchange Server\\V15'.")
    log.add(0, "The backup copy of the previously installed version is '15.2.1258.12'.")
    log.add(0, "The installation mode is set to: 'BuildToBuildUpgrade'.")
    org_status(log, "Contoso", "False", "False", "False")
    log.add(0, "The locally installed version is 15.2.1258.12.")
    log.add(0, "Exchange Installation Directory : 'C:\\Program Files\\Microsoft\\Exchange Server\\V15'.")
    log.add(0, "Setup is determining what organization-level operations to perform.", 40)
    log.add(0, "Because the value was specified, setup is setting the argument OrganizationName to the value Contoso.")
    log.add(0, "The installed MSI is current for this version of Setup.")
    log.add(0, "Validating options for the 6 requested roles")
    log.add(0, "UpgradeModeDataHandler has 9 handlers and 9 work units")
    prereq_block(log, "EX01.contoso.com", "NYC-HQ", "NYC-HQ")
    log.add(1, "Setup launched task 'Start-PreConfiguration -Mode Upgrade -Roles %s'" % roles.replace(" ", ","), 300)
    log.add(1, "Beginning processing Start-PreConfiguration", 1)
    component(log, "Start-PreConfiguration", "Stopping Services", "Stopping Exchange services",
              ["Executing:\n          . \"$RoleInstallPath\\Scripts\\Manage-ExchangeServices.ps1\";\n"
               "          Stop-SetupService -ServiceName MSExchangeFrontEndTransport;\n"
               "          Stop-SetupService -ServiceName MSExchangeTransport;\n"])
    log.add(2, "Beginning processing Stop-SetupService", 10)
    log.add(2, "Service checkpoint has progressed. Previous checkpoint='0' - Current checkpoint='1'.", 900)
    log.add(2, "Ending processing Stop-SetupService", 2100)
    log.add(1, "Finished executing component tasks.", 15)
    log.add(1, "Ending processing Start-PreConfiguration", 12)
    log.add(1, "Setup launched task 'Install-MsiPackage -PackagePath E:\\exchangeserver.msi'", 60)
    log.add(1, "Beginning processing Install-MsiPackage", 1)
    log.add(1, "Installing a new product. Package: E:\\exchangeserver.msi. Property values: "
               "DEFAULTLANGUAGENAME=ENU PRODUCTLANGUAGELCID=1033 REINSTALL=ALL REINSTALLMODE=vomus", 40)
    log.add(2, "[WARNING] An unexpected error has occurred and a Watson dump is being generated: "
               "the operation timed out and will be retried.", 180000)
    log.add(1, "Ending processing Install-MsiPackage", 240000)
    log.add(1, "Setup launched task 'Install-MailboxRole -WebSiteName \"Default Web Site\"'", 120)
    log.add(1, "Beginning processing Install-MailboxRole", 1)
    component(log, "Install-MailboxRole", "Mailbox Service Configuration", "Configuring the mailbox service",
              ["Executing:\n          if ($RoleIsDatacenter -ne $true)\n          {\n"
               "            Set-WERRegistryMarkers;\n          }\n",
               "Executing:\n          Install-ExchangeCertificate -WebSiteName \"Exchange Back End\" -Services IIS "
               "-DomainController $RoleDomainController\n"])
    log.add(2, "Active Directory session settings for 'Install-ExchangeCertificate' are: View Entire Forest: 'True', "
               "Configuration Domain Controller: 'DC01.contoso.com', Preferred Global Catalog: 'DC01.contoso.com'", 5)
    log.add(2, "User specified parameters:  -WebSiteName:'Exchange Back End' -Services:'IIS' "
               "-DomainController:'DC01.contoso.com'", 0)
    log.add(2, "Beginning processing Install-ExchangeCertificate", 0)
    log.add(2, "[WARNING] This certificate with thumbprint 3F2A6C0D81E4B97A5C3D2E1F0A9B8C7D6E5F4A3B will expire "
               "within 30 days.", 600)
    log.add(2, "Ending processing Install-ExchangeCertificate", 10)
    component(log, "Install-MailboxRole", "Transport Service Configuration", "Configuring the transport service",
              ["Executing:\n          Set-TransportService -Identity $RoleNetBiosName -PickupDirectoryPath "
               "$null -DomainController $RoleDomainController\n"])
    component(log, "Install-MailboxRole", "Client Access Front End Service", "Configuring client access",
              ["Executing:\n          $vdirs = Get-OwaVirtualDirectory -Server $RoleFqdnOrName -ShowMailboxVirtualDirectories;\n"
               "          foreach ($v in $vdirs) { Set-OwaVirtualDirectory $v.Identity -LogonFormat FullDomain }\n"])
    log.add(1, "Finished executing component tasks.", 25)
    log.add(1, "Ending processing Install-MailboxRole", 20)
    log.add(1, "Setup launched task 'Start-PostSetup -Mode Upgrade'", 60)
    log.add(1, "Beginning processing Start-PostSetup", 1)
    component(log, "Start-PostSetup", "Starting Services", "Starting Exchange services",
              ["Executing:\n          Start-SetupService -ServiceName MSExchangeADTopology\n"
               "          Start-SetupService -ServiceName MSExchangeServiceHost\n"])
    log.add(1, "Finished executing component tasks.", 9000)
    log.add(1, "Ending processing Start-PostSetup", 10)
    log.add(0, "CurrentResult console.ProcessRunInternal:198: 0", 40)
    log.add(0, "CurrentResult launcherbase.maincore:90: 0", 5)
    result_tail(log, True, 1)
    return log.lines


def utf16_failed_install():
    log = Log(dt.datetime(2025, 8, 2, 9, 41, 7, 500000))
    header(log, "Exchange Server Subscription Edition", "(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna",
           "CONTOSO\\exadmin", "15.2.2562.17",
           [("mode", "Install"), ("roles", "Mailbox"), ("sourcedir", "D:\\"),
            ("iacceptexchangeserverlicenseterms_diagnosticdataon", "")],
           "/mode:Install /roles:Mailbox /IAcceptExchangeServerLicenseTerms_DiagnosticDataON /sourcedir:D:\\")
    ad_discovery(log, "DC02.contoso.com", "Contoso", "EX02", "", fresh=True)
    log.add(0, "Setup will use the path 'D:\\' for installing Exchange.")
    log.add(0, "The installation mode is set to: 'Install'.")
    org_status(log, "Contoso", "False", "False", "False")
    log.add(0, "Exchange Installation Directory : 'C:\\Program Files\\Microsoft\\Exchange Server\\V15'.")
    log.add(0, "Validating options for the 2 requested roles")
    log.add(0, "InstallModeDataHandler has 4 DataHandlers")
    prereq_block(log, "EX02.contoso.com", "AMS-DC", "AMS-DC",
                 extra=[("Rule", "MsdtcStopped", "False")])
    log.add(1, "Setup launched task 'Install-BridgeheadRole -WebSiteName \"Default Web Site\"'", 500)
    log.add(1, "Beginning processing Install-BridgeheadRole", 1)
    component(log, "Install-BridgeheadRole", "Transport Common Configuration", "Configuring transport components",
              ["Executing:\n          $svc = Get-Service MSExchangeTransport -ErrorAction SilentlyContinue;\n"
               "          if ($svc -ne $null) { Start-SetupService -ServiceName MSExchangeTransport }\n"])
    log.add(2, "Beginning processing Start-SetupService", 15)
    log.add(2, "[ERROR] Service 'MSExchangeTransport' failed to reach status 'Running' on this server.", 30000)
    log.add(1, "The following 1 error(s) occurred during task execution:", 2)
    log.add(1, "0.  ErrorRecord: Service 'MSExchangeTransport' failed to reach status 'Running' on this server.", 0)
    log.add(1, "0.  ErrorRecord: Microsoft.Exchange.Configuration.Tasks.ServiceDidNotReachStatusException: "
               "Service 'MSExchangeTransport' failed to reach status 'Running' on this server.\n"
               "   at Microsoft.Exchange.Configuration.Tasks.Task.ThrowError(Exception exception, ErrorCategory errorCategory, Object target)\n"
               "   at Microsoft.Exchange.Management.Tasks.ManageSetupService.WaitForServiceStatus(ServiceController serviceController, ServiceControllerStatus status)\n"
               "   at Microsoft.Exchange.Management.Tasks.StartSetupService.InternalProcessRecord()\n"
               "   at Microsoft.Exchange.Configuration.Tasks.Task.ProcessTaskStage(TaskStage stage, Action initFunc, Action mainFunc)", 0)
    log.add(1, "[ERROR] The following error was generated when \"$error.Clear();\n"
               "          $svc = Get-Service MSExchangeTransport -ErrorAction SilentlyContinue;\n"
               "          if ($svc -ne $null) { Start-SetupService -ServiceName MSExchangeTransport }\n"
               "        \" was run: \"Microsoft.Exchange.Configuration.Tasks.ServiceDidNotReachStatusException: "
               "Service 'MSExchangeTransport' failed to reach status 'Running' on this server.\".", 1)
    log.add(1, "[ERROR] Service 'MSExchangeTransport' failed to reach status 'Running' on this server.", 0)
    log.add(1, "[ERROR-REFERENCE] Id=BridgeheadComponent___6c7e1b0d2a9f4e3b8d5c0a1f2e3d4c5b "
               "Component=EXCHANGE14:\\Current\\Release\\Shared\\Datacenter\\Setup", 1)
    log.add(1, "Setup is stopping now because of one or more critical errors.", 0)
    log.add(1, "Finished executing component tasks.", 0)
    log.add(1, "Ending processing Install-BridgeheadRole", 20)
    log.add(0, "CurrentResult console.ProcessRunInternal:198: 1", 10)
    log.add(0, "CurrentResult launcherbase.maincore:90: 1", 5)
    result_tail(log, False, 1)
    return log.lines


def two_runs():
    log = Log(dt.datetime(2023, 11, 7, 16, 12, 40, 250000))
    tz = "(UTC-08:00) Pacific Time (US & Canada)"
    # Run 0: /PrepareAD by an account that is not in Enterprise Admins.
    header(log, "Exchange Server 2019", tz, "CONTOSO\\jdoe", "15.2.1258.12",
           [("preparead", ""), ("iacceptexchangeserverlicenseterms_diagnosticdataoff", "")],
           "/PrepareAD /IAcceptExchangeServerLicenseTerms_DiagnosticDataOFF")
    log.add(0, "Setup is choosing the domain controller to use", 900)
    log.add(0, "PrepareAD has either not been run or has not replicated to the domain controller used by Setup. "
               "Setup will attempt to use the Schema Master domain controller DC01.contoso.com", 2000)
    log.add(0, "The schema master domain controller is available", 3)
    log.add(0, "The schema master domain controller is in the local domain; setup will use DC01.contoso.com", 1)
    log.add(0, "Setup will use the domain controller 'DC01.contoso.com'.", 20)
    log.add(0, "Setup will use the global catalog 'DC01.contoso.com'.", 0)
    org_status(log, "Contoso", "False", "True", "True")
    log.add(0, "The command-line option preparead has been specified.")
    log.add(0, "Setup has detected a missing value. Setup is adding the value PrepareOrganization.")
    log.add(0, "Validating options for the 0 requested roles")
    prereq_block(log, "EX03.contoso.com", "SEA-Branch", "SEA-Branch",
                 extra=[("Rule", "GlobalUpdateRequired", "True")],
                 failed=[("GlobalUpdateRequired", "Global updates need to be made to Active Directory, and this "
                          "user account isn't a member of the 'Enterprise Admins' group.")])
    log.add(1, "[REQUIRED] Global updates need to be made to Active Directory, and this user account isn't a "
               "member of the 'Enterprise Admins' group.", 2)
    log.add(1, "Help URL: https://learn.microsoft.com/Exchange/setupreadiness/GlobalUpdateRequired", 0)
    log.add(1, "Ending processing test-SetupPrerequisites", 15)
    result_tail(log, False, 10)
    # Run 1: the same command from an Enterprise Admins account, forty minutes later.
    log.at(dt.datetime(2023, 11, 7, 16, 53, 2, 810000))
    header(log, "Exchange Server 2019", tz, "CONTOSO\\ea-admin", "15.2.1258.12",
           [("preparead", ""), ("iacceptexchangeserverlicenseterms_diagnosticdataoff", "")],
           "/PrepareAD /IAcceptExchangeServerLicenseTerms_DiagnosticDataOFF")
    log.add(0, "Setup is choosing the domain controller to use", 900)
    log.add(0, "Setup will use the domain controller 'DC01.contoso.com'.", 1500)
    log.add(0, "Setup will use the global catalog 'DC01.contoso.com'.", 0)
    org_status(log, "Contoso", "False", "True", "True")
    log.add(0, "The command-line option preparead has been specified.")
    prereq_block(log, "EX03.contoso.com", "SEA-Branch", "SEA-Branch",
                 extra=[("Rule", "GlobalUpdateRequired", "False")])
    log.add(1, "Setup launched task 'Install-ExchangeOrganization -DomainController DC01.contoso.com "
               "-OrganizationName Contoso -PrepareOrganization $true'", 200)
    log.add(1, "Beginning processing Install-ExchangeOrganization", 1)
    component(log, "Install-ExchangeOrganization", "Common Global AD Configuration",
              "Updating organization-wide configuration in Active Directory",
              ["Executing:\n          initialize-ExchangeUniversalGroups -DomainController $RoleDomainController "
               "-ActiveDirectorySplitPermissions $RoleActiveDirectorySplitPermissions\n"])
    log.add(2, "Beginning processing initialize-ExchangeUniversalGroups", 5)
    log.add(2, "[WARNING] The command completed successfully but no settings of 'Contoso' have been modified.", 800)
    log.add(2, "Ending processing initialize-ExchangeUniversalGroups", 10)
    log.add(1, "Finished executing component tasks.", 45000)
    log.add(1, "Ending processing Install-ExchangeOrganization", 10)
    result_tail(log, True, 20)
    return log.lines


def prereq_failure_tail(log):
    log.add(1, "Ending processing test-SetupPrerequisites", 15)
    result_tail(log, False, 10)


UPGRADE = [("mode", "Upgrade"), ("iacceptexchangeserverlicenseterms_diagnosticdataoff", "")]
UPGRADE_CMD = "/mode:Upgrade /IAcceptExchangeServerLicenseTerms_DiagnosticDataOFF"
ROLES = "BridgeheadRole ClientAccessRole MailboxRole FrontendTransportRole AdminToolsRole CafeRole"
BERLIN = "(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna"


def upgrade_run_start(log, user, dc, server, setup_version):
    header(log, "Exchange Server 2019", BERLIN, user, setup_version, UPGRADE, UPGRADE_CMD)
    ad_discovery(log, dc, "Contoso", server, ROLES, fresh=False)
    log.add(0, "The installation mode is set to: 'BuildToBuildUpgrade'.")
    org_status(log, "Contoso", "False", "False", "False")
    log.add(0, "The locally installed version is 15.2.1544.4.")
    log.add(0, "Validating options for the 6 requested roles")


def culture_dotted_de():
    """Two upgrade attempts on a German server: the first admin's profile has de-DE formats
    ([11.05.2024 21:14:02.3312]); the second admin's profile writes the time with dots too
    ([11.05.2024 21.52.40.1000]). Both runs fail a prerequisite; times, runs and findings must
    read as in an en-US log."""
    log = Log(dt.datetime(2024, 11, 5, 21, 14, 2, 331200))
    attempts = (
        (dt.datetime(2024, 11, 5, 21, 14, 2, 331200), ":", "CONTOSO\\admin", "PendingRebootWindowsComponents",
         "There is a pending reboot from a previous installation of a Windows Server role or feature. Please "
         "restart the computer and then run Setup again."),
        (dt.datetime(2024, 11, 5, 21, 52, 40, 100000), ".", "CONTOSO\\exadmin2", "RebootPending",
         "A reboot from a previous installation is pending. Please restart the system and then rerun Setup."),
    )
    for start, time_sep, user, rule, message in attempts:
        log.at(start)
        log.culture(".", time_sep)
        upgrade_run_start(log, user, "DC01.contoso.com", "EX01", "15.2.1748.10")
        prereq_block(log, "EX01.contoso.com", "Berlin-HQ", "Berlin-HQ", override={rule: "True"},
                     failed=[(rule, message)])
        prereq_failure_tail(log)
    return log.lines


PREPAREAD = [("preparead", ""), ("iacceptexchangeserverlicenseterms_diagnosticdataoff", "")]
PREPAREAD_CMD = "/PrepareAD /IAcceptExchangeServerLicenseTerms_DiagnosticDataOFF"
NOT_ENTERPRISE_ADMIN = ("Global updates need to be made to Active Directory, and this user account isn't a "
                        "member of the 'Enterprise Admins' group.")


def preparead_run(log, tz, user, setup_version, dc, fqdn, site, enterprise_admin):
    """A /PrepareAD run up to its prerequisite check, where an account outside Enterprise Admins
    fails (and the run ends)."""
    header(log, "Exchange Server 2019", tz, user, setup_version, PREPAREAD, PREPAREAD_CMD)
    log.add(0, "Setup will use the domain controller '%s'." % dc, 1500)
    log.add(0, "Setup will use the global catalog '%s'." % dc, 0)
    org_status(log, "Contoso", "False", "True", "True")
    log.add(0, "The command-line option preparead has been specified.")
    if enterprise_admin:
        prereq_block(log, fqdn, site, site, extra=[("Rule", "GlobalUpdateRequired", "False")])
        return
    prereq_block(log, fqdn, site, site, extra=[("Rule", "GlobalUpdateRequired", "True")],
                 failed=[("GlobalUpdateRequired", NOT_ENTERPRISE_ADMIN)])
    log.add(1, "[REQUIRED] " + NOT_ENTERPRISE_ADMIN, 2)
    prereq_failure_tail(log)


def culture_dash():
    """A server whose formats use '-' between the date parts ([03-14-2025 10:47:33.1250]): the
    first attempt of /PrepareAD fails (the account isn't in Enterprise Admins), the second, by an
    Enterprise Admin, succeeds."""
    log = Log(dt.datetime(2025, 3, 14, 10, 47, 33, 125000))
    log.culture("-")
    tz = "(UTC+01:00) Brussels, Copenhagen, Madrid, Paris"
    preparead_run(log, tz, "CONTOSO\\svc-setup", "15.2.1748.10", "DC02.contoso.com", "EX05.contoso.com", "PAR-DC",
                  enterprise_admin=False)
    log.at(dt.datetime(2025, 3, 14, 11, 20, 5, 500000))
    preparead_run(log, tz, "CONTOSO\\ea-admin", "15.2.1748.10", "DC02.contoso.com", "EX05.contoso.com", "PAR-DC",
                  enterprise_admin=True)
    log.add(1, "Setup launched task 'Install-ExchangeOrganization -DomainController DC02.contoso.com "
               "-OrganizationName Contoso -PrepareOrganization $true'", 200)
    log.add(1, "Beginning processing Install-ExchangeOrganization", 1)
    log.add(1, "Ending processing Install-ExchangeOrganization", 45000)
    result_tail(log, True, 20)
    return log.lines


def ansi_cp1252():
    """/PrepareAD by CONTOSO\\jürgen.müller, who isn't in Enterprise Admins, on a server that
    writes the log in its ANSI code page (Windows-1252): the user must come out right in the
    facts and the commands. (Computer, DC and site names stay ASCII, as DNS wants them.)"""
    log = Log(dt.datetime(2024, 6, 3, 8, 5, 11, 400000))
    log.culture(".")
    preparead_run(log, BERLIN, "CONTOSO\\jürgen.müller", "15.2.1544.4", "DC-MUC01.contoso.com",
                  "EX-CGN01.contoso.com", "Koeln", enterprise_admin=False)
    return log.lines


def service_control_early():
    """The tail of an upgrade run (the copy starts mid-run), so its first lines are setup's
    service-control components and ServiceControl.ps1's own messages. Setup was started from
    V15\\Bin and failed there (the error lines are the real ones SetupLogReviewer knows)."""
    log = Log(dt.datetime(2021, 12, 17, 16, 47, 40, 100000))
    for component in ("Transport Common Service Control", "Service Host Service Control",
                      "Protected Service Host Service Control"):
        log.add(1, "Loaded component '%s' with 1 task information blocks from 'res://%s.xml'"
                % (component, component.replace(" ", "")), 1)
    log.add(1, "Setup launched task 'Start-PreConfiguration -Mode Upgrade -Roles %s'" % ROLES.replace(" ", ","), 300)
    log.add(1, "Beginning processing Start-PreConfiguration", 1)
    log.add(1, "Processing component 'Stopping Services' (Stopping Exchange services).", 40)
    # ServiceControl.ps1 writes to the setup log through Write-ExchangeSetupLog.
    for before, message, after in ((30000, "Disabling service 'MSExchangeEdgeSync'.", 1),
                                   (160000, "Killing instead of Stopping 'FMS'.", 1),
                                   (3, "Script completed succesfully.", 0)):
        log.add(2, "Beginning processing Write-ExchangeSetupLog", before)
        log.add(2, "[ServiceControl.ps1] " + message, 1)
        log.add(2, "Ending processing Write-ExchangeSetupLog", after)
    term = ("The term 'D:\\Program Files\\Microsoft\\Exchange Server\\V15\\Bin\\ManageScheduledTask.ps1' is not "
            "recognized as the name of a cmdlet, function, script file, or operable program. Check the spelling of "
            "the name, or if a path was included, verify that the path is correct and try again.")
    stack = ("\n   at System.Management.Automation.CommandDiscovery.LookupCommandInfo(String commandName, "
             "CommandTypes commandTypes, SearchResolutionOptions searchResolutionOptions, CommandOrigin "
             "commandOrigin, ExecutionContext context)\n"
             "   at System.Management.Automation.ExecutionContext.CreateCommand(String command, Boolean dotSource)")
    script = ("\n          & $RoleBinPath\\ServiceControl.ps1 -Operation:DisableServices "
              "-Roles:($RoleRoles.Replace('Role','').Split(',')) -SetupScriptsDirectory:$RoleBinPath;\n"
              "          & $RoleBinPath\\ServiceControl.ps1 -Operation:Stop "
              "-Roles:($RoleRoles.Replace('Role','').Split(',')) -IsDatacenter:([bool]$RoleIsDatacenter)\n        ")
    log.add(1, "The following 1 error(s) occurred during task execution:", 3)
    log.add(1, "0.  ErrorRecord: " + term, 1)
    log.add(1, "0.  ErrorRecord: System.Management.Automation.CommandNotFoundException: " + term + stack, 0)
    log.add(1, "[ERROR] The following error was generated when \"$error.Clear();" + script +
               "\" was run: \"System.Management.Automation.CommandNotFoundException: " + term + stack + "\".", 2)
    log.add(1, "[ERROR] " + term, 0)
    log.add(1, "[ERROR-REFERENCE] Id=AllRolesPreFileCopyComponent___2f7e3804a2b340c69e930798211fb8fd "
               "Component=EXCHANGE14:\\Current\\Release\\Shared\\Datacenter\\Setup", 1)
    log.add(1, "Setup is stopping now because of one or more critical errors.", 0)
    log.add(1, "Finished executing component tasks.", 0)
    log.add(1, "Ending processing Start-PreConfiguration", 20)
    log.add(0, "The Exchange Server setup operation didn't complete.  More details can be found in "
               "ExchangeSetup.log located in the <SystemDrive>:\\ExchangeSetupLogs folder.", 10)
    log.add(0, "End of Setup", 0)
    log.add(0, STARS46, 0)
    return log.lines


def two_runs_dc_site():
    """Two upgrade attempts that name different domain controllers. Run 1 used DC05 in site
    BOS-Branch (not the server's site NYC-HQ). Run 2 used DC07, whose site setup could not read
    (an empty value): its finding must name DC07 and no site, not run 1's BOS-Branch."""
    log = Log(dt.datetime(2024, 9, 10, 19, 2, 15, 700000))
    for user, dc, dc_site in (("CONTOSO\\admin", "DC05.contoso.com", "BOS-Branch"),
                              ("CONTOSO\\admin", "DC07.contoso.com", "")):
        header(log, "Exchange Server 2019", "(UTC-05:00) Eastern Time (US & Canada)", user, "15.2.1544.4",
               UPGRADE, UPGRADE_CMD)
        ad_discovery(log, dc, "Contoso", "EX01", ROLES, fresh=False)
        log.add(0, "The installation mode is set to: 'BuildToBuildUpgrade'.")
        org_status(log, "Contoso", "False", "False", "False")
        log.add(0, "The locally installed version is 15.2.1258.12.")
        log.add(0, "Validating options for the 6 requested roles")
        prereq_block(log, "EX01.contoso.com", "NYC-HQ", dc_site,
                     extra=[("Setting", "DomainController", dc)],
                     override={"DomainControllerIsOutOfSite": "True"},
                     # The real message names the server's site where it says "domain controller".
                     failed=[("DomainControllerIsOutOfSite", "Setup can't use the domain controller 'NYC-HQ' because "
                              "it belongs to Active Directory site '%s'. Setup must use a domain controller in the "
                              "same site as this computer (%s)." % (dc_site, dc))])
        prereq_failure_tail(log)
        log.at(log.t + dt.timedelta(minutes=35))
    return log.lines


def write(path, lines, newline, encoding):
    data = newline.join(lines) + newline
    with open(path, "wb") as f:
        if encoding == "utf-16le":
            f.write(b"\xff\xfe" + data.encode("utf-16-le"))
        else:
            f.write(data.encode(encoding))
    print("%s: %d lines" % (path, len(lines)))


def main():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "samples", "exchange-setup")
    os.makedirs(out, exist_ok=True)
    write(os.path.join(out, "good-upgrade.log"), good_upgrade(), "\r\n", "utf-8")
    write(os.path.join(out, "utf16-bom.log"), utf16_failed_install(), "\r\n", "utf-16le")
    write(os.path.join(out, "two-runs.log"), two_runs(), "\n", "utf-8")
    write(os.path.join(out, "culture-dotted-de.log"), culture_dotted_de(), "\r\n", "utf-8")
    write(os.path.join(out, "culture-dash.log"), culture_dash(), "\r\n", "utf-8")
    write(os.path.join(out, "ansi-cp1252.log"), ansi_cp1252(), "\r\n", "cp1252")
    write(os.path.join(out, "service-control-early.log"), service_control_early(), "\r\n", "utf-8")
    write(os.path.join(out, "two-runs-dc-site.log"), two_runs_dc_site(), "\r\n", "utf-8")


if __name__ == "__main__":
    main()
