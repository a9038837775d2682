// Folding of repeated findings: the same rule with the same facts, failed readiness checks, and
// the checks that failed only because setup could not read Active Directory (issue 9, issue 15 4e).
#include <doctest/doctest.h>

#include "advice/fold.hpp"
#include "result_test_util.hpp"

using namespace extriage;
using namespace extriage::test;

namespace {

const std::string kLog = "ExchangeSetup.log";

// As prereq-failed-rule renders it: the first step names the check, the others are generic.
Finding check(const std::string& name, const std::string& message, uint64_t line, int run = 0) {
    Finding f = make_finding(std::string(kReadinessRule), Level::error, kLog, run, line,
                             {{"rule", name}, {"rule_message", message}}, "The prerequisite check " + name + " failed: " + message);
    f.remediation[0] = "Fix the condition " + name + " describes.";
    return f;
}

AnalysisResult result_with(std::vector<Finding> findings, const std::string& mode = "Upgrade") {
    AnalysisResult r;
    r.files.push_back(make_file(kLog, "exchange-setup"));
    r.runs.push_back(make_run(kLog, 0, "failed", mode));
    r.findings = std::move(findings);
    return r;
}

}  // namespace

TEST_CASE("fold: the same rule with the same facts in one run is one finding with a count") {
    Finding a = make_finding("t-rule", Level::error, kLog, 0, 10, {{"service", "MSExchangeIS"}});
    Finding b = make_finding("t-rule", Level::error, kLog, 0, 20, {{"service", "MSExchangeIS"}});
    b.count = 2;
    Finding other = make_finding("t-rule", Level::error, kLog, 0, 30, {{"service", "MSExchangeTransport"}});
    Finding other_run = make_finding("t-rule", Level::error, kLog, 1, 40, {{"service", "MSExchangeIS"}});
    AnalysisResult r = result_with({a, b, other, other_run});
    fold_findings(r);
    REQUIRE(r.findings.size() == 3);
    CHECK(r.findings[0].count == 3);
    REQUIRE(r.findings[0].evidence.size() == 2);
    CHECK(r.findings[0].evidence[0].line == 10);
    CHECK(r.findings[0].evidence[1].line == 20);
    CHECK(r.findings[1].fact("service") != nullptr);
    CHECK(*r.findings[1].fact("service") == "MSExchangeTransport");
    CHECK(r.findings[2].segment == 1);
}

TEST_CASE("fold: failed readiness checks of one run are one finding listing each check") {
    AnalysisResult r = result_with({check("GlobalServerInstall", "You must be a member of 'Organization Management'.", 461),
                                    make_finding("prereq-msdtc-stopped", Level::error, kLog, 0, 462),
                                    check("LangPackBundleCheck", "The language pack bundle is missing.", 463)});
    fold_findings(r);
    REQUIRE(r.findings.size() == 2);
    const Finding& f = r.findings[0];
    CHECK(f.rule_id == kReadinessRule);
    CHECK(f.title == "2 setup readiness checks failed");
    CHECK(f.message == "2 readiness checks failed:");
    REQUIRE(f.items.size() == 2);
    CHECK(f.items[0].name == "GlobalServerInstall");
    CHECK(f.items[0].text == "You must be a member of 'Organization Management'.");
    CHECK(f.items[1].name == "LangPackBundleCheck");
    CHECK(f.items[1].under.empty());
    CHECK(f.evidence.size() == 2);
    REQUIRE(f.fact("checks"));
    CHECK(*f.fact("checks") == "GlobalServerInstall, LangPackBundleCheck");
    CHECK(f.fact("rule") == nullptr);   // one check's facts do not describe the list
    // Steps every check had are kept after the first step written for the list.
    REQUIRE(f.remediation.size() == 2);
    CHECK(f.remediation[0].find("Fix each failed check listed") != std::string::npos);
    CHECK(f.remediation[1] == "Second step.");
    CHECK(r.findings[1].rule_id == "prereq-msdtc-stopped");
    // A single failed check stays as it is.
    AnalysisResult one = result_with({check("GlobalServerInstall", "x", 461)});
    fold_findings(one);
    REQUIRE(one.findings.size() == 1);
    CHECK(one.findings[0].items.empty());
    CHECK(one.findings[0].fact("rule") != nullptr);
}

TEST_CASE("fold: checks that failed only because AD could not be read are listed under CannotAccessAD") {
    AnalysisResult r = result_with({check("UnifiedMessagingRoleNotInstalled", "The Mailbox server role isn't installed on this computer.", 455),
                                    check("GlobalServerInstall", "You must be a member of 'Organization Management'.", 461),
                                    check("ForestLevelNotWin2003Native", "The forest functional level ... is not Windows Server 2003 native or later.", 469),
                                    check("CannotAccessAD", "Either Active Directory doesn't exist, or it can't be contacted.", 470)});
    fold_findings(r);
    REQUIRE(r.findings.size() == 1);
    const Finding& f = r.findings[0];
    CHECK(f.title == "2 setup readiness checks failed");
    CHECK(f.message.find("2 more failed only because setup could not read Active Directory") != std::string::npos);
    REQUIRE(f.items.size() == 4);
    CHECK(f.items[0].name == "GlobalServerInstall");
    CHECK(f.items[1].name == "CannotAccessAD");
    CHECK(f.items[2].name == "UnifiedMessagingRoleNotInstalled");
    CHECK(f.items[2].under == "CannotAccessAD");
    CHECK(f.items[3].name == "ForestLevelNotWin2003Native");
    CHECK(f.items[3].under == "CannotAccessAD");
    CHECK(*f.fact("checks") == "GlobalServerInstall, CannotAccessAD");
    CHECK(*f.fact("checks_failed_without_ad") == "UnifiedMessagingRoleNotInstalled, ForestLevelNotWin2003Native");
    CHECK(f.remediation[0].starts_with("Start with CannotAccessAD"));
    CHECK(f.evidence.size() == 4);

    // CannotAccessAD and its consequences only: still one finding, titled after the one check left.
    AnalysisResult only_ad = result_with({check("ForestLevelNotWin2003Native", "x", 469), check("CannotAccessAD", "y", 470)});
    fold_findings(only_ad);
    REQUIRE(only_ad.findings.size() == 1);
    CHECK(only_ad.findings[0].title == "The setup readiness check CannotAccessAD failed");
    CHECK(only_ad.findings[0].items.size() == 2);

    // Without CannotAccessAD, the forest level is a failure of its own.
    AnalysisResult no_ad = result_with({check("ForestLevelNotWin2003Native", "x", 469), check("GlobalServerInstall", "y", 470)});
    fold_findings(no_ad);
    REQUIRE(no_ad.findings.size() == 1);
    for (const auto& item : no_ad.findings[0].items) CHECK(item.under.empty());
}

TEST_CASE("fold: 'role isn't installed' follows from CannotAccessAD on an upgrade only") {
    CHECK(fails_without_ad("ForestLevelNotWin2003Native", "Install"));
    CHECK(fails_without_ad("UnifiedMessagingRoleNotInstalled", "Upgrade"));
    CHECK(fails_without_ad("BridgeheadRoleNotInstalled", "upgrade"));
    CHECK_FALSE(fails_without_ad("BridgeheadRoleNotInstalled", "Install"));
    CHECK_FALSE(fails_without_ad("BridgeheadRoleNotInstalled", ""));
    CHECK_FALSE(fails_without_ad("RoleNotInstalled", "Upgrade"));
    CHECK_FALSE(fails_without_ad("GlobalServerInstall", "Upgrade"));
    AnalysisResult install = result_with({check("BridgeheadRoleNotInstalled", "x", 456), check("CannotAccessAD", "y", 470)},
                                         "Install");
    fold_findings(install);
    REQUIRE(install.findings.size() == 1);
    for (const auto& item : install.findings[0].items) CHECK(item.under.empty());
}

namespace {

const std::string kMsiLog = "ExchangeSetup.msilog";
const std::string kOwaAuth = R"(C:\Program Files\Microsoft\Exchange Server\V15\FrontEnd\HttpProxy\owa\auth\15.1.1913)";

// The setup log's 1603 line and the MSI log's Error 1303 line of one failed CU, as the rules name them.
AnalysisResult setup_and_msi_log(const std::string& setup_path, const std::string& msi_path,
                                 const std::string& msi_server = "EX01") {
    AnalysisResult r;
    r.files.push_back(make_file(kLog, "exchange-setup"));
    r.files.push_back(make_file(kMsiLog, "msi-log"));
    r.files.back().server = msi_server;
    r.runs.push_back(make_run(kLog, 0, "failed"));
    r.runs.push_back(make_run(kMsiLog, 0, "failed", "", "msi-session"));
    r.findings.push_back(make_finding("msi-install-1603-access-denied", Level::error, kLog, 0, 5,
                                      {{"error_code", "1603"}, {"denied_path", setup_path}}));
    r.findings.push_back(make_finding("msi-error-1303-insufficient-privileges", Level::error, kMsiLog, 0, 2,
                                      {{"directory", msi_path}}));
    r.findings.push_back(make_finding("msi-file-write-denied", Level::error, kMsiLog, 0, 2,
                                      {{"error_code", "1303"}, {"denied_path", msi_path}}));
    return r;
}

}  // namespace

TEST_CASE("fold: the setup log's 1603 access error and the MSI log's Error 1303 on the same folder are one cause") {
    AnalysisResult r = setup_and_msi_log(kOwaAuth, kOwaAuth + ".");
    fold_findings(r);
    REQUIRE(r.findings.size() == 1);
    const Finding& f = r.findings[0];
    CHECK(f.rule_id == "msi-install-1603-access-denied");
    CHECK(f.path == kLog);
    // Both logs' evidence, the kept log's first (the MSI line was one line for two rules).
    REQUIRE(f.evidence.size() == 2);
    CHECK(f.evidence[0].path == kLog);
    CHECK(f.evidence[1].path == kMsiLog);
    CHECK(f.evidence[1].line == 2);
    CHECK(f.count == 1);
    REQUIRE(f.fact("also_reported_by"));
    CHECK(*f.fact("also_reported_by") ==
          "msi-error-1303-insufficient-privileges (ExchangeSetup.msilog), msi-file-write-denied (ExchangeSetup.msilog)");
    CHECK(f.remediation.front() == "First step of msi-install-1603-access-denied.");
}

TEST_CASE("fold: Error 1303 stays its own finding for another folder, another server or an earlier run") {
    const std::string ecp = R"(C:\Program Files\Microsoft\Exchange Server\V15\FrontEnd\HttpProxy\ecp\auth\15.1.1913)";
    AnalysisResult other_folder = setup_and_msi_log(kOwaAuth, ecp);
    fold_findings(other_folder);
    // The MSI log's own two rules on one line still fold; the setup log's finding is not touched.
    REQUIRE(other_folder.findings.size() == 2);
    CHECK(other_folder.findings[0].rule_id == "msi-install-1603-access-denied");
    CHECK(other_folder.findings[0].evidence.size() == 1);
    CHECK(other_folder.findings[0].fact("also_reported_by") == nullptr);
    CHECK(other_folder.findings[1].rule_id == "msi-error-1303-insufficient-privileges");
    CHECK(*other_folder.findings[1].fact("also_reported_by") == "msi-file-write-denied (ExchangeSetup.msilog)");

    AnalysisResult other_server = setup_and_msi_log(kOwaAuth, kOwaAuth, "EX02");
    fold_findings(other_server);
    CHECK(other_server.findings.size() == 2);

    AnalysisResult earlier = setup_and_msi_log(kOwaAuth, kOwaAuth);
    earlier.findings[0].latest = false;
    fold_findings(earlier);
    REQUIRE(earlier.findings.size() == 2);
    CHECK(earlier.findings[1].rule_id == "msi-error-1303-insufficient-privileges");

    // A registry key in the setup log (no folder): nothing to compare, nothing folded into it.
    AnalysisResult key = setup_and_msi_log("", kOwaAuth);
    fold_findings(key);
    CHECK(key.findings.size() == 2);
}

TEST_CASE("fold: same_path compares folders as Windows does") {
    CHECK(same_path(R"(C:\Program Files\X\owa\auth\15.1.1913)", R"(c:\program files\x\OWA\auth\15.1.1913.)"));
    CHECK(same_path(R"(C:\X\auth\)", "C:/X/auth"));
    CHECK_FALSE(same_path(R"(C:\X\auth\15.1.1913)", R"(C:\X\auth\15.1.1914)"));
    CHECK_FALSE(same_path(R"(C:\X\auth\15.1)", R"(C:\X\auth\15.1.1913)"));
    CHECK_FALSE(same_path("", ""));
    CHECK_FALSE(same_path("...", "."));
}

TEST_CASE("fold: the ldif.err finding keeps the setup log's ldifde line that points to it") {
    const std::string ldif = "ldif.err";
    AnalysisResult r;
    r.files.push_back(make_file(kLog, "exchange-setup"));
    r.files.push_back(make_file(ldif, "ldif-err"));
    r.runs.push_back(make_run(kLog, 0, "failed", "PrepareSchema"));
    r.findings.push_back(make_finding("schema-ldifde-import-failed", Level::error, kLog, 0, 11,
                                      {{"ldif_err_file", R"(C:\Users\me.adm\AppData\Local\Temp\5\ldif.err)"}}));
    r.findings.push_back(make_finding("ldif-link-id-conflict", Level::error, ldif, -1, 1, {{"ldf_line", "358"}}));
    AnalysisResult generic = r;
    fold_findings(r);
    REQUIRE(r.findings.size() == 1);
    CHECK(r.findings[0].rule_id == "ldif-link-id-conflict");
    REQUIRE(r.findings[0].evidence.size() == 2);
    CHECK(r.findings[0].evidence[1].path == kLog);
    CHECK(*r.findings[0].fact("also_reported_by") == "schema-ldifde-import-failed (ExchangeSetup.log)");

    // The fallback says no more than the setup log: both stay.
    generic.findings[1].rule_id = "ldif-import-error";
    fold_findings(generic);
    CHECK(generic.findings.size() == 2);

    // Two setup runs that name an ldif.err: only one of them is folded into the one analysed.
    AnalysisResult two = generic;
    two.findings = {make_finding("schema-ldifde-import-failed", Level::error, kLog, 0, 11, {{"ldif_err_file", R"(C:\Temp\ldif.err)"}}),
                    make_finding("schema-ldifde-import-failed", Level::error, "ExchangeSetup2.log", 0, 7, {{"ldif_err_file", R"(C:\Temp\ldif.err)"}}),
                    make_finding("ldif-link-id-conflict", Level::error, ldif, -1, 1)};
    fold_findings(two);
    REQUIRE(two.findings.size() == 2);
    CHECK(two.findings[1].rule_id == "ldif-link-id-conflict");
    CHECK(two.findings[1].evidence.size() == 2);

    // Another error file than the one the setup log names: both stay.
    AnalysisResult other = r;
    other.findings = {make_finding("schema-ldifde-import-failed", Level::error, kLog, 0, 11, {{"ldif_err_file", R"(C:\Temp\ldif.err.44)"}}),
                      make_finding("ldif-link-id-conflict", Level::error, ldif, -1, 1)};
    fold_findings(other);
    CHECK(other.findings.size() == 2);
}
