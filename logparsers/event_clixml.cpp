// "event-clixml": PowerShell Export-Clixml of Get-EventLog (and Get-WinEvent) output, as
// ExchangeLogCollector writes <SERVER>_Application.xml and <SERVER>_System.xml. Each top-level
// <Obj> of the <Objs> stream is cut out on its own (event_fields.hpp) and parsed with pugixml;
// type names (<TN>/<TNRef>) and referenced objects (<Ref RefId>) are remembered across objects.
// Fields use the evtx-binary names: Source -> provider, ReplacementStrings -> Data[1].. (param1..
// for Service Control Manager, whose manifest names them), Message -> message and the text.
// The channel comes from the Log property, the adapted type name (EventLogEntry#System/...) or
// the file name, in that order.
#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <deque>
#include <map>
#include <memory>
#include <unordered_map>

#include <pugixml.hpp>

#include <fmt/format.h>

#include "clixml_text.hpp"
#include "event_fields.hpp"
#include "parser.hpp"

namespace extriage {

namespace {

constexpr std::string_view kName = "event-clixml";
constexpr std::string_view kPsNamespace = "schemas.microsoft.com/powershell/2004/04";

using eventlog::ElementScanner;
using eventlog::EventRecordBuilder;
using eventlog::load_element;
using clixml::decode_ps_string;
using clixml::is_collection;
using clixml::is_primitive;
using clixml::text_of;


std::string base64_to_hex(std::string_view b64) {
    static constexpr char kDigits[] = "0123456789ABCDEF";
    std::string out;
    uint32_t acc = 0;
    int bits = 0;
    for (char c : b64) {
        int v = -1;
        if (c >= 'A' && c <= 'Z') v = c - 'A';
        else if (c >= 'a' && c <= 'z') v = c - 'a' + 26;
        else if (c >= '0' && c <= '9') v = c - '0' + 52;
        else if (c == '+') v = 62;
        else if (c == '/') v = 63;
        if (v < 0) continue;
        acc = (acc << 6) | static_cast<uint32_t>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            const auto byte = static_cast<unsigned>((acc >> bits) & 0xFF);
            out.push_back(kDigits[byte >> 4]);
            out.push_back(kDigits[byte & 0xF]);
        }
    }
    return out;
}

// A deserialized value, as much of it as event mapping needs.
struct Value {
    bool present = false;
    std::string tag;                      // primitive tag, or "Obj"
    std::string text;                     // primitive text, or the object's ToString
    std::string number;                   // an object's primitive payload (enum: <I32>4</I32>)
    bool is_list = false;
    std::vector<std::string> list;
    std::vector<std::pair<std::string, std::string>> props;   // an object's scalar properties

    size_t bytes() const {
        size_t n = tag.size() + text.size() + number.size();
        for (const auto& item : list) n += item.size();
        for (const auto& [k, v] : props) n += k.size() + v.size();
        return n;
    }
};
// Values are shared, never copied: a <Ref> to an object is the object itself (a file with a
// thousand <Ref>s to one large object must not hold a thousand copies of it).
using ValuePtr = std::shared_ptr<const Value>;

// Input-driven work is bounded: nesting (the walk is recursive), the text that references copy
// out of earlier objects into later ones, and the objects kept for later <Ref>s.
struct DeserializerLimits {
    int max_depth = 64;                          // Export-Clixml writes 2 levels unless -Depth asks for more
    uint64_t max_object_copy = 32u << 20;        // text copied while building one top-level object
    uint64_t file_copy_base = 64u << 20;         // ... and per file: this plus
    uint64_t file_copy_per_input_byte = 4;       // ... this many bytes per input byte read so far
    size_t max_remembered = 65536;               // objects kept for <Ref RefId>
    uint64_t max_remembered_bytes = 64u << 20;   // ... and their size
};

class Deserializer {
public:
    explicit Deserializer(DeserializerLimits limits = {}) : limits_(limits) {}

    // Type names of the object (first <T>), registering <TN> for later <TNRef>.
    std::string type_of(const pugi::xml_node& obj) {
        if (pugi::xml_node tn = obj.child("TN")) {
            std::string first = text_of(tn.child("T"));
            if (auto id = tn.attribute("RefId")) types_[id.value()] = first;
            return first;
        }
        if (pugi::xml_node ref = obj.child("TNRef")) {
            auto it = types_.find(ref.attribute("RefId").value());
            if (it != types_.end()) return it->second;
            ++unresolved_;
        }
        return {};
    }

    // Starts a top-level object; `input_bytes` is how much of the file has been read.
    void begin_object(uint64_t input_bytes) {
        problem_.clear();
        object_copied_ = 0;
        file_allowance_ = limits_.file_copy_base + limits_.file_copy_per_input_byte * input_bytes;
    }
    // Why the object being built cannot be used ("" if it can): it nests too deeply or copies too much.
    const std::string& problem() const { return problem_; }

    ValuePtr resolve(const pugi::xml_node& n, int depth = 0) {
        if (!problem_.empty()) return absent();
        if (depth > limits_.max_depth) {
            problem_ = fmt::format("objects nested more than {} levels deep", limits_.max_depth);
            return absent();
        }
        const std::string_view tag = n.name();
        if (tag == "Nil") return absent();
        if (tag == "Ref") {
            auto it = refs_.find(n.attribute("RefId").value());
            if (it == refs_.end()) {
                ++unresolved_;
                return absent();
            }
            return it->second;
        }
        auto v = std::make_shared<Value>();
        if (is_primitive(tag)) {
            v->present = true;
            v->tag = std::string(tag);
            v->text = tag == "S" ? decode_ps_string(text_of(n)) : text_of(n);
            return v;
        }
        if (tag != "Obj") return absent();
        v->present = true;
        v->tag = "Obj";
        type_of(n);
        for (pugi::xml_node c = n.first_child(); c && problem_.empty(); c = c.next_sibling()) {
            if (c.type() != pugi::node_element) continue;
            const std::string_view ct = c.name();
            if (ct == "ToString") {
                v->text = decode_ps_string(text_of(c));
            } else if (is_collection(ct)) {
                v->is_list = true;
                for (pugi::xml_node item = c.first_child(); item && problem_.empty(); item = item.next_sibling()) {
                    if (item.type() != pugi::node_element) continue;
                    ValuePtr iv = resolve(item, depth + 1);
                    // Get-WinEvent's EventProperty objects carry the value in a Value property.
                    const std::string* s = &iv->text;
                    for (const auto& [k, pv] : iv->props)
                        if (k == "Value") s = &pv;
                    if (!charge(iv->present ? s->size() : 0)) break;
                    v->list.push_back(iv->present ? *s : std::string());
                }
            } else if (ct == "Props" || ct == "MS") {
                for (pugi::xml_node p = c.first_child(); p && problem_.empty(); p = p.next_sibling()) {
                    if (p.type() != pugi::node_element || !p.attribute("N")) continue;
                    ValuePtr pv = resolve(p, depth + 1);
                    if (!pv->present) continue;
                    const std::string_view text = pv->is_list ? std::string_view() : std::string_view(pv->text);
                    if (!charge(text.size())) break;
                    v->props.emplace_back(p.attribute("N").value(), std::string(text));
                }
            } else if (is_primitive(ct) && !c.attribute("N")) {
                v->number = text_of(c);
                if (v->text.empty()) v->text = v->number;
            }
        }
        if (!problem_.empty()) return absent();
        if (auto id = n.attribute("RefId")) remember(id.value(), v);
        return v;
    }

    uint64_t unresolved() const { return unresolved_; }
    uint64_t forgotten() const { return forgotten_; }

private:
    static ValuePtr absent() {
        static const ValuePtr kAbsent = std::make_shared<const Value>();
        return kAbsent;
    }

    // Counts text copied from one value into another (the only way <Ref>s amplify).
    bool charge(uint64_t bytes) {
        object_copied_ += bytes;
        file_copied_ += bytes;
        if (object_copied_ > limits_.max_object_copy)
            problem_ = fmt::format("the object's values expand to more than {} MiB", limits_.max_object_copy >> 20);
        else if (file_copied_ > file_allowance_)
            problem_ = fmt::format("values copied through references exceed the file's budget of {} MiB",
                                   file_allowance_ >> 20);
        return problem_.empty();
    }

    void remember(const std::string& id, ValuePtr v) {
        const size_t size = v->bytes() + id.size();
        auto old = refs_.find(id);
        if (old != refs_.end()) {
            remembered_bytes_ -= old->second->bytes() + id.size();
            refs_.erase(old);
        }
        while (!order_.empty() &&
               (refs_.size() >= limits_.max_remembered || remembered_bytes_ + size > limits_.max_remembered_bytes)) {
            auto it = refs_.find(order_.front());
            order_.pop_front();
            if (it == refs_.end()) continue;   // replaced by a later object with the same RefId
            remembered_bytes_ -= it->second->bytes() + it->first.size();
            refs_.erase(it);
            ++forgotten_;
        }
        remembered_bytes_ += size;
        refs_.emplace(id, std::move(v));
        order_.push_back(id);
    }

    DeserializerLimits limits_;
    std::unordered_map<std::string, std::string> types_;
    std::unordered_map<std::string, ValuePtr> refs_;
    std::deque<std::string> order_;   // RefIds, oldest first (may hold ids already replaced)
    uint64_t remembered_bytes_ = 0;
    uint64_t unresolved_ = 0, forgotten_ = 0;
    uint64_t object_copied_ = 0, file_copied_ = 0, file_allowance_ = 0;
    std::string problem_;
};

// "System.Diagnostics.EventLogEntry#System/Service Control Manager/7036" -> "System".
std::string log_from_type(std::string_view type) {
    size_t hash = type.find('#');
    if (hash == std::string_view::npos) return {};
    std::string_view rest = type.substr(hash + 1);
    return std::string(rest.substr(0, rest.find('/')));
}

// "...\EX01_Application.xml" -> "Application" (ExchangeLogCollector's <SERVER>_<Log>.xml).
std::string log_from_file_name(std::string_view path) {
    size_t slash = path.find_last_of("/\\!");
    std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
    size_t dot = name.rfind('.');
    if (dot != std::string_view::npos) name = name.substr(0, dot);
    size_t us = name.rfind('_');
    std::string_view log = us == std::string_view::npos ? name : name.substr(us + 1);
    for (std::string_view known : {"Application", "System", "Security", "Setup"})
        if (log.size() == known.size() &&
            std::equal(log.begin(), log.end(), known.begin(), [](char a, char b) {
                return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
            }))
            return std::string(known);
    return {};
}

std::string strip_deserialized(std::string type) {
    constexpr std::string_view kPrefix = "Deserialized.";
    if (std::string_view(type).starts_with(kPrefix)) type.erase(0, kPrefix.size());
    return type;
}

// EventLogEntryType: Error 1, Warning 2, Information 4, SuccessAudit 8, FailureAudit 16. The legacy
// API has no "Critical": Get-EventLog shows level-1 events with EntryType 0 (GK, unverified).
std::string level_from_entry_type(const Value& v) {
    const std::string& t = v.text;
    if (t == "Error" || v.number == "1") return "2";
    if (t == "Warning" || v.number == "2") return "3";
    if (t == "Information" || v.number == "4") return "4";
    if (t == "SuccessAudit" || t == "FailureAudit" || v.number == "8" || v.number == "16") return "0";
    if (t == "0" || v.number == "0") return "1";
    return "4";
}

const Value* prop(const std::vector<std::pair<std::string, ValuePtr>>& props, std::string_view name) {
    for (const auto& [k, v] : props)
        if (k == name && v->present) return v.get();
    return nullptr;
}

class EventClixmlParser final : public Parser {
public:
    std::string_view name() const override { return kName; }

    bool sniff(const SniffInput& in) const override {
        const std::string_view h = in.text_head;
        if (h.find("<Objs") == std::string_view::npos || h.find(kPsNamespace) == std::string_view::npos) return false;
        if (h.find("System.Diagnostics.EventLogEntry") != std::string_view::npos ||
            h.find("System.Diagnostics.Eventing.Reader.EventLogRecord") != std::string_view::npos)
            return true;
        // An export with no events yet: claim it by ExchangeLogCollector's file name.
        return h.find("<Obj ") == std::string_view::npos && !log_from_file_name(in.file_name).empty();
    }

    void parse(ByteSource& source, const std::string& path, RecordSink& sink, DiagSink& diags) const override {
        sink.on_file_begin(path, kName);
        const std::string origin(kName);
        const std::string file_log = log_from_file_name(path);
        ElementScanner scanner(source, {"Obj", true, 32u << 20});
        ElementScanner::Element el;
        EventRecordBuilder b;
        Deserializer des;
        uint64_t good = 0, bad = 0, other = 0;
        auto error = [&](uint64_t line, uint64_t column, std::string message) {
            diags.report({DiagSeverity::error, path, line, column, 0, false, std::move(message), origin});
        };
        std::vector<std::pair<std::string, ValuePtr>> props;
        while (scanner.next(el)) {
            using St = ElementScanner::Status;
            if (el.status != St::complete) {
                ++bad;
                error(el.line, 0,
                      el.status == St::truncated
                          ? fmt::format("the file ends inside the object that starts at byte offset {}; skipped", el.offset)
                      : el.status == St::too_many_tags
                          ? fmt::format("object at byte offset {} holds more than 100000 elements; skipped", el.offset)
                          : fmt::format("object at byte offset {} is larger than 32 MiB; skipped", el.offset));
                continue;
            }
            pugi::xml_document doc;
            if (const auto xml_error = load_element(doc, el)) {
                ++bad;
                error(xml_error->line, xml_error->column,
                      fmt::format("malformed CLIXML object: {} (object at byte offset {}, lines {}-{}); skipped",
                                  xml_error->description, el.offset, el.line, el.end_line));
                continue;
            }
            pugi::xml_node obj = doc.document_element();
            const std::string type = strip_deserialized(des.type_of(obj));
            const bool legacy = type.starts_with("System.Diagnostics.EventLogEntry");
            const bool winevent = type.starts_with("System.Diagnostics.Eventing.Reader.EventLogRecord") ||
                                  type.starts_with("System.Diagnostics.Eventing.Reader.EventRecord");
            props.clear();
            des.begin_object(scanner.bytes_read());
            for (pugi::xml_node sect = obj.first_child(); sect; sect = sect.next_sibling()) {
                if (std::string_view(sect.name()) != "Props" && std::string_view(sect.name()) != "MS") continue;
                for (pugi::xml_node p = sect.first_child(); p; p = p.next_sibling())
                    if (p.type() == pugi::node_element && p.attribute("N"))
                        props.emplace_back(p.attribute("N").value(), des.resolve(p, 1));
            }
            if (!des.problem().empty()) {
                ++bad;
                props.clear();
                error(el.line, 0, fmt::format("object at byte offset {} skipped: {}", el.offset, des.problem()));
                continue;
            }
            if (!legacy && !winevent) {
                ++other;
                continue;
            }
            b.clear();
            if (legacy) map_event_log_entry(props, type, file_log, b);
            else map_event_log_record(props, file_log, b);
            ++good;
            sink.on_record(b.finish(kName, path, el.line, el.end_line - el.line + 1, el.offset));
        }
        if (des.unresolved())
            diags.report({DiagSeverity::warning, path, 0, 0, 0, false,
                          fmt::format("{} type or object reference(s) (TNRef/Ref) pointed to nothing seen before",
                                      des.unresolved()),
                          origin});
        if (bad)
            diags.report({DiagSeverity::warning, path, 0, 0, 0, false,
                          fmt::format("{} of {} objects could not be read", bad, good + bad + other), origin});
        else if (!good)
            diags.report({DiagSeverity::warning, path, 0, 0, 0, false,
                          other ? fmt::format("{} object(s), none of them an event log entry", other)
                                : std::string("no objects found"),
                          origin});
        sink.on_file_end(path);
    }

private:
    using Props = std::vector<std::pair<std::string, ValuePtr>>;

    static void set_time(EventRecordBuilder& b, const Value* v) {
        if (!v) return;
        if (auto t = eventlog::parse_time(v->text)) b.set_time(t->ms, t->has_zone);
    }

    // Get-EventLog: System.Diagnostics.EventLogEntry.
    static void map_event_log_entry(const Props& props, const std::string& type, const std::string& file_log,
                                    EventRecordBuilder& b) {
        using S = EventRecordBuilder;
        std::string provider;
        if (const Value* v = prop(props, "Source")) provider = v->text;
        b.set(S::provider, provider);
        const Value* instance = prop(props, "InstanceId");
        long long iid = instance ? std::atoll(instance->text.c_str()) : 0;
        if (const Value* v = prop(props, "EventID")) b.set(S::event_id, v->text);
        else if (instance) b.set(S::event_id, std::to_string(iid & 0xFFFF));
        if (instance && ((iid >> 16) & 0xFFFF) != 0) b.set(S::qualifiers, std::to_string((iid >> 16) & 0xFFFF));
        if (const Value* v = prop(props, "EntryType")) b.set(S::level, level_from_entry_type(*v));
        if (const Value* v = prop(props, "CategoryNumber")) b.set(S::task, v->text);
        if (const Value* v = prop(props, "Index")) b.set(S::record_id, v->text);
        std::string log;
        if (const Value* v = prop(props, "Log")) log = v->text;
        if (log.empty()) log = log_from_type(type);
        if (log.empty()) log = file_log;
        if (!log.empty()) b.set(S::channel, log);
        if (const Value* v = prop(props, "MachineName")) b.set(S::computer, v->text);
        const Value* t = prop(props, "TimeGenerated");
        set_time(b, t ? t : prop(props, "TimeWritten"));
        if (const Value* v = prop(props, "ReplacementStrings"); v && v->is_list)
            for (size_t i = 0; i < v->list.size(); ++i) {
                std::string name = eventlog::positional_data_name(provider, i + 1);
                b.add_data(name, v->list[i], !name.starts_with("Data["));
            }
        if (const Value* v = prop(props, "Data"); v && v->tag == "BA" && !v->text.empty())
            b.add_data("Binary", base64_to_hex(v->text), true, false);
        if (const Value* v = prop(props, "Message")) b.set_message(v->text);
    }

    // Get-WinEvent: System.Diagnostics.Eventing.Reader.EventLogRecord.
    static void map_event_log_record(const Props& props, const std::string& file_log, EventRecordBuilder& b) {
        using S = EventRecordBuilder;
        std::string provider;
        if (const Value* v = prop(props, "ProviderName")) provider = v->text;
        b.set(S::provider, provider);
        if (const Value* v = prop(props, "Id")) b.set(S::event_id, v->text);
        if (const Value* v = prop(props, "Qualifiers"); v && !v->text.empty()) b.set(S::qualifiers, v->text);
        if (const Value* v = prop(props, "Level")) b.set(S::level, v->number.empty() ? v->text : v->number);
        if (const Value* v = prop(props, "Task")) b.set(S::task, v->text);
        if (const Value* v = prop(props, "Keywords"))
            b.set(S::keywords, fmt::format("0x{:x}", static_cast<unsigned long long>(std::atoll(v->text.c_str()))));
        if (const Value* v = prop(props, "RecordId")) b.set(S::record_id, v->text);
        std::string log;
        if (const Value* v = prop(props, "LogName")) log = v->text;
        if (log.empty()) log = file_log;
        if (!log.empty()) b.set(S::channel, log);
        if (const Value* v = prop(props, "MachineName")) b.set(S::computer, v->text);
        set_time(b, prop(props, "TimeCreated"));
        if (const Value* v = prop(props, "UserId"); v && v->text.starts_with("S-1-")) b.set(S::user_sid, v->text);
        if (const Value* v = prop(props, "Properties"); v && v->is_list)
            for (size_t i = 0; i < v->list.size(); ++i) {
                if (v->list[i] == "System.Diagnostics.Eventing.Reader.EventProperty") continue;   // depth-cut
                std::string name = eventlog::positional_data_name(provider, i + 1);
                b.add_data(name, v->list[i], !name.starts_with("Data["));
            }
        if (const Value* v = prop(props, "Message")) b.set_message(v->text);
    }
};

}  // namespace

std::unique_ptr<Parser> make_event_clixml_parser() { return std::make_unique<EventClixmlParser>(); }

}  // namespace extriage
