// BinXML decoding for one EVTX chunk: turns a record's token stream into SAX-like calls on an
// XmlHandler. Template definitions are compiled once per chunk into a list of ops and then
// instantiated with each record's substitution values; nested BinXML values are decoded
// recursively. What the XML means (System fields, EventData) is left to the handler.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace extriage::evtx {

class XmlHandler {
public:
    virtual ~XmlHandler() = default;
    virtual void start_element(std::string_view name) = 0;
    virtual void attribute(std::string_view name, std::string_view value) = 0;
    // The start tag is complete; `empty`: the element has no content and ends here.
    virtual void end_start_tag(bool empty) = 0;
    virtual void text(std::string_view utf8) = 0;   // character data, not escaped
    virtual void cdata(std::string_view utf8) = 0;
    virtual void pi(std::string_view target, std::string_view data) = 0;
    virtual void end_element() = 0;
};

struct BinXmlError {
    uint32_t offset = 0;   // chunk offset of the offending token or value
    std::string message;
};

// Limits that keep corrupt or hostile data from exhausting time or memory.
struct BinXmlLimits {
    int max_nesting = 12;                   // template instances + nested BinXML values
    size_t max_element_depth = 256;
    uint64_t max_ops_per_record = 1u << 20;
    uint64_t max_output_per_record = 4u << 20;   // bytes of text handed to the handler
};

class BinXmlDecoder {
public:
    BinXmlDecoder();
    ~BinXmlDecoder();
    BinXmlDecoder(const BinXmlDecoder&) = delete;
    BinXmlDecoder& operator=(const BinXmlDecoder&) = delete;

    // Starts a new chunk; drops the name and template caches of the previous one.
    void reset(const uint8_t* chunk, uint32_t size);
    // Decodes the BinXML at chunk offsets [begin, end). False on error (see error()); the
    // handler may then have seen a partial document.
    bool decode(uint32_t begin, uint32_t end, XmlHandler& handler);
    const BinXmlError& error() const { return error_; }
    void set_limits(const BinXmlLimits& limits) { limits_ = limits; }
    uint64_t ops_used() const { return ops_run_; }   // BinXML operations of the last decode()

    struct Op;
    struct Template;
    struct Value {
        uint8_t type = 0;
        uint32_t offset = 0;
        uint32_t size = 0;
    };

private:
    enum class Mode { template_body, record, nested };
    struct OpenElement;

    bool fail(uint32_t offset, std::string message);
    bool compile(uint32_t& pos, uint32_t end, Mode mode, std::vector<Op>& ops, int depth);
    bool read_element_header(uint32_t& pos, uint32_t end, Mode mode, bool has_attrs, std::string_view& name);
    bool read_name(uint32_t name_offset, uint32_t& pos, uint32_t end, std::string_view& name);
    bool read_counted_string(uint32_t& pos, uint32_t end, std::string_view& text);
    bool read_instance(uint32_t& pos, uint32_t end, Op& op, int depth);
    const Template* get_template(uint32_t offset, uint32_t declared_end);
    std::string_view store(std::string_view s);

    // Values are passed as a range of values_ (by index: nested decoding may grow values_).
    bool run(const std::vector<Op>& ops, uint32_t values_begin, uint32_t count, int depth);
    bool run_substitution(const Op& op, uint32_t values_begin, uint32_t count, int depth);
    bool deliver_text(std::string_view s, uint32_t offset);
    void flush_attribute();
    void emit_start(OpenElement& e, bool empty);
    bool charge(uint64_t bytes, uint32_t offset);

    const uint8_t* data_ = nullptr;
    uint32_t size_ = 0;
    BinXmlLimits limits_;
    BinXmlError error_;
    bool failed_ = false;

    // Per chunk.
    std::deque<std::string> arena_;   // stable storage for decoded names and static text
    size_t arena_used_ = 0;
    std::unordered_map<uint32_t, std::string_view> names_;
    std::unordered_map<uint32_t, std::unique_ptr<Template>> templates_;

    // Per record.
    XmlHandler* handler_ = nullptr;
    std::vector<Value> values_;
    std::vector<std::vector<Op>> scratch_ops_;   // one per nesting level
    std::vector<OpenElement> open_;
    std::string attr_text_;                      // values of the open elements' attributes
    struct AttrRef {
        std::string_view name;
        size_t begin, end;
    };
    std::vector<AttrRef> attrs_;
    bool in_attribute_ = false;
    int attr_parts_ = 0, attr_null_parts_ = 0;
    std::string scratch_;
    std::vector<size_t> item_ends_;
    uint64_t ops_run_ = 0, output_bytes_ = 0;
};

}  // namespace extriage::evtx
