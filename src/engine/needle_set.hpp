// A handful of ASCII literals searched case-insensitively, to rule a value out before an
// RE2::Set runs on it: a value that holds none of a group's required literals cannot match any
// of its patterns.
//
// Each needle is found with the "packed pair" method (as in the memchr crate and Hyperscan):
// two of its bytes, picked to be rare in log text, are compared 16 positions at a time, and only
// where both agree is the whole needle compared. No lowercased copy of the value is made.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace extriage {

class NeedleSet {
public:
    NeedleSet() = default;
    // Needles must be lowercase ASCII and non-empty.
    explicit NeedleSet(std::vector<std::string> needles);

    bool empty() const { return needles_.empty(); }
    const std::vector<std::string>& needles() const { return needles_; }

    // False only when `value` contains none of the needles, ignoring ASCII case. Values with
    // non-ASCII bytes pass when a needle has 'k' or 's': Unicode case folding matches U+212A
    // (Kelvin sign) and U+017F (long s) to them.
    bool may_occur_in(std::string_view value) const;

private:
    struct Needle {
        std::string text;
        size_t first = 0, second = 0;   // the two positions the packed pair compares
        bool folds_from_non_ascii = false;
    };
    static bool occurs_in(const Needle& n, std::string_view value);

    std::vector<std::string> needles_;
    std::vector<Needle> prepared_;
    bool any_folds_from_non_ascii_ = false;
};

}  // namespace extriage
