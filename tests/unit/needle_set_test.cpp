// NeedleSet agrees with a plain case-insensitive search, at every length and position.
#include <doctest/doctest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "engine/needle_set.hpp"

using namespace extriage;

namespace {

std::string lower(std::string s) {
    for (char& c : s)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c | 0x20);
    return s;
}

bool naive(const std::vector<std::string>& needles, const std::string& value) {
    const std::string v = lower(value);
    return std::any_of(needles.begin(), needles.end(), [&](const std::string& n) { return v.find(n) != std::string::npos; });
}

}  // namespace

TEST_CASE("needle set: finds needles in any case, at the start, the end and across 16-byte blocks") {
    const NeedleSet set({"] [error] ", "the exchange server setup operation completed successfully."});
    CHECK(set.may_occur_in("[01/01/2025 08:00:00.0030] [1] [ERROR] boom"));
    CHECK(set.may_occur_in("] [error] "));
    CHECK(set.may_occur_in("x] [eRRoR] "));
    CHECK_FALSE(set.may_occur_in("] [error]"));            // one byte short
    CHECK_FALSE(set.may_occur_in("[01/01/2025 08:00:00.0030] [1] [WARNING] fine"));
    CHECK_FALSE(set.may_occur_in(""));
    CHECK(set.may_occur_in(std::string(37, 'x') + "The Exchange Server setup operation completed successfully."));
    CHECK_FALSE(set.may_occur_in("The Exchange Server setup operation completed successfully"));
    // Letters fold, other bytes do not: '{' is '[' | 0x20.
    CHECK_FALSE(set.may_occur_in("] {error] "));
}

TEST_CASE("needle set: values with non-ASCII bytes pass when a needle has k or s") {
    const NeedleSet with_s({"database"}), without({"error"});
    CHECK(with_s.may_occur_in("Datenbank \xC3\xBC nicht vorhanden"));   // U+017F could fold to s
    CHECK_FALSE(without.may_occur_in("Datenbank \xC3\xBC nicht vorhanden"));
    CHECK(without.may_occur_in("\xC3\xBC ERROR"));
}

TEST_CASE("needle set: agrees with a naive search on random text") {
    std::mt19937 rng(12345);
    const std::string alphabet = "abcEeRrOo[] .:0123456789xyzXYZ";
    auto random_text = [&](size_t n) {
        std::string s;
        for (size_t i = 0; i < n; ++i) s += alphabet[rng() % alphabet.size()];
        return s;
    };
    for (int round = 0; round < 3000; ++round) {
        std::vector<std::string> needles;
        const size_t count = 1 + rng() % 3;
        for (size_t i = 0; i < count; ++i) needles.push_back(lower(random_text(1 + rng() % 5)));
        const NeedleSet set(needles);
        std::string value = random_text(rng() % 80);
        if (rng() % 2 && !value.empty()) {   // plant a needle, in random case
            std::string n = needles[rng() % needles.size()];
            for (char& c : n)
                if (rng() % 2 && c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
            value.insert(rng() % value.size(), n);
        }
        CAPTURE(value);
        CHECK(set.may_occur_in(value) == naive(needles, value));
    }
}
