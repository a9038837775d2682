// Commands inside remediation prose ("... rename it (e.g. Rename-Item C:\ExchangeSetupLogs
// ExchangeSetupLogs.old) or ..."), found so the HTML report can show each in a block with a copy
// button and the Markdown report as code. Rules write remediation as sentences, so this is a
// conservative reading: a command starts at a PowerShell cmdlet (approved verb, Verb-Noun) or at a
// .exe/.ps1 given arguments (or a path), and ends at the end of its sentence, a prose word ("for",
// "then", "if"...), an opening parenthesis or a closing one it did not open.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace extriage {

struct TextPiece {
    std::string text;
    bool command = false;
};

// The step cut into prose and commands; joining the pieces' text gives the step back.
std::vector<TextPiece> split_commands(std::string_view step);

}  // namespace extriage
