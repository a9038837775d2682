// "system-state": a server state snapshot written by `extriage collect` (JSON; the layout is
// schema/system-state.schema.json). No runs: one record per item of the snapshot (state_records.hpp).
#include <string>

#include "parser.hpp"
#include "state_records.hpp"
#include "system_state_model.hpp"

namespace extriage {

namespace {

constexpr std::string_view kName = "system-state";
constexpr uint64_t kMaxSnapshotBytes = 64ull << 20;

class SystemStateParser final : public Parser {
public:
    std::string_view name() const override { return kName; }

    bool sniff(const SniffInput& in) const override {
        const std::string_view head = in.text_head.substr(0, 4096);
        return head.find('{') != std::string_view::npos && head.find("\"extriage-system-state\"") != std::string_view::npos;
    }

    void parse(ByteSource& source, const std::string& path, RecordSink& sink, DiagSink& diags) const override {
        sink.on_file_begin(path, kName);
        std::string text = source.read_all(kMaxSnapshotBytes);
        if (text.size() >= 3 && text.compare(0, 3, "\xEF\xBB\xBF") == 0) text.erase(0, 3);
        std::vector<std::string> problems;
        auto state = from_snapshot_json(text, problems);
        for (const auto& p : problems)
            if (state) diags.warning_at_line(path, 0, p, std::string(kName));
            else diags.error_at_line(path, 0, p, std::string(kName));
        if (state) emit_state_records(*state, "snapshot", path, kName, sink);
        sink.on_file_end(path);
    }
};

}  // namespace

std::unique_ptr<Parser> make_system_state_parser() { return std::make_unique<SystemStateParser>(); }

}  // namespace extriage
