// The analysis order of findings.
#include "model/analysis.hpp"

#include <algorithm>
#include <tuple>

namespace extriage {

void sort_findings(std::vector<Finding>& findings) {
    std::stable_sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
        uint64_t la = a.evidence.empty() ? 0 : a.evidence.front().line;
        uint64_t lb = b.evidence.empty() ? 0 : b.evidence.front().line;
        uint64_t oa = a.evidence.empty() ? 0 : a.evidence.front().offset;
        uint64_t ob = b.evidence.empty() ? 0 : b.evidence.front().offset;
        return std::tie(a.path, a.segment, la, oa, a.rule_id) < std::tie(b.path, b.segment, lb, ob, b.rule_id);
    });
}

}  // namespace extriage
