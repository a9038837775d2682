// How old the knowledge is: the build table's newest build, the staleness warning, the version
// text; and the did-you-mean for subcommands (issue 9).
#include <doctest/doctest.h>

#include "advice/knowledge.hpp"
#include "cli/suggest.hpp"

using namespace extriage;

namespace {

const char* kTable =
    "product\trelease_name\tbuild\trelease_date\ttype\tbase_cu\tend_of_support\tkb_or_release_url\n"
    "Exchange Server 2019\tExchange Server 2019 CU14\t15.2.1544.4\t2024-02-13\tCU\tCU14\t2025-10-14\t\n"
    "Exchange Server 2019\tExchange Server 2019 CU14 Mar24SU\t15.2.1544.9\t2024-03-12\tSU\tCU14\t2025-10-14\t\n"
    "Exchange Server 2016\tExchange Server 2016 CU23 Jan24SU\t15.1.2507.37\t2024-01-09\tSU\tCU23\t2025-10-14\t\n";

Date day(const char* s) { return *parse_iso_date(s); }

}  // namespace

TEST_CASE("knowledge: the newest release, and a warning once it is more than 90 days old") {
    BuildTable t = BuildTable::parse(kTable);
    REQUIRE(t.newest_release());
    CHECK(t.newest_release()->name == "Exchange Server 2019 CU14 Mar24SU");   // by date, not by build
    CHECK(days_between(day("2024-03-12"), day("2024-06-10")) == 90);
    CHECK_FALSE(stale_table_warning(t, day("2024-06-10")));
    auto stale = stale_table_warning(t, day("2024-06-11"));
    REQUIRE(stale);
    CHECK(stale->find("Exchange Server 2019 CU14 Mar24SU") != std::string::npos);
    CHECK(stale->find("91 days before 2024-06-11") != std::string::npos);
    CHECK(stale->find("--data DIR") != std::string::npos);
}

TEST_CASE("knowledge: impossible dates are not dates") {
    CHECK_FALSE(parse_iso_date("2025-13-01"));
    CHECK_FALSE(parse_iso_date("2025-02-30"));
    CHECK_FALSE(parse_iso_date("2023-02-29"));
    CHECK(parse_iso_date("2024-02-29"));
}

TEST_CASE("knowledge: the version text names the rules, the table and its age") {
    const std::string text = version_text(nullptr, "/x/rules", "/no/such/folder", day("2026-11-22"));
    CHECK(text.starts_with("extriage "));
    CHECK(text.find("rules: not loaded (/x/rules)") != std::string::npos);
    CHECK(text.find("build table: not loaded: cannot open /no/such/folder/exchange-builds.tsv") != std::string::npos);
    const std::string bundled = version_text(nullptr, "/x/rules", "", day("2026-11-22"));
    CHECK(bundled.find(", newest Exchange Server") != std::string::npos);
}

TEST_CASE("suggest: the closest subcommand for a typo") {
    const std::vector<std::string> names{"analyze", "batch", "rules", "timeline"};
    CHECK(closest_word("analyse", names) == "analyze");
    CHECK(closest_word("ANALYZE", names) == "analyze");
    CHECK(closest_word("timline", names) == "timeline");
    CHECK(closest_word("bat", names) == "batch");
    CHECK(closest_word("frobnicate", names).empty());
    CHECK(closest_word("", names).empty());
}
