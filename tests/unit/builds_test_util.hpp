// Shared helpers of the build-table tests (builds_test.cpp, build_issues_test.cpp): the shipped
// tables, build numbers, dates, segments and finding look-ups.
#pragma once

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "advice/builds.hpp"

namespace extriage::test {

inline const BuildTable& table() {
    static const BuildTable t = [] {
        std::string error;
        auto loaded = BuildTable::load(EXTRIAGE_TEST_SOURCE_DIR "/data/exchange-builds.tsv", error);
        REQUIRE_MESSAGE(loaded.has_value(), error);
        CHECK(error.empty());
        return std::move(*loaded);
    }();
    return t;
}

inline BuildNumber bn(const char* s) {
    auto b = BuildNumber::parse(s);
    REQUIRE_MESSAGE(b.has_value(), s);
    return *b;
}

inline Date day(const char* s) {
    auto d = parse_iso_date(s);
    REQUIRE_MESSAGE(d.has_value(), s);
    return *d;
}

inline Segment segment(std::string path, std::string kind, int index, std::string outcome,
                std::vector<std::pair<std::string, std::string>> facts) {
    Segment s;
    s.path = std::move(path);
    s.kind = std::move(kind);
    s.parser = s.kind == "setup-run" ? "exchange-setup" : "msi-log";
    s.index = index;
    s.first_line = 1 + static_cast<uint64_t>(index) * 100;
    s.last_line = s.first_line + 50;
    s.outcome = std::move(outcome);
    s.facts = std::move(facts);
    return s;
}

inline std::vector<std::string> ids(const std::vector<Finding>& fs) {
    std::vector<std::string> out;
    for (const auto& f : fs) out.push_back(f.rule_id);
    return out;
}

inline const Finding* find(const std::vector<Finding>& fs, std::string_view id) {
    for (const auto& f : fs)
        if (f.rule_id == id) return &f;
    return nullptr;
}

inline std::string fact(const Finding& f, std::string_view name) {
    const std::string* v = f.fact(name);
    return v ? *v : std::string("<unset>");
}


}  // namespace extriage::test
