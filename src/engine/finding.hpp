// What the engine reports: a rule that fired, with its facts, evidence and advice.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "engine/rule.hpp"
#include "record.hpp"

namespace extriage {

struct Evidence {
    std::string path;
    uint64_t line = 0;       // 0 for binary inputs
    uint64_t offset = 0;     // byte offset of the record
    std::string text;        // the matching physical line (clipped)
};

struct Finding {
    std::string rule_id;
    std::string rule_file;
    std::string title;
    Level severity = Level::error;
    std::string path;          // the file the finding is about
    int segment = -1;          // setup run index inside the file, -1 for file-wide findings
    bool latest = true;        // false: found in an earlier run of the same file
    FactList facts;
    std::vector<Evidence> evidence;
    std::string message;
    std::vector<std::string> remediation;
    std::vector<Link> links;
    uint64_t count = 1;        // each_match rules: matching records folded into this finding

    const std::string* fact(std::string_view name) const;
};

}  // namespace extriage
