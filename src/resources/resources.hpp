// Where extriage's rules and data tables (data/*.tsv) come from, first match wins:
//   1. a folder given on the command line (--rules, --data);
//   2. the EXTRIAGE_RULES / EXTRIAGE_DATA environment variable;
//   3. a rules or data folder beside the executable (C:\Tools\extriage\rules);
//   4. the installed share/extriage/rules or data folder next to the executable's bin/;
//   5. the copy embedded in the executable at build time, so a copied extriage.exe runs alone.
// A rules folder replaces the embedded rules entirely. A data folder is read file by file: a
// table it does not hold still comes from the embedded copy (so an updated exchange-builds.tsv
// beside the executable is enough).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "diagnostics.hpp"
#include "engine/rule.hpp"

namespace extriage {

struct ResourceOrigin {
    enum class Kind { option, environment, beside_executable, installed, embedded };
    Kind kind = Kind::embedded;
    std::string folder;   // UTF-8; empty when embedded

    // "C:\Tools\extriage\rules (beside the executable)", "embedded in the executable"
    std::string describe() const;
};

// --data DIR. Process-wide; set it before the first table is read.
void set_data_folder(std::string folder);

ResourceOrigin rules_origin();
ResourceOrigin data_origin();

// The rules from rules_origin() (load_rules() for a folder).
std::vector<std::unique_ptr<Rule>> load_default_rules(DiagSink& diags);

// The text of data/<name> (e.g. "exchange-builds.tsv"): from the data folder in use when it
// holds the file, else from the embedded copy. nullopt, with `error`, when neither has it or the
// file cannot be read.
std::optional<std::string> read_data_file(std::string_view name, std::string& error);
// Where read_data_file(name) reads from, for messages: a path, or "(embedded) data/<name>".
std::string data_file_label(std::string_view name);

// The "data:" lines of --version: the data folder in use and what still comes from the embedded copy.
std::string data_summary();

}  // namespace extriage
