// Unit tests for error code recognition (app/error_code_scan), the code table and decoding
// (app/error_codes, data/error-codes.tsv) and the decoded_error facts of findings.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "advice/error_code_scan.hpp"
#include "advice/error_codes.hpp"
#include "advice/shipped_data.hpp"

using namespace extriage;

namespace {

const ErrorCodeTable& shipped() {
    std::string error;
    const ErrorCodeTable* t = shipped_error_codes(error);
    REQUIRE_MESSAGE(t != nullptr, error);
    CHECK_MESSAGE(error.empty(), error);
    return *t;
}

// A small table with the layout of data/error-codes.tsv, so decoding tests do not depend on
// how Microsoft words a message.
const ErrorCodeTable& small_table() {
    static const ErrorCodeTable t = ErrorCodeTable::parse(
        "# test table\n"
        "kind\tcode\tname\twin32\tmeaning\n"
        "win32\t5\tERROR_ACCESS_DENIED\t\tAccess is denied.\n"
        "win32\t1603\tERROR_INSTALL_FAILURE\t\tFatal error during installation.\n"
        "win32\t8202\tERROR_DS_NO_ATTRIBUTE_OR_VALUE\t\tThe specified directory service attribute or value does not exist.\n"
        "win32\t8344\tERROR_DS_INSUFF_ACCESS_RIGHTS\t\tInsufficient access rights to perform the operation.\n"
        "hresult\t0x80004005\tE_FAIL\t\tUnspecified error\n"
        "ntstatus\t0xC0000022\tSTATUS_ACCESS_DENIED\tERROR_ACCESS_DENIED\tAccess is denied.\n"
        "ntstatus\t0xC0000409\tSTATUS_STACK_BUFFER_OVERRUN\t\t\n"
        "ldap\t32\tLDAP_NO_SUCH_OBJECT\t\tObject does not exist.\n"
        "ldap\t50\tLDAP_INSUFFICIENT_RIGHTS\t\tUser has insufficient access rights.\n"
        "msi\t1603\t\t\tThe file [2][3] is being held in use by the following process: Name: [4], Id: [5], Window Title: '[6]'.\n"
        "msi\t2753\t\t\tThe File '[2]' is not marked for installation.\n"
        "msi\t1303\t\t\tThe Installer has insufficient privileges to access this directory: [2].\n"
        "win32\t1303\tERROR_LOCAL_USER_SESSION_KEY\t\tNo encryption key is available. A well-known encryption key was returned.\n");
    return t;
}

struct Seen {
    std::string written;
    uint32_t value;
    CodeSpace space;
    bool operator==(const Seen&) const = default;
};

std::vector<Seen> scan(std::string_view text) {
    std::vector<Seen> out;
    for (const auto& m : find_error_codes(text)) out.push_back({m.written, m.value, m.space});
    return out;
}

std::string decoded(const ErrorCodeTable& t, std::string_view text) {
    auto found = find_error_codes(text);
    REQUIRE_MESSAGE(found.size() == 1, text);
    auto d = decode_error_code(t, found.front());
    return d ? d->text : std::string("(unknown)");
}

}  // namespace

TEST_CASE("error codes: 32-bit values are found in hex, decimal and negative decimal") {
    CHECK(scan("System.DirectoryServices.DirectoryServicesCOMException (0x8007200A): The specified directory service "
               "attribute or value does not exist.") == std::vector<Seen>{{"0x8007200A", 0x8007200A, CodeSpace::any32}});
    CHECK(scan("hr=0x80070005") == std::vector<Seen>{{"0x80070005", 0x80070005, CodeSpace::any32}});
    CHECK(scan("Exception from HRESULT: 0x80070005 (E_ACCESSDENIED)") == std::vector<Seen>{{"0x80070005", 0x80070005, CodeSpace::any32}});
    CHECK(scan("ErrorCode: 2147950602") == std::vector<Seen>{{"2147950602", 2147950602u, CodeSpace::any32}});
    CHECK(scan("HResult = -2147024891") == std::vector<Seen>{{"-2147024891", 0x80070005, CodeSpace::any32}});
    CHECK(scan("(-1073741819)") == std::vector<Seen>{{"-1073741819", 0xC0000005, CodeSpace::any32}});
    CHECK(scan("0x80070005L") == std::vector<Seen>{{"0x80070005", 0x80070005, CodeSpace::any32}});
}

TEST_CASE("error codes: small numbers count only after error words") {
    CHECK(scan("Installing product F:\\exchangeserver.msi failed. Fatal error during installation. Error code is 1603.") ==
          std::vector<Seen>{{"1603", 1603, CodeSpace::win32}});
    CHECK(scan("error code 1603") == std::vector<Seen>{{"1603", 1603, CodeSpace::win32}});
    CHECK(scan("Setup failed. Error 1603.") == std::vector<Seen>{{"1603", 1603, CodeSpace::win32}});
    CHECK(scan("msiexec exited with exit code 1618") == std::vector<Seen>{{"1618", 1618, CodeSpace::win32}});
    CHECK(scan("Installation success or error status: 1603.") == std::vector<Seen>{{"1603", 1603, CodeSpace::win32}});
    CHECK(scan("status: 1603") == std::vector<Seen>{{"1603", 1603, CodeSpace::win32}});
    CHECK(scan("MainEngineThread is returning 1642") == std::vector<Seen>{{"1642", 1642, CodeSpace::win32}});
    CHECK(scan("replication failed with error 8245") == std::vector<Seen>{{"8245", 8245, CodeSpace::win32}});
    CHECK(scan("CustomAction RunUpdateCas returned actual error code 1603 (note this may not be 100% accurate)") ==
          std::vector<Seen>{{"1603", 1603, CodeSpace::win32}});
    CHECK(scan("The server side error is: 0x2098 Insufficient access rights to perform the operation.") ==
          std::vector<Seen>{{"0x2098", 0x2098, CodeSpace::win32}});
    CHECK(scan("param2: %%1058") == std::vector<Seen>{{"%%1058", 1058, CodeSpace::win32}});
    CHECK(scan("00002098: SecErr: DSID-03150F93, problem 4003 (INSUFF_ACCESS_RIGHTS), data 0") ==
          std::vector<Seen>{{"00002098", 0x2098, CodeSpace::win32}});
    CHECK(scan("Active Directory response: 000020E7: SvcErr: DSID-03152D2C, problem 5003 (WILL_NOT_PERFORM), data 0") ==
          std::vector<Seen>{{"000020E7", 0x20E7, CodeSpace::win32}});
}

TEST_CASE("error codes: LDAP result codes and Windows Installer messages by their context") {
    CHECK(scan("LDAP error 0x20 (No Such Object)") == std::vector<Seen>{{"0x20", 0x20, CodeSpace::ldap}});
    CHECK(scan("ldap result code 50") == std::vector<Seen>{{"50", 50, CodeSpace::ldap}});
    CHECK(scan("MSI (s) (7C:10) [09:12:03:528]: Note: 1: 2203 2: C:\\Windows\\Installer\\inprogressinstallinfo.ipi 3: -2147287038") ==
          std::vector<Seen>{{"2203", 2203, CodeSpace::msi}, {"-2147287038", 0x80030002, CodeSpace::any32}});
    CHECK(scan("Product: Microsoft Exchange Server -- Error 1714. The older version of Microsoft Exchange Server cannot be removed.") ==
          std::vector<Seen>{{"1714", 1714, CodeSpace::msi}});
    CHECK(scan("DEBUG: Error 2826:  Control Line1 on dialog SetupError extends beyond the boundaries") ==
          std::vector<Seen>{{"2826", 2826, CodeSpace::msi}});
    CHECK(scan("This may indicate a problem with this package. The error code is 2753. The arguments are: Foo") ==
          std::vector<Seen>{{"2753", 2753, CodeSpace::msi}});
    CHECK(scan("There was an error while running 'ldifde.exe' to import the schema file 'C:\\x.ldf'. The error code is: 8245.") ==
          std::vector<Seen>{{"8245", 8245, CodeSpace::win32}});
}

TEST_CASE("error codes: no false positives on times, builds, GUIDs, PIDs and other numbers") {
    for (const char* text : {
             "[05/26/2025 20:20:55.4160] [1] Evaluated [Setting:SchemaAdmin] [HasException:False] [Thread:8] [Duration:00:00:01.9471869]",
             "Return value 3.",
             "Action ended 09:12:03: InstallFinalize. Return value 3.",
             "setup_version = 15.2.1544.4; 15.02.1544.011; Version 15.2 (Build 1544.4)",
             "<Provider Name=\"Service Control Manager\" Guid=\"{555908D1-A6D7-4695-8E1E-26931D2012F4}\"/>",
             "7c2bb2b45b9e4a5c9d2d55a0d2ab3d1f",
             "<Keywords>0x8000000000000000</Keywords><EventID Qualifiers=\"49152\">7000</EventID>",
             "<Execution ProcessID=\"4856\" ThreadID=\"5124\"/> (PID=4856) MSI (s) (7C:10)",
             "Process ID: 1234, created 1731412345 (unix time)",
             "2024-05-11T14:10:05.120Z 10.0.0.15:443",
             "flags 0x00000001, error 0, error code -1",
             "The following 1 error(s) occurred during task execution: Errors: 5",
             "Service status: 4",
             "a0x80070005 0x80070005a x2147024891 1-2147024891",
             "12147950602 21479506020 -21474836480",
             "Free space: 1,603 MB; KB5036404; CU14; line 1603",
             // A tool's own small exit code is not a Win32 code (regsvr32 exits 3 when LoadLibrary fails).
             "Microsoft.Exchange.Configuration.Tasks.TaskException: Process execution failed with exit code 3.",
             "return code 5; result code 2; exit status 1",
         }) {
        CAPTURE(text);
        CHECK(scan(text).empty());
    }
}

TEST_CASE("error codes: a fact named like a code decodes its leading number") {
    auto m = fact_error_code("error_code", "1603");
    REQUIRE(m);
    CHECK(m->value == 1603);
    CHECK(m->space == CodeSpace::win32);
    m = fact_error_code("server_error", "0x2098 Insufficient access rights to perform the operation.");
    REQUIRE(m);
    CHECK(m->value == 0x2098);
    m = fact_error_code("ldap_error", "32");
    REQUIRE(m);
    CHECK(m->space == CodeSpace::ldap);
    m = fact_error_code("exit_code", "1618");
    REQUIRE(m);
    CHECK(m->space == CodeSpace::win32);
    CHECK_FALSE(fact_error_code("exit_code", "3"));   // a process's own exit code
    CHECK_FALSE(fact_error_code("status", "4"));
    m = fact_error_code("ca_error_code", "5");
    REQUIRE(m);
    CHECK(m->value == 5);
    CHECK_FALSE(fact_error_code("timeout_ms", "30000"));
    CHECK_FALSE(fact_error_code("event_id", "7031"));
    CHECK_FALSE(fact_error_code("ldf_line", "1204"));
    CHECK_FALSE(fact_error_code("error_code", "0"));
    CHECK_FALSE(fact_error_code("status", "15.2.1544.4"));
    CHECK_FALSE(fact_error_code("result_code", "16030000"));
}

TEST_CASE("error codes: decoding wraps and unwraps facilities") {
    const ErrorCodeTable& t = small_table();
    CHECK(t.size() == 13);
    CHECK(decoded(t, "2147950602") ==
          "2147950602 = 0x8007200A ERROR_DS_NO_ATTRIBUTE_OR_VALUE: the specified directory service attribute or value does not exist");
    CHECK(decoded(t, "(0x8007200a)") ==
          "0x8007200A ERROR_DS_NO_ATTRIBUTE_OR_VALUE: the specified directory service attribute or value does not exist");
    CHECK(decoded(t, "-2147024891") == "-2147024891 = 0x80070005 ERROR_ACCESS_DENIED: access is denied");
    CHECK(decoded(t, "0xC0070005") == "0xC0070005 ERROR_ACCESS_DENIED: access is denied");   // FACILITY_NTWIN32
    CHECK(decoded(t, "0xC0000022") == "0xC0000022 STATUS_ACCESS_DENIED: access is denied");
    CHECK(decoded(t, "0xD0000022") == "0xD0000022 STATUS_ACCESS_DENIED: access is denied");   // HRESULT_FROM_NT
    CHECK(decoded(t, "0xC0000409") == "0xC0000409 STATUS_STACK_BUFFER_OVERRUN");              // no message: name only
    CHECK(decoded(t, "0x80004005") == "0x80004005 E_FAIL: unspecified error");
    CHECK(decoded(t, "Error code is 1603.") == "1603 = 0x643 ERROR_INSTALL_FAILURE: fatal error during installation");
    CHECK(decoded(t, "server side error is: 0x2098") ==
          "8344 = 0x2098 ERROR_DS_INSUFF_ACCESS_RIGHTS: insufficient access rights to perform the operation");
    CHECK(decoded(t, "LDAP error 0x20") == "32 = 0x20 LDAP_NO_SUCH_OBJECT: object does not exist");
    CHECK(decoded(t, "The error code is 2753.") == "2753 (Windows Installer): the File '[2]' is not marked for installation");
    // The same number means different things as an MSI message and as a Win32 exit code.
    CHECK(decoded(t, "Product: X -- Error 1603. The file C:\\a.dll is being held in use") ==
          "1603 (Windows Installer): the file [2][3] is being held in use by the following process: Name: [4], Id: [5], Window "
          "Title: '[6]'");
    CHECK(decoded(t, "The error code is 5.") == "5 = 0x5 ERROR_ACCESS_DENIED: access is denied");   // not an MSI message
}

TEST_CASE("error codes: unknown codes are left alone") {
    const ErrorCodeTable& t = small_table();
    CHECK(decoded(t, "error=0x80040a02 (DSC_E_NO_SUITABLE_CDC)") == "(unknown)");   // Exchange's own facility
    CHECK(decoded(t, "0x8007FFFF") == "(unknown)");
    CHECK(decoded(t, "0x81002746") == "(unknown)");   // MAPI's MAIL_E_NAMENOTFOUND is not WSAECONNRESET
    CHECK(decoded(t, "error 65000") == "(unknown)");
    CHECK(decoded(t, "LDAP error 99") == "(unknown)");
    CHECK(decoded(t, "Note: 1: 2205") == "(unknown)");
}

TEST_CASE("error codes: the table parser reports bad lines and needs its columns") {
    std::vector<std::string> errors;
    ErrorCodeTable t = ErrorCodeTable::parse("kind\tcode\tname\tmeaning\n"
                                             "win32\t5\tERROR_ACCESS_DENIED\tAccess is denied.\r\n"
                                             "nokind\t5\tX\tY\n"
                                             "win32\tfive\tX\tY\n"
                                             "hresult\t0x8000FFFF\tE_UNEXPECTED\n",
                                             &errors);
    CHECK(t.size() == 2);
    REQUIRE(t.find(CodeKind::win32, 5));
    CHECK(t.find(CodeKind::win32, 5)->meaning == "Access is denied.");
    REQUIRE(t.find(CodeKind::hresult, 0x8000FFFF));
    CHECK(t.find(CodeKind::hresult, 0x8000FFFF)->meaning.empty());
    CHECK_FALSE(t.find(CodeKind::ldap, 5));
    REQUIRE(errors.size() == 2);
    CHECK(errors[0].starts_with("line 3:"));
    errors.clear();
    CHECK(ErrorCodeTable::parse("kind\tcode\n", &errors).size() == 0);
    CHECK(errors.size() == 1);
}

TEST_CASE("error codes: the shipped table is loaded once and knows what Exchange logs show") {
    std::string error;
    const ErrorCodeTable* first = shipped_error_codes(error);
    const ErrorCodeTable* second = shipped_error_codes(error);
    CHECK(first == second);
    const ErrorCodeTable& t = shipped();
    CHECK(t.size() > 5000);
    CHECK(decoded(t, "2147950602") ==
          "2147950602 = 0x8007200A ERROR_DS_NO_ATTRIBUTE_OR_VALUE: the specified directory service attribute or value does not exist");
    CHECK(decoded(t, "Error code is 1603.") == "1603 = 0x643 ERROR_INSTALL_FAILURE: fatal error during installation");
    for (uint32_t code : {5u, 87u, 1053u, 1058u, 1603u, 1618u, 1619u, 1638u, 1642u, 3010u, 8224u, 8344u, 8202u, 8245u})
        CHECK_MESSAGE(t.find(CodeKind::win32, code), code);
    for (uint32_t code : {0x80004005u, 0x80090325u, 0x800B0109u, 0x80030002u, 0x80131040u, 0x80131509u})
        CHECK_MESSAGE(t.find(CodeKind::hresult, code), code);
    CHECK(decoded(t, "Could not load file or assembly 'Microsoft.Exchange.Data.Common' (Exception from HRESULT: 0x80131040)") ==
          "0x80131040 FUSION_E_REF_DEF_MISMATCH: the located assembly's manifest definition does not match the assembly reference");
    for (uint32_t code : {0xC0000005u, 0xC0000022u, 0xC0000409u}) CHECK_MESSAGE(t.find(CodeKind::ntstatus, code), code);
    for (uint32_t code : {1u, 32u, 49u, 50u, 53u, 68u, 81u}) CHECK_MESSAGE(t.find(CodeKind::ldap, code), code);
    for (uint32_t code : {1714u, 1935u, 2203u, 2753u}) CHECK_MESSAGE(t.find(CodeKind::msi, code), code);
    // FACILITY_WIN32 HRESULTs are not listed twice: they decode through the Win32 rows.
    CHECK_FALSE(t.find(CodeKind::hresult, 0x80070005));
    // NTSTATUS warnings are left out: MSI's "Note: 1: 1706 2: -2147483647" is a flag, not
    // STATUS_GUARD_PAGE_VIOLATION.
    CHECK_FALSE(t.find(CodeKind::ntstatus, 0x80000001));
    Finding note;
    note.evidence.push_back({"x.msi.log", 1, 0, "MSI (s) (7C:10) [09:12:03:528]: Note: 1: 1706 2: -2147483647 3: exchangeserver.msi",
                             kNoTime, false});
    add_decoded_errors(note, t);
    CHECK(note.facts == FactList{{"decoded_error", "1706 (Windows Installer): no valid source could be found for product [2]"}});
}

TEST_CASE("error codes: findings get one decoded_error fact per distinct known code") {
    Finding f;
    f.evidence.push_back({"x.log", 10, 0,
                          "[ERROR] Active Directory operation failed. (0x8007200A) HResult -2147016694 error code 1603 and 0x80040a02",
                          kNoTime, false});
    f.evidence.push_back({"x.log", 11, 0, "no codes here: 15.2.1544.4 [Thread:8]", kNoTime, false});
    f.facts = {{"error_code", "1603"}, {"server_error", "0x2098 Insufficient access rights"}, {"event_id", "7031"}};
    add_decoded_errors(f, small_table());
    REQUIRE(f.fact("decoded_error"));
    CHECK(*f.fact("decoded_error") ==
          "0x8007200A ERROR_DS_NO_ATTRIBUTE_OR_VALUE: the specified directory service attribute or value does not exist");
    REQUIRE(f.fact("decoded_error_2"));   // -2147016694 is 0x8007200A again: not repeated
    CHECK(*f.fact("decoded_error_2") == "1603 = 0x643 ERROR_INSTALL_FAILURE: fatal error during installation");
    REQUIRE(f.fact("decoded_error_3"));
    CHECK(*f.fact("decoded_error_3") == "8344 = 0x2098 ERROR_DS_INSUFF_ACCESS_RIGHTS: insufficient access rights to perform the operation");
    CHECK_FALSE(f.fact("decoded_error_4"));
    CHECK(f.facts.size() == 6);

    // A number keeps its first reading: an MSI message in the evidence, not Win32 from a fact.
    Finding m;
    m.evidence.push_back({"x.msi.log", 3, 0, "MSI (s) (7C:10) [09:12:03:528]: Product: X -- Error 1303. The Installer has insufficient privileges",
                          kNoTime, false});
    m.facts = {{"error_code", "1303"}};
    add_decoded_errors(m, small_table());
    REQUIRE(m.fact("decoded_error"));
    CHECK(*m.fact("decoded_error") == "1303 (Windows Installer): the Installer has insufficient privileges to access this directory: [2]");
    CHECK_FALSE(m.fact("decoded_error_2"));

    // A rule's own fact of that name is kept; at most kMaxDecodedErrors are added.
    Finding g;
    g.facts = {{"decoded_error", "from the rule"}};
    std::string many;
    for (int i = 0; i < 12; ++i) many += " 0x8007200A 0x80070005 0xC0000022 0xD0000022 0x80004005 error 1603 %%8344 LDAP error 32 LDAP error 50 ";
    g.evidence.push_back({"x.log", 1, 0, many, kNoTime, false});
    add_decoded_errors(g, small_table());
    CHECK(*g.fact("decoded_error") == "from the rule");
    CHECK(g.facts.size() == 1 + kMaxDecodedErrors);
    CHECK(g.facts.back().first == "decoded_error_9");
}

TEST_CASE("error codes: any text scans without trouble and every mention is text that was there") {
    // Deterministic noise made of the characters the scanner cares about.
    const std::string alphabet = "0123456789abcdefxX%-.:/, \n\t\"'=#(ErorcdsLDAPNt:1234567890xFFFF";
    uint32_t state = 12345;
    auto next = [&] { return state = state * 1103515245u + 12345u; };
    for (int i = 0; i < 3000; ++i) {
        std::string text;
        const size_t len = next() % 200;
        for (size_t k = 0; k < len; ++k) text += alphabet[(next() >> 8) % alphabet.size()];
        if (i % 7 == 0) text = "error code " + text;
        if (i % 11 == 0) text += " 0x8007" + std::to_string(next() % 10000);
        for (const auto& m : find_error_codes(text)) {
            CAPTURE(text);
            CHECK(text.find(m.written) != std::string::npos);
        }
        Finding f;
        f.evidence.push_back({"x.log", 1, 0, text, kNoTime, false, text});
        f.facts = {{"error_code", text}};
        add_decoded_errors(f, shipped());
        CHECK(f.facts.size() <= 1 + kMaxDecodedErrors);
    }
}
