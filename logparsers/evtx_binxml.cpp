// BinXML tokenizer ("compile") and template instantiation ("run").
// compile() checks the token grammar and bounds and produces ops; run() walks ops, fills in
// substitution values and calls the handler. Both count their work against BinXmlLimits, so a
// corrupt chunk cannot make a record expand without bound. All offsets are chunk offsets.
#include "evtx_binxml.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "decode.hpp"
#include "evtx_bytes.hpp"
#include "evtx_text.hpp"
#include "evtx_values.hpp"

namespace extriage::evtx {

struct BinXmlDecoder::Op {
    enum class Kind : uint8_t { open, attr, close_start, close_empty, end, text, subst, cdata, pi, instance };
    Kind kind = Kind::text;
    bool optional = false;
    uint16_t index = 0;
    uint32_t offset = 0;
    std::string_view a, b;   // name / text / PI target, PI data
    const Template* tmpl = nullptr;
    uint32_t values_begin = 0, values_count = 0;
};

struct BinXmlDecoder::Template {
    std::vector<Op> ops;
    bool ok = true;
    BinXmlError error;
};

struct BinXmlDecoder::OpenElement {
    std::string_view name;
    size_t attrs_begin = 0;
    size_t attr_text_begin = 0;
    bool emitted = false;
    int content = 0;     // content items delivered (text, children, values)
    int null_opt = 0;    // optional substitutions that were NULL
};

namespace {

constexpr uint32_t kRecordsStart = 512;   // chunk offset where names, templates and records live

namespace tok {
constexpr uint8_t eof = 0x00, open = 0x01, close_start = 0x02, close_empty = 0x03, end = 0x04, value = 0x05,
                  attr = 0x06, cdata = 0x07, charref = 0x08, entity = 0x09, pi_target = 0x0a, pi_data = 0x0b,
                  instance = 0x0c, subst = 0x0d, opt_subst = 0x0e, fragment = 0x0f, more = 0x40;
}

std::string_view resolve_entity(std::string_view name) {
    if (name == "amp") return "&";
    if (name == "lt") return "<";
    if (name == "gt") return ">";
    if (name == "quot") return "\"";
    if (name == "apos") return "'";
    return {};
}

}  // namespace

BinXmlDecoder::BinXmlDecoder() { scratch_ops_.resize(static_cast<size_t>(limits_.max_nesting) + 2); }
BinXmlDecoder::~BinXmlDecoder() = default;

void BinXmlDecoder::reset(const uint8_t* chunk, uint32_t size) {
    data_ = chunk;
    size_ = size;
    names_.clear();
    templates_.clear();
    arena_used_ = 0;
    if (scratch_ops_.size() < static_cast<size_t>(limits_.max_nesting) + 2)
        scratch_ops_.resize(static_cast<size_t>(limits_.max_nesting) + 2);
}

bool BinXmlDecoder::fail(uint32_t offset, std::string message) {
    if (!failed_) {
        failed_ = true;
        error_.offset = offset;
        error_.message = std::move(message);
    }
    return false;
}

bool BinXmlDecoder::charge(uint64_t bytes, uint32_t offset) {
    output_bytes_ += bytes;
    if (output_bytes_ > limits_.max_output_per_record)
        return fail(offset, fmt::format("record expands to more than {} bytes", limits_.max_output_per_record));
    return true;
}

std::string_view BinXmlDecoder::store(std::string_view s) {
    if (s.empty()) return {};
    if (arena_used_ == 0 || arena_[arena_used_ - 1].capacity() - arena_[arena_used_ - 1].size() < s.size()) {
        if (arena_used_ == arena_.size()) arena_.emplace_back();
        std::string& block = arena_[arena_used_++];
        block.clear();
        block.reserve(std::max<size_t>(s.size(), 64 * 1024));
    }
    std::string& block = arena_[arena_used_ - 1];
    const size_t at = block.size();
    block.append(s);   // within capacity: earlier views stay valid
    return {block.data() + at, s.size()};
}

bool BinXmlDecoder::read_name(uint32_t name_offset, uint32_t& pos, uint32_t end, std::string_view& name) {
    const bool here = name_offset == pos;
    if (!in_range(name_offset, 8, size_))
        return fail(pos - 4, fmt::format("name offset {} is outside the chunk", name_offset));
    const uint32_t units = load_u16(data_ + name_offset + 6);
    const uint64_t bytes = 8 + 2 * uint64_t{units} + 2;
    if (!in_range(name_offset, bytes, size_))
        return fail(pos - 4, fmt::format("name at offset {} runs past the chunk", name_offset));
    if (here) {
        if (!in_range(pos, bytes, end)) return fail(pos, "name runs past the end of its BinXML");
        pos += static_cast<uint32_t>(bytes);
    }
    if (auto it = names_.find(name_offset); it != names_.end()) {
        name = it->second;
        return true;
    }
    scratch_.clear();
    append_utf16le(scratch_, data_ + name_offset + 8, units);
    if (!charge(scratch_.size(), name_offset)) return false;
    name = store(scratch_);
    names_.emplace(name_offset, name);
    return true;
}

bool BinXmlDecoder::read_counted_string(uint32_t& pos, uint32_t end, std::string_view& text) {
    if (!in_range(pos, 2, end)) return fail(pos, "truncated string length");
    const uint32_t units = load_u16(data_ + pos);
    if (!in_range(pos + 2, 2 * uint64_t{units}, end)) return fail(pos, "string runs past the end of its BinXML");
    scratch_.clear();
    append_utf16le(scratch_, data_ + pos + 2, units);
    pos += 2 + 2 * units;
    if (!charge(scratch_.size(), pos)) return false;
    text = store(scratch_);
    return true;
}

// Open start element: token, [dependency id (2)], data size (4), name offset (4), [name], [attribute list size (4)].
// Windows omits the dependency id in some nested BinXML; the name offset tells which layout this is.
bool BinXmlDecoder::read_element_header(uint32_t& pos, uint32_t end, Mode, bool has_attrs, std::string_view& name) {
    const uint32_t start = pos;
    auto plausible = [&](bool deps) {
        const uint32_t field = start + (deps ? 7u : 5u);
        if (!in_range(field, 4, end)) return false;
        const uint32_t name_offset = load_u32(data_ + field);
        return name_offset == field + 4 ||
               (name_offset >= kRecordsStart && name_offset < start && in_range(name_offset, 8, size_));
    };
    bool deps = true;
    if (!plausible(deps)) {
        if (!plausible(false)) {
            if (!in_range(start, 11, end)) return fail(start, "truncated element header");
            return fail(start, fmt::format("element name offset {} is not valid", load_u32(data_ + start + 7)));
        }
        deps = false;
    }
    pos = start + (deps ? 7u : 5u);
    const uint32_t name_offset = load_u32(data_ + pos);
    pos += 4;
    if (!read_name(name_offset, pos, end, name)) return false;
    if (has_attrs) {
        if (!in_range(pos, 4, end)) return fail(pos, "truncated attribute list size");
        pos += 4;
    }
    return true;
}

const BinXmlDecoder::Template* BinXmlDecoder::get_template(uint32_t offset, uint32_t declared_end) {
    auto it = templates_.find(offset);
    if (it != templates_.end()) return it->second.get();
    auto t = std::make_unique<Template>();
    const uint32_t size = load_u32(data_ + offset + 20);
    const uint32_t body = offset + 24;
    const bool saved_failed = failed_;
    const BinXmlError saved_error = error_;
    failed_ = false;
    if (!in_range(body, size, size_) || (declared_end && body + size > declared_end)) {
        fail(offset, fmt::format("template definition at offset {} has size {} past the chunk end", offset, size));
    } else {
        uint32_t pos = body;
        compile(pos, body + size, Mode::template_body, t->ops, 0);
    }
    if (failed_) {
        t->ok = false;
        t->error = error_;
    }
    failed_ = saved_failed;
    error_ = saved_error;
    const Template* raw = t.get();
    templates_.emplace(offset, std::move(t));
    return raw;
}

// Template instance: token, unknown (1), template id (4), definition offset (4),
// [inline definition: next (4), GUID (16), size (4), body], value count (4), descriptors, values.
bool BinXmlDecoder::read_instance(uint32_t& pos, uint32_t end, Op& op, int depth) {
    const uint32_t at = pos;
    if (!in_range(pos, 10, end)) return fail(at, "truncated template instance");
    const uint32_t def = load_u32(data_ + pos + 6);
    pos += 10;
    uint32_t declared_end = 0;
    if (def == pos) {
        if (!in_range(pos, 24, end)) return fail(pos, "truncated template definition header");
        const uint32_t size = load_u32(data_ + pos + 20);
        if (!in_range(pos + 24, size, end))
            return fail(pos, fmt::format("template definition size {} runs past the record", size));
        pos += 24 + size;
        declared_end = pos;
    } else if (def < kRecordsStart || !in_range(def, 24, size_)) {
        return fail(at, fmt::format("template definition offset {} is outside the chunk", def));
    }
    const Template* t = get_template(def, declared_end);
    if (!t->ok) return fail(t->error.offset, "in template: " + t->error.message);
    if (depth > limits_.max_nesting) return fail(at, "templates nested too deeply");

    if (!in_range(pos, 4, end)) return fail(pos, "truncated substitution value count");
    const uint32_t count = load_u32(data_ + pos);
    pos += 4;
    if (count > (end - pos) / 4)
        return fail(pos - 4, fmt::format("{} substitution value descriptors do not fit in the record", count));
    const uint32_t desc = pos;
    pos += 4 * count;
    op.kind = Op::Kind::instance;
    op.offset = at;
    op.tmpl = t;
    op.values_begin = static_cast<uint32_t>(values_.size());
    op.values_count = count;
    for (uint32_t i = 0; i < count; ++i) {
        const uint32_t size = load_u16(data_ + desc + 4 * i);
        const uint8_t type = data_[desc + 4 * i + 2];
        if (!in_range(pos, size, end))
            return fail(desc + 4 * i,
                        fmt::format("substitution value {} ({} bytes) runs past the end of its BinXML", i, size));
        values_.push_back({type, pos, size});
        pos += size;
    }
    return true;
}

bool BinXmlDecoder::compile(uint32_t& pos, uint32_t end, Mode mode, std::vector<Op>& ops, int depth) {
    if (depth > limits_.max_nesting) return fail(pos, "BinXML nested too deeply");
    size_t open = 0;
    bool in_start = false, attr_open = false;
    auto value_context = [&] { return in_start ? attr_open : open > 0; };
    while (pos < end) {
        if (++ops_run_ > limits_.max_ops_per_record) return fail(pos, "too many BinXML tokens in one record");
        const uint32_t at = pos;
        const uint8_t raw = data_[pos];
        uint8_t t = raw;
        if (raw & tok::more) {
            t = raw & static_cast<uint8_t>(~tok::more);
            if (t != tok::open && t != tok::value && t != tok::attr && t != tok::cdata && t != tok::charref &&
                t != tok::entity)
                return fail(at, fmt::format("unknown BinXML token 0x{:02x}", raw));
        }
        Op op;
        op.offset = at;
        switch (t) {
        case tok::eof:
            ++pos;
            if (open || in_start) return fail(at, "end of BinXML stream inside an element");
            return true;
        case tok::fragment:
            if (open || in_start) return fail(at, "fragment header inside an element");
            if (!in_range(pos, 4, end)) return fail(at, "truncated fragment header");
            pos += 4;
            continue;
        case tok::open: {
            if (in_start) return fail(at, "element start inside a start tag");
            if (open >= limits_.max_element_depth) return fail(at, "elements nested too deeply");
            std::string_view name;
            if (!read_element_header(pos, end, mode, raw & tok::more, name)) return false;
            op.kind = Op::Kind::open;
            op.a = name;
            ++open;
            in_start = true;
            attr_open = false;
            break;
        }
        case tok::close_start:
        case tok::close_empty:
            if (!in_start) return fail(at, fmt::format("unexpected close start tag token 0x{:02x}", raw));
            ++pos;
            in_start = false;
            if (t == tok::close_empty) --open;
            op.kind = t == tok::close_empty ? Op::Kind::close_empty : Op::Kind::close_start;
            break;
        case tok::end:
            if (in_start || open == 0) return fail(at, "unexpected end element token");
            ++pos;
            --open;
            op.kind = Op::Kind::end;
            break;
        case tok::value: {
            if (!value_context()) return fail(at, "value token outside an element or attribute");
            if (!in_range(pos, 2, end)) return fail(at, "truncated value token");
            const uint8_t type = data_[pos + 1];
            if (type != value_type::string)
                return fail(at, fmt::format("value token of unsupported type 0x{:02x}", type));
            pos += 2;
            if (!read_counted_string(pos, end, op.a)) return false;
            op.kind = Op::Kind::text;
            break;
        }
        case tok::attr: {
            if (!in_start) return fail(at, "attribute outside a start tag");
            ++pos;
            if (!in_range(pos, 4, end)) return fail(at, "truncated attribute");
            const uint32_t name_offset = load_u32(data_ + pos);
            pos += 4;
            if (!read_name(name_offset, pos, end, op.a)) return false;
            op.kind = Op::Kind::attr;
            attr_open = true;
            break;
        }
        case tok::cdata:
            if (in_start || open == 0) return fail(at, "CDATA section outside element content");
            ++pos;
            if (!read_counted_string(pos, end, op.a)) return false;
            op.kind = Op::Kind::cdata;
            break;
        case tok::charref: {
            if (!value_context()) return fail(at, "character reference outside an element or attribute");
            if (!in_range(pos, 3, end)) return fail(at, "truncated character reference");
            uint32_t code = load_u16(data_ + pos + 1);
            pos += 3;
            if (code >= 0xd800 && code < 0xe000) code = 0xfffd;
            scratch_.clear();
            extriage::append_utf8(scratch_, code);
            op.a = store(scratch_);
            op.kind = Op::Kind::text;
            break;
        }
        case tok::entity: {
            if (!value_context()) return fail(at, "entity reference outside an element or attribute");
            ++pos;
            if (!in_range(pos, 4, end)) return fail(at, "truncated entity reference");
            const uint32_t name_offset = load_u32(data_ + pos);
            pos += 4;
            std::string_view name;
            if (!read_name(name_offset, pos, end, name)) return false;
            op.a = resolve_entity(name);
            if (op.a.empty()) {
                // Unknown entity: keep it literally (built in scratch_: GCC 12 warns falsely on "&" + string).
                scratch_.assign(1, '&');
                scratch_ += name;
                scratch_ += ';';
                op.a = store(scratch_);
            }
            op.kind = Op::Kind::text;
            break;
        }
        case tok::pi_target: {
            if (in_start) return fail(at, "processing instruction inside a start tag");
            ++pos;
            if (!in_range(pos, 4, end)) return fail(at, "truncated processing instruction");
            const uint32_t name_offset = load_u32(data_ + pos);
            pos += 4;
            if (!read_name(name_offset, pos, end, op.a)) return false;
            if (pos >= end || data_[pos] != tok::pi_data)
                return fail(pos, "processing instruction target without data");
            ++pos;
            if (!read_counted_string(pos, end, op.b)) return false;
            op.kind = Op::Kind::pi;
            break;
        }
        case tok::instance:
            if (mode == Mode::template_body) return fail(at, "template instance inside a template definition");
            if (open || in_start) return fail(at, "template instance inside an element");
            if (!read_instance(pos, end, op, depth + 1)) return false;
            break;
        case tok::subst:
        case tok::opt_subst:
            if (mode != Mode::template_body) return fail(at, "substitution outside a template definition");
            if (!value_context()) return fail(at, "substitution outside an element or attribute");
            if (!in_range(pos, 4, end)) return fail(at, "truncated substitution");
            op.kind = Op::Kind::subst;
            op.optional = t == tok::opt_subst;
            op.index = load_u16(data_ + pos + 1);
            pos += 4;
            break;
        default:
            return fail(at, fmt::format("unknown BinXML token 0x{:02x}", raw));
        }
        ops.push_back(op);
    }
    if (open || in_start) return fail(pos, "BinXML ends inside an element");
    return true;
}

bool BinXmlDecoder::decode(uint32_t begin, uint32_t end, XmlHandler& handler) {
    failed_ = false;
    error_ = {};
    handler_ = &handler;
    values_.clear();
    open_.clear();
    attrs_.clear();
    attr_text_.clear();
    in_attribute_ = false;
    ops_run_ = 0;
    output_bytes_ = 0;
    if (end > size_ || begin > end) return fail(begin, "record BinXML outside the chunk");
    std::vector<Op>& ops = scratch_ops_[0];
    ops.clear();
    uint32_t pos = begin;
    if (!compile(pos, end, Mode::record, ops, 0)) return false;
    if (!run(ops, 0, 0, 0)) return false;
    if (!open_.empty()) return fail(end, "BinXML ends inside an element");
    return true;
}

void BinXmlDecoder::emit_start(OpenElement& e, bool empty) {
    handler_->start_element(e.name);
    for (size_t i = e.attrs_begin; i < attrs_.size(); ++i)
        handler_->attribute(attrs_[i].name,
                            std::string_view(attr_text_).substr(attrs_[i].begin, attrs_[i].end - attrs_[i].begin));
    handler_->end_start_tag(empty);
    e.emitted = true;
}

void BinXmlDecoder::flush_attribute() {
    if (!in_attribute_) return;
    in_attribute_ = false;
    AttrRef& a = attrs_.back();
    a.end = attr_text_.size();
    // An attribute made only of optional substitutions that are NULL is left out.
    if (attr_parts_ > 0 && attr_parts_ == attr_null_parts_) {
        attr_text_.resize(a.begin);
        attrs_.pop_back();
    }
}

bool BinXmlDecoder::deliver_text(std::string_view s, uint32_t offset) {
    OpenElement& e = open_.back();
    if (!e.emitted) emit_start(e, false);
    ++e.content;
    if (!charge(s.size(), offset)) return false;
    if (!s.empty()) handler_->text(s);
    return true;
}

bool BinXmlDecoder::run_substitution(const Op& op, uint32_t values_begin, uint32_t count, int depth) {
    if (op.index >= count)
        return fail(op.offset, fmt::format("substitution index {} out of range ({} values)", op.index, count));
    const Value v = values_[values_begin + op.index];
    const uint8_t* p = data_ + v.offset;
    if (in_attribute_) {
        ++attr_parts_;
        if (v.type == value_type::null) {
            attr_null_parts_ += op.optional;
            return true;
        }
        if (v.type == value_type::binxml) return fail(v.offset, "nested BinXML value inside an attribute");
        const size_t before = attr_text_.size();
        if (v.type & value_type::array) {
            item_ends_.clear();
            scratch_.clear();
            if (!render_array(v.type & 0x7f, p, v.size, scratch_, item_ends_))
                return fail(v.offset, fmt::format("malformed {} array value ({} bytes)", value_type_name(v.type),
                                                  v.size));
            size_t from = 0;
            for (size_t i = 0; i < item_ends_.size(); ++i) {
                if (i) attr_text_ += ' ';
                attr_text_.append(scratch_, from, item_ends_[i] - from);
                from = item_ends_[i];
            }
        } else if (!render_scalar(v.type, p, v.size, attr_text_)) {
            return fail(v.offset, fmt::format("malformed {} value ({} bytes)", value_type_name(v.type), v.size));
        }
        return charge(attr_text_.size() - before, v.offset);
    }
    const size_t top = open_.size() - 1;
    if (v.type == value_type::null) {
        if (op.optional)
            ++open_[top].null_opt;
        else
            return deliver_text({}, v.offset);
        return true;
    }
    if (v.type == value_type::binxml) {
        if (!open_[top].emitted) emit_start(open_[top], false);
        ++open_[top].content;
        const size_t level = static_cast<size_t>(depth) + 1;
        if (level >= scratch_ops_.size()) return fail(v.offset, "BinXML nested too deeply");
        std::vector<Op>& ops = scratch_ops_[level];
        ops.clear();
        uint32_t pos = v.offset;
        if (!compile(pos, v.offset + v.size, Mode::nested, ops, depth + 1)) return false;
        if (!run(ops, 0, 0, depth + 1)) return false;
        if (open_.size() != top + 1) return fail(v.offset, "nested BinXML leaves elements open");
        return true;
    }
    if (v.type & value_type::array) {
        // Windows renders an array by repeating the element once per item.
        item_ends_.clear();
        scratch_.clear();
        if (!render_array(v.type & 0x7f, p, v.size, scratch_, item_ends_))
            return fail(v.offset, fmt::format("malformed {} array value ({} bytes)", value_type_name(v.type), v.size));
        if (item_ends_.empty()) {
            ++open_[top].null_opt;
            return true;
        }
        const std::string items = scratch_;
        const std::vector<size_t> ends = item_ends_;
        size_t from = 0;
        for (size_t i = 0; i < ends.size(); ++i) {
            if (i) {
                handler_->end_element();
                emit_start(open_[top], false);
            }
            if (!deliver_text(std::string_view(items).substr(from, ends[i] - from), v.offset)) return false;
            from = ends[i];
        }
        return true;
    }
    scratch_.clear();
    if (!render_scalar(v.type, p, v.size, scratch_))
        return fail(v.offset, fmt::format("malformed {} value ({} bytes)", value_type_name(v.type), v.size));
    return deliver_text(scratch_, v.offset);
}

bool BinXmlDecoder::run(const std::vector<Op>& ops, uint32_t values_begin, uint32_t count, int depth) {
    if (depth > limits_.max_nesting) return fail(ops.empty() ? 0 : ops.front().offset, "BinXML nested too deeply");
    for (const Op& op : ops) {
        if (++ops_run_ > limits_.max_ops_per_record) return fail(op.offset, "record expands to too many BinXML tokens");
        switch (op.kind) {
        case Op::Kind::open:
            if (!open_.empty()) {
                OpenElement& parent = open_.back();
                if (!parent.emitted) emit_start(parent, false);
                ++parent.content;
            }
            if (open_.size() >= limits_.max_element_depth) return fail(op.offset, "elements nested too deeply");
            open_.push_back({op.a, attrs_.size(), attr_text_.size()});
            if (!charge(op.a.size() + 3, op.offset)) return false;
            break;
        case Op::Kind::attr:
            flush_attribute();
            in_attribute_ = true;
            attr_parts_ = attr_null_parts_ = 0;
            attrs_.push_back({op.a, attr_text_.size(), attr_text_.size()});
            break;
        case Op::Kind::close_start:
            flush_attribute();
            break;
        case Op::Kind::close_empty:
        case Op::Kind::end: {
            flush_attribute();
            if (open_.empty()) return fail(op.offset, "end element without an open element");
            OpenElement& e = open_.back();
            if (op.kind == Op::Kind::close_empty) {
                emit_start(e, true);
            } else if (e.emitted) {
                handler_->end_element();
            } else if (e.content > 0 || e.null_opt == 0) {
                emit_start(e, true);
            }
            // else: the element held only NULL optional substitutions and is left out.
            attrs_.resize(e.attrs_begin);
            attr_text_.resize(e.attr_text_begin);
            open_.pop_back();
            break;
        }
        case Op::Kind::text:
            if (in_attribute_) {
                ++attr_parts_;
                attr_text_ += op.a;
                if (!charge(op.a.size(), op.offset)) return false;
            } else if (!deliver_text(op.a, op.offset)) {
                return false;
            }
            break;
        case Op::Kind::cdata: {
            OpenElement& e = open_.back();
            if (!e.emitted) emit_start(e, false);
            ++e.content;
            if (!charge(op.a.size(), op.offset)) return false;
            handler_->cdata(op.a);
            break;
        }
        case Op::Kind::pi:
            if (!open_.empty()) {
                OpenElement& e = open_.back();
                if (!e.emitted) emit_start(e, false);
                ++e.content;
            }
            if (!charge(op.a.size() + op.b.size(), op.offset)) return false;
            handler_->pi(op.a, op.b);
            break;
        case Op::Kind::subst:
            if (!run_substitution(op, values_begin, count, depth)) return false;
            break;
        case Op::Kind::instance:
            if (!run(op.tmpl->ops, op.values_begin, op.values_count, depth + 1)) return false;
            break;
        }
    }
    return true;
}

}  // namespace extriage::evtx
