// Turns the XML of one decoded event (as XmlHandler calls) into a normalized record:
// System fields, EventData/UserData fields, a message-ish text, a one-line raw XML and the
// evidence summary line (event_message.hpp).
// It knows the Windows event schema; it knows nothing about BinXML or chunks.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "evtx_binxml.hpp"
#include "evtx_output.hpp"

namespace extriage::evtx {

class EventBuilder final : public XmlHandler {
public:
    void begin(uint64_t file_offset, uint64_t record_id, uint64_t written_filetime);
    // Appends the finished record (fields, text, raw) to `out`.
    void finish(ChunkOutput& out);
    // True when the decoded System/EventRecordID is `id`. Used to trust a record whose trailing
    // size copy was never written (a log that was not closed cleanly).
    bool xml_record_id_is(uint64_t id) const;

    void start_element(std::string_view name) override;
    void attribute(std::string_view name, std::string_view value) override;
    void end_start_tag(bool empty) override;
    void text(std::string_view utf8) override;
    void cdata(std::string_view utf8) override;
    void pi(std::string_view target, std::string_view data) override;
    void end_element() override;

private:
    enum Slot { provider, event_id, qualifiers, level, task, keywords, channel, computer, system_time, user_sid,
                xml_record_id, slot_count };
    struct DataRef {
        size_t name_pos, name_len, value_pos, value_len;
        bool named, in_text;
    };

    void close_element();
    void set(Slot slot, std::string_view value);
    void add_data(std::string_view name, std::string_view value, bool named, bool in_text);
    bool in_event(size_t depth, std::string_view section) const;

    uint64_t offset_ = 0, record_id_ = 0, written_ = 0;
    std::array<std::string, slot_count> system_;
    std::array<bool, slot_count> has_{};
    std::vector<std::string_view> path_;
    std::vector<uint8_t> had_child_;
    std::string text_;
    std::string raw_;
    std::string data_name_;
    bool data_named_ = false;
    int data_index_ = 0;
    std::string data_buf_;
    std::vector<DataRef> data_;
    std::string scratch_;
};

}  // namespace extriage::evtx
