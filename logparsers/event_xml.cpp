// "event-xml": Windows events exported as XML: Event Viewer "Save as XML" (<Events><Event>...
// </Events>, UTF-16LE with a BOM) and `wevtutil qe <log> /f:xml` or /f:RenderedXml (<Event>
// elements back to back, no root). Events are cut out of the byte stream one at a time
// (event_fields.hpp) and parsed with pugixml, so a 1 GB export never becomes one DOM and one
// malformed event costs only itself. Records carry the evtx-binary field names; the rendered
// <RenderingInfo><Message> (when present) becomes `message` and the record text.
#include <algorithm>

#include <pugixml.hpp>

#include <fmt/format.h>

#include "event_fields.hpp"
#include "parser.hpp"

namespace extriage {

namespace {

constexpr std::string_view kName = "event-xml";
constexpr std::string_view kEventNamespace = "schemas.microsoft.com/win/2004/08/events/event";

using eventlog::ElementScanner;
using eventlog::EventRecordBuilder;
using eventlog::load_element;

std::string_view local_name(const pugi::xml_node& n) {
    std::string_view name = n.name();
    size_t colon = name.find(':');
    return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

pugi::xml_node child(const pugi::xml_node& parent, std::string_view name) {
    for (pugi::xml_node c = parent.first_child(); c; c = c.next_sibling())
        if (c.type() == pugi::node_element && local_name(c) == name) return c;
    return {};
}

// All character data directly inside an element (text and CDATA pieces joined).
std::string text_of(const pugi::xml_node& n) {
    std::string out;
    for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling())
        if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) out += c.value();
    return out;
}

bool has_element_child(const pugi::xml_node& n) {
    for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling())
        if (c.type() == pugi::node_element) return true;
    return false;
}

// The leaves of <UserData>, in document order, as named data. Iterative: the nesting comes from
// the input and a recursive walk would overflow the stack (75,000 levels fit in 500 KB).
void add_user_data(EventRecordBuilder& b, const pugi::xml_node& user_data) {
    pugi::xml_node c = user_data.first_child();
    while (c) {
        if (c.type() == pugi::node_element && has_element_child(c)) {
            c = c.first_child();
            continue;
        }
        if (c.type() == pugi::node_element) b.add_data(local_name(c), text_of(c), true);
        // Next in document order, climbing back up no further than <UserData>.
        while (c && !c.next_sibling()) {
            c = c.parent();
            if (c == user_data) c = pugi::xml_node();
        }
        if (c) c = c.next_sibling();
    }
}

// Fills the builder from one <Event>; false if it is not an event.
bool read_event(const pugi::xml_node& ev, EventRecordBuilder& b) {
    using S = EventRecordBuilder;
    pugi::xml_node sys = child(ev, "System");
    if (!sys) return false;
    for (pugi::xml_node c = sys.first_child(); c; c = c.next_sibling()) {
        if (c.type() != pugi::node_element) continue;
        const std::string_view n = local_name(c);
        if (n == "Provider") {
            if (auto a = c.attribute("Name")) b.set(S::provider, a.value());
        } else if (n == "EventID") {
            b.set(S::event_id, text_of(c));
            if (auto a = c.attribute("Qualifiers")) b.set(S::qualifiers, a.value());
        } else if (n == "Level") {
            b.set(S::level, text_of(c));
        } else if (n == "Task") {
            b.set(S::task, text_of(c));
        } else if (n == "Keywords") {
            b.set(S::keywords, text_of(c));
        } else if (n == "EventRecordID") {
            b.set(S::record_id, text_of(c));
        } else if (n == "Channel") {
            b.set(S::channel, text_of(c));
        } else if (n == "Computer") {
            b.set(S::computer, text_of(c));
        } else if (n == "TimeCreated") {
            if (auto a = c.attribute("SystemTime"))
                if (auto t = eventlog::parse_time(a.value())) b.set_time(t->ms, true);
        } else if (n == "Security") {
            if (auto a = c.attribute("UserID")) b.set(S::user_sid, a.value());
        }
    }
    if (pugi::xml_node data = child(ev, "EventData")) {
        int index = 0;
        for (pugi::xml_node c = data.first_child(); c; c = c.next_sibling()) {
            if (c.type() != pugi::node_element) continue;
            const std::string_view n = local_name(c);
            if (n == "Data") {
                ++index;
                if (auto a = c.attribute("Name")) b.add_data(a.value(), text_of(c), true);
                else b.add_data(fmt::format("Data[{}]", index), text_of(c), false);
            } else if (n == "Binary") {
                b.add_data("Binary", text_of(c), true, false);
            }
        }
    }
    if (pugi::xml_node user = child(ev, "UserData")) add_user_data(b, user);
    if (pugi::xml_node info = child(ev, "RenderingInfo"))
        if (pugi::xml_node msg = child(info, "Message")) b.set_message(text_of(msg));
    return true;
}

class EventXmlParser final : public Parser {
public:
    std::string_view name() const override { return kName; }

    bool sniff(const SniffInput& in) const override {
        const std::string_view h = in.text_head;
        return h.find(kEventNamespace) != std::string_view::npos && h.find("<Event") != std::string_view::npos &&
               h.find("<Objs") == std::string_view::npos;
    }

    void parse(ByteSource& source, const std::string& path, RecordSink& sink, DiagSink& diags) const override {
        sink.on_file_begin(path, kName);
        const std::string origin(kName);
        ElementScanner scanner(source, {"Event", false, 32u << 20});
        ElementScanner::Element el;
        EventRecordBuilder builder;
        uint64_t good = 0, bad = 0;
        auto error = [&](uint64_t line, uint64_t column, std::string message) {
            diags.report({DiagSeverity::error, path, line, column, 0, false, std::move(message), origin});
        };
        while (scanner.next(el)) {
            using St = ElementScanner::Status;
            if (el.status == St::too_large || el.status == St::too_many_tags) {
                ++bad;
                error(el.line, 0,
                      el.status == St::too_large
                          ? fmt::format("event at byte offset {} is larger than 32 MiB; skipped", el.offset)
                          : fmt::format("event at byte offset {} holds more than 100000 elements; skipped", el.offset));
                continue;
            }
            if (el.status == St::unterminated) {
                ++bad;
                error(el.line, 0,
                      fmt::format("event at byte offset {} has no closing </Event> before the next <Event> (line {}); "
                                  "skipped",
                                  el.offset, el.end_line));
                continue;
            }
            if (el.status == St::truncated) {
                ++bad;
                error(el.line, 0, fmt::format("the file ends inside the event that starts at byte offset {}; skipped",
                                              el.offset));
                continue;
            }
            pugi::xml_document doc;
            if (const auto xml_error = load_element(doc, el)) {
                ++bad;
                error(xml_error->line, xml_error->column,
                      fmt::format("malformed event XML: {} (event at byte offset {}, lines {}-{}); event skipped",
                                  xml_error->description, el.offset, el.line, el.end_line));
                continue;
            }
            builder.clear();
            pugi::xml_node ev = doc.document_element();
            if (local_name(ev) != "Event" || !read_event(ev, builder)) {
                ++bad;
                error(el.line, 0, fmt::format("event at byte offset {} has no <System> element; skipped", el.offset));
                continue;
            }
            ++good;
            sink.on_record(builder.finish(kName, path, el.line, el.end_line - el.line + 1, el.offset));
        }
        if (bad)
            diags.report({DiagSeverity::warning, path, 0, 0, 0, false,
                          fmt::format("{} of {} events could not be read", bad, good + bad), origin});
        else if (!good)
            diags.report({DiagSeverity::warning, path, 0, 0, 0, false, "no <Event> elements found", origin});
        sink.on_file_end(path);
    }
};

}  // namespace

std::unique_ptr<Parser> make_event_xml_parser() { return std::make_unique<EventXmlParser>(); }

}  // namespace extriage
