// See state_commands.hpp.
#include "app/state_commands.hpp"

#include <cstdio>

#include <fmt/format.h>

#include "advice/builds.hpp"
#include "app/collect_bundle.hpp"
#include "app/collect_state.hpp"
#include "app/preflight.hpp"
#include "advice/shipped_data.hpp"
#include "byte_source.hpp"
#include "decode.hpp"
#include "parser.hpp"

namespace extriage {

namespace {

constexpr int kNotReady = 1;
constexpr int kError = 2;

}  // namespace

int run_collect_command(const std::string& out_zip) {
    auto sys = make_local_system_access();
    if (!sys) {
        std::fprintf(stderr, "extriage: collect reads a live Exchange server and needs Windows; run extriage.exe collect on the server\n");
        return kError;
    }
    std::string out = out_zip.empty() ? fmt::format("extriage-{}.zip", sys->computer_name()) : out_zip;
    CollectSummary sum = collect_bundle(*sys, out, [](const std::string& line) { std::fprintf(stderr, "%s\n", line.c_str()); });
    if (!sum.error.empty()) {
        std::fprintf(stderr, "extriage: collect: %s\n", sum.error.c_str());
        return kError;
    }
    return 0;
}

int run_check_command(const std::string& target, const std::string& state_path, const RuleSet& rules) {
    std::string text, parser;
    if (!state_path.empty()) {
        FileSource src(state_path);
        text = src.read_all(512ull << 20);
        const std::string head = decode_head(std::string_view(text).substr(0, 65536));
        SniffInput in{std::string_view(text).substr(0, 65536), head, state_path};
        const Parser* p = sniff_parser(in);
        if (!p || (p->name() != "system-state" && p->name() != "healthchecker-clixml")) {
            std::fprintf(stderr, "extriage: check: %s is not a state snapshot or a HealthChecker export\n", state_path.c_str());
            return kError;
        }
        parser = std::string(p->name());
    } else {
        auto sys = make_local_system_access();
        if (!sys) {
            std::fprintf(stderr, "extriage: check reads a live Exchange server and needs Windows; elsewhere give --state "
                                 "<snapshot.json or HealthChecker-<server>-<date>.xml>\n");
            return kError;
        }
        text = to_snapshot_json(collect_state(*sys));
        parser = "system-state";
    }
    std::string table_error;
    const BuildTable* table = shipped_build_table(table_error);
    DiagSink diags;
    Readiness r = check_readiness(text, parser, target, rules, table, diags);
    std::fputs(format_readiness(r).c_str(), stdout);
    return r.verdict == Readiness::Verdict::not_ready ? kNotReady : 0;
}

}  // namespace extriage
