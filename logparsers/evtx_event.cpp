// Event schema knowledge: which elements are System fields, how EventData/UserData become fields.
#include "evtx_event.hpp"

#include <charconv>

#include <fmt/format.h>

#include "event_fields.hpp"
#include "event_message.hpp"
#include "evtx_text.hpp"

namespace extriage::evtx {

namespace {

constexpr std::array<std::string_view, 11> kSlotNames = {"provider", "event_id", "qualifiers", "level",
                                                         "task",     "keywords", "channel",    "computer",
                                                         "time",     "user_sid", "EventRecordID"};
// Longest evidence summary line, as the XML and CLIXML parsers keep it.
constexpr size_t kSummaryMax = 600;

}  // namespace

void EventBuilder::begin(uint64_t file_offset, uint64_t record_id, uint64_t written_filetime) {
    offset_ = file_offset;
    record_id_ = record_id;
    written_ = written_filetime;
    for (auto& s : system_) s.clear();
    has_.fill(false);
    path_.clear();
    had_child_.clear();
    text_.clear();
    raw_.clear();
    data_index_ = 0;
    data_buf_.clear();
    data_.clear();
}

bool EventBuilder::in_event(size_t depth, std::string_view section) const {
    return path_.size() == depth && path_[0] == "Event" && path_[1] == section;
}

void EventBuilder::set(Slot slot, std::string_view value) {
    system_[slot] = value;
    has_[slot] = true;
}

void EventBuilder::add_data(std::string_view name, std::string_view value, bool named, bool in_text) {
    DataRef r{data_buf_.size(), name.size(), 0, value.size(), named, in_text};
    data_buf_ += name;
    r.value_pos = data_buf_.size();
    data_buf_ += value;
    data_.push_back(r);
}

void EventBuilder::start_element(std::string_view name) {
    if (!had_child_.empty()) had_child_.back() = 1;
    path_.push_back(name);
    had_child_.push_back(0);
    text_.clear();
    data_named_ = false;
    raw_ += '<';
    raw_ += name;
}

void EventBuilder::attribute(std::string_view name, std::string_view value) {
    raw_ += ' ';
    raw_ += name;
    raw_ += "=\"";
    append_xml_escaped(raw_, value);
    raw_ += '"';
    if (in_event(3, "System")) {
        const std::string_view e = path_[2];
        if (e == "Provider" && name == "Name") set(provider, value);
        else if (e == "EventID" && name == "Qualifiers") set(qualifiers, value);
        else if (e == "TimeCreated" && name == "SystemTime") set(system_time, value);
        else if (e == "Security" && name == "UserID") set(user_sid, value);
    } else if (in_event(3, "EventData") && path_[2] == "Data" && name == "Name") {
        data_name_ = value;
        data_named_ = true;
    }
}

void EventBuilder::end_start_tag(bool empty) {
    raw_ += empty ? "/>" : ">";
    if (empty) close_element();
}

void EventBuilder::text(std::string_view utf8) {
    text_ += utf8;
    append_xml_escaped(raw_, utf8);
}

void EventBuilder::cdata(std::string_view utf8) {
    // Escaped like text: the raw rendering stays one line and well-formed.
    text(utf8);
}

void EventBuilder::pi(std::string_view target, std::string_view data) {
    raw_ += "<?";
    raw_ += target;
    raw_ += ' ';
    append_xml_escaped(raw_, data);
    raw_ += "?>";
}

void EventBuilder::end_element() {
    raw_ += "</";
    raw_ += path_.back();
    raw_ += '>';
    close_element();
}

void EventBuilder::close_element() {
    const bool leaf = !had_child_.back();
    const std::string_view name = path_.back();
    if (leaf && in_event(3, "System")) {
        if (name == "EventID") set(event_id, text_);
        else if (name == "Level") set(level, text_);
        else if (name == "Task") set(task, text_);
        else if (name == "Keywords") set(keywords, text_);
        else if (name == "Channel") set(channel, text_);
        else if (name == "Computer") set(computer, text_);
        else if (name == "EventRecordID") set(xml_record_id, text_);
    } else if (leaf && in_event(3, "EventData")) {
        if (name == "Data") {
            ++data_index_;
            if (data_named_) {
                add_data(data_name_, text_, true, true);
            } else {
                scratch_ = "Data[";
                scratch_ += std::to_string(data_index_);
                scratch_ += ']';
                add_data(scratch_, text_, false, true);
            }
        } else if (name == "Binary") {
            add_data("Binary", text_, true, false);
        }
    } else if (leaf && path_.size() >= 3 && path_[0] == "Event" && path_[1] == "UserData") {
        add_data(name, text_, true, true);
    }
    path_.pop_back();
    had_child_.pop_back();
    text_.clear();
}

bool EventBuilder::xml_record_id_is(uint64_t id) const {
    if (!has_[xml_record_id]) return false;
    const std::string& s = system_[xml_record_id];
    uint64_t value = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    return ec == std::errc() && end == s.data() + s.size() && !s.empty() && value == id;
}

void EventBuilder::finish(ChunkOutput& out) {
    OutRecord rec;
    rec.offset = offset_;
    rec.time_ms = kNoTime;
    if (has_[system_time])
        if (auto ms = parse_iso_to_unix_ms(system_[system_time])) rec.time_ms = *ms;
    if (rec.time_ms == kNoTime && written_ != 0) rec.time_ms = filetime_to_unix_ms(written_);
    rec.level = eventlog::level_from_number(system_[level]);
    rec.fields_begin = static_cast<uint32_t>(out.fields.size());

    auto field = [&](std::string_view name, std::string_view value) {
        out.fields.push_back({out.store(name), out.store(value)});
    };
    for (Slot s : {provider, event_id, qualifiers, level, task, keywords})
        if (has_[s]) field(kSlotNames[s], system_[s]);
    field("record_id", std::to_string(record_id_));
    // Events saved from another log ("Save Selected Events", extracted records) are renumbered in
    // their record headers but keep the EventRecordID they were logged with: keep both.
    if (has_[xml_record_id] && !xml_record_id_is(record_id_)) field("event_record_id", system_[xml_record_id]);
    for (Slot s : {channel, computer})
        if (has_[s]) field(kSlotNames[s], system_[s]);
    scratch_.clear();
    if (rec.time_ms != kNoTime) append_unix_ms_iso(scratch_, rec.time_ms);
    field("time", scratch_);
    if (has_[user_sid]) field(kSlotNames[user_sid], system_[user_sid]);

    scratch_.clear();
    for (const DataRef& d : data_) {
        const std::string_view name(data_buf_.data() + d.name_pos, d.name_len);
        const std::string_view value(data_buf_.data() + d.value_pos, d.value_len);
        field(name, value);
        if (!d.in_text || value.empty()) continue;
        if (!scratch_.empty()) scratch_ += "; ";
        if (d.named) {
            scratch_ += name;
            scratch_ += ": ";
        }
        scratch_ += value;
    }
    rec.fields_count = static_cast<uint32_t>(out.fields.size()) - rec.fields_begin;
    rec.text = out.store(scratch_);
    rec.raw = out.store(raw_);

    // The evidence line: the known template filled with the data values, else the data text.
    std::vector<std::string_view> values;
    for (const DataRef& d : data_)
        if (d.in_text) values.emplace_back(data_buf_.data() + d.value_pos, d.value_len);
    std::string message = eventlog::render_known_message(system_[provider], system_[event_id], values);
    if (message.empty()) message = eventlog::resolve_insertions(scratch_);
    const std::string header_record = std::to_string(record_id_);
    // Both numbers when the record header and <EventRecordID> differ (records copied between logs).
    const std::string_view xml_record =
        has_[xml_record_id] && !xml_record_id_is(record_id_) ? std::string_view(system_[xml_record_id]) : std::string_view();
    rec.summary = out.store(eventlog::summary_line(
        {rec.time_ms, true, system_[provider], system_[event_id], header_record, xml_record, message}, kSummaryMax));
    out.records.push_back(rec);
}

}  // namespace extriage::evtx
