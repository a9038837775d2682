// evtx_dump: prints EVTX records in a stable text form for the libevtx differential test and the
// benchmark, until the extriage CLI has --dump-records.
//   evtx_dump [--threads N] [--quiet] [--full] FILE...     decode with the evtx-binary parser
//   evtx_dump --from-evtxexport-xml FILE|-                 convert `evtxexport -f xml` output
// Both print, per event: record_id (the event's System/EventRecordID), event_id, provider, channel, time (ms, UTC) and the data
// fields (EventData Data by name or Data[n], Binary, UserData leaves), one "key: value" a line.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include <pugixml.hpp>

#include "evtx_binary.hpp"
#include "evtx_text.hpp"

namespace {

using namespace extriage;

const char* const kSystemFields[] = {"provider", "event_id",  "qualifiers", "level",    "task",
                                     "keywords", "record_id", "channel",    "computer", "time",
                                     "user_sid", "event_record_id"};

bool is_system_field(std::string_view name) {
    for (const char* s : kSystemFields)
        if (name == s) return true;
    return false;
}

// Values may span lines; keep one line per field.
std::string one_line(std::string_view v) {
    std::string out;
    for (char c : v) {
        if (c == '\n') out += "\\n";
        else if (c == '\r') out += "\\r";
        else if (c == '\t') out += "\\t";
        else out.push_back(c);
    }
    return out;
}

struct Block {
    std::string record_id, event_id, provider, channel, time;
    std::vector<std::pair<std::string, std::string>> data;

    void print(std::string& out) const {
        out += "record_id: " + record_id + "\n";
        out += "event_id: " + event_id + "\n";
        out += "provider: " + provider + "\n";
        out += "channel: " + channel + "\n";
        out += "time: " + time + "\n";
        for (const auto& [k, v] : data) out += one_line(k) + ": " + one_line(v) + "\n";
        out += "\n";
    }
};

class DumpSink final : public RecordSink {
public:
    DumpSink(bool quiet, bool full) : quiet_(quiet), full_(full) {}
    void on_file_begin(std::string_view, std::string_view) override {}
    void on_record(const Record& r) override {
        ++count_;
        if (quiet_) return;
        Block b;
        // The event's own EventRecordID, as evtxexport's XML prints it; the record header's
        // number differs only in events saved from another log.
        b.record_id = r.field("event_record_id");
        if (b.record_id.empty()) b.record_id = r.field("record_id");
        b.event_id = r.field("event_id");
        b.provider = r.field("provider");
        b.channel = r.field("channel");
        b.time = r.field("time");
        for (const Field& f : r.fields)
            if (!is_system_field(f.name)) b.data.emplace_back(f.name, f.value);
        b.print(buf_);
        if (full_) buf_ += "text: " + one_line(r.text) + "\nraw: " + std::string(r.raw) + "\n\n";
        if (buf_.size() > (1 << 16)) flush();
    }
    void on_segment_end(const Segment&) override {}
    void on_file_end(std::string_view) override { flush(); }
    void flush() {
        std::fwrite(buf_.data(), 1, buf_.size(), stdout);
        buf_.clear();
    }
    uint64_t count() const { return count_; }

private:
    bool quiet_, full_;
    std::string buf_;
    uint64_t count_ = 0;
};

std::string child_text(const pugi::xml_node& n) { return n.text().get(); }

// SystemTime "2023-01-09T22:54:26.129123400Z" -> "2023-01-09T22:54:26.129Z".
std::string time_ms(const std::string& s) {
    auto ms = evtx::parse_iso_to_unix_ms(s);
    if (!ms) return s;
    std::string out;
    evtx::append_unix_ms_iso(out, *ms);
    return out;
}

int from_evtxexport_xml(const std::string& file) {
    std::string text;
    if (file == "-") {
        text.assign(std::istreambuf_iterator<char>(std::cin), {});
    } else {
        std::ifstream in(file, std::ios::binary);
        text.assign(std::istreambuf_iterator<char>(in), {});
    }
    // evtxexport prints a banner line, then one <Event> document per record.
    if (auto first = text.find('<'); first != std::string::npos) text.erase(0, first);
    else text.clear();
    const std::string wrapped = "<Events>" + text + "</Events>";
    pugi::xml_document doc;
    auto res = doc.load_buffer(wrapped.data(), wrapped.size(), pugi::parse_default | pugi::parse_ws_pcdata_single);
    if (!res) {
        std::fprintf(stderr, "evtx_dump: cannot parse evtxexport output: %s at %td\n", res.description(), res.offset);
        return 2;
    }
    std::string out;
    for (pugi::xml_node ev : doc.child("Events").children("Event")) {
        pugi::xml_node sys = ev.child("System");
        Block b;
        b.record_id = child_text(sys.child("EventRecordID"));
        b.event_id = child_text(sys.child("EventID"));
        b.provider = sys.child("Provider").attribute("Name").value();
        b.channel = child_text(sys.child("Channel"));
        b.time = time_ms(sys.child("TimeCreated").attribute("SystemTime").value());
        int index = 0;
        for (pugi::xml_node d : ev.child("EventData").children()) {
            const std::string name = d.name();
            if (name == "Data") {
                ++index;
                pugi::xml_attribute a = d.attribute("Name");
                b.data.emplace_back(a ? a.value() : "Data[" + std::to_string(index) + "]", child_text(d));
            } else if (name == "Binary") {
                b.data.emplace_back("Binary", child_text(d));
            }
        }
        // UserData leaves, depth first.
        struct Walker : pugi::xml_tree_walker {
            Block* block;
            bool for_each(pugi::xml_node& n) override {
                if (n.type() == pugi::node_element && !n.find_child([](pugi::xml_node c) {
                        return c.type() == pugi::node_element;
                    }))
                    block->data.emplace_back(n.name(), n.text().get());
                return true;
            }
        } walker;
        walker.block = &b;
        ev.child("UserData").traverse(walker);
        b.print(out);
    }
    std::fwrite(out.data(), 1, out.size(), stdout);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> files;
    EvtxOptions options;
    bool quiet = false, full = false, stats_only = false;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--threads" && i + 1 < argc) {
            options.threads = static_cast<unsigned>(std::stoul(argv[++i]));
        } else if (a == "--quiet") {
            quiet = true;
        } else if (a == "--full") {
            full = true;
            options.raw_xml = true;   // --full shows the decoded XML, not the evidence line
        } else if (a == "--stats") {
            stats_only = true;
        } else if (a == "--from-evtxexport-xml" && i + 1 < argc) {
            return from_evtxexport_xml(argv[++i]);
        } else if (a == "-h" || a == "--help") {
            std::puts("usage: evtx_dump [--threads N] [--quiet] [--full] [--stats] FILE...\n"
                      "       evtx_dump --from-evtxexport-xml FILE|-");
            return 0;
        } else {
            files.push_back(a);
        }
    }
    if (files.empty()) {
        std::fputs("evtx_dump: no input files\n", stderr);
        return 2;
    }
    int rc = 0;
    for (const auto& f : files) {
        DiagSink diags;
        DumpSink sink(quiet || stats_only, full);
        EvtxStats st;
        try {
            FileSource src(f);
            st = parse_evtx(src, f, sink, diags, options);
        } catch (const InputError& e) {
            std::fprintf(stderr, "evtx_dump: %s\n", e.what());
            rc = 2;
            continue;
        }
        for (const auto& d : diags.snapshot()) std::fprintf(stderr, "%s\n", d.format().c_str());
        if (stats_only || quiet)
            std::printf("%s: %llu records, %llu bad records, %llu chunks, %llu bad chunks\n", f.c_str(),
                        static_cast<unsigned long long>(st.records), static_cast<unsigned long long>(st.bad_records),
                        static_cast<unsigned long long>(st.chunks), static_cast<unsigned long long>(st.bad_chunks));
    }
    return rc;
}
