// The error code table (data/error-codes.tsv: Win32, HRESULT, NTSTATUS, LDAP and Windows
// Installer codes with their symbolic names and Microsoft's messages; see the file's SOURCES) and
// the decoded_error facts every finding gets from the codes its evidence and facts mention:
//   decoded_error: 2147950602 = 0x8007200A ERROR_DS_NO_ATTRIBUTE_OR_VALUE: the specified directory ...
// Unknown codes are left out; nothing is guessed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "advice/error_code_scan.hpp"
#include "engine/finding.hpp"

namespace extriage {

enum class CodeKind { win32, hresult, ntstatus, ldap, msi };

struct ErrorCodeInfo {
    std::string name;      // "ERROR_DS_NO_ATTRIBUTE_OR_VALUE"; empty for Windows Installer messages
    std::string meaning;   // Microsoft's message text; may be empty
};

class ErrorCodeTable {
public:
    // Parses the TSV (header line naming the columns kind, code, name, meaning; '#' lines are
    // comments). Bad lines are skipped and described in *errors as "line N: ...".
    static ErrorCodeTable parse(std::string_view tsv, std::vector<std::string>* errors = nullptr);

    const ErrorCodeInfo* find(CodeKind kind, uint32_t code) const;
    size_t size() const { return rows_.size(); }

private:
    static uint64_t key(CodeKind kind, uint32_t code) { return (static_cast<uint64_t>(kind) << 32) | code; }
    std::unordered_map<uint64_t, ErrorCodeInfo> rows_;
};

struct DecodedCode {
    CodeKind kind = CodeKind::win32;   // the table the meaning came from
    uint32_t code = 0;                 // its code there (0x8007200A decodes to win32 8202)
    std::string text;                  // the fact value
};

// Decodes one mention: a 32-bit value as HRESULT or NTSTATUS, else as a Win32 code wrapped in one
// (0x8007xxxx HRESULT_FROM_WIN32, 0xC007xxxx FACILITY_NTWIN32) or an NTSTATUS wrapped in an
// HRESULT (HRESULT_FROM_NT, 0xD...). nullopt when the table does not know the code.
std::optional<DecodedCode> decode_error_code(const ErrorCodeTable& table, const CodeMention& mention);

// Fact names of decoded codes: decoded_error, decoded_error_2, decoded_error_3, ...
inline constexpr std::string_view kDecodedErrorFact = "decoded_error";
inline constexpr size_t kMaxDecodedErrors = 8;   // per finding

// Adds a decoded_error fact for each distinct known code the finding's evidence (each line and
// the rest of its record) and facts mention (evidence first, in order), at most kMaxDecodedErrors.
void add_decoded_errors(Finding& finding, const ErrorCodeTable& table);
void add_decoded_errors(std::vector<Finding>& findings, const ErrorCodeTable& table);

}  // namespace extriage
