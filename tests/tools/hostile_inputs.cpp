// Hostile input generators (see hostile_inputs.hpp).
#include "hostile_inputs.hpp"

#include <stdexcept>
#include <string_view>
#ifdef _WIN32
#include <filesystem>
#include <fstream>
#else
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

#include "evtx_writer.hpp"

namespace extriage::hostile {

namespace {

constexpr std::string_view kPsHeader =
    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n"
    "<Objs Version=\"1.1.0.1\" xmlns=\"http://schemas.microsoft.com/powershell/2004/04\">\r\n";
constexpr std::string_view kEventNs = "http://schemas.microsoft.com/win/2004/08/events/event";

// One Get-EventLog entry; `extra` goes into its Props.
std::string clixml_event(int ref, const std::string& source, const std::string& message, const std::string& extra) {
    std::string s = "  <Obj RefId=\"" + std::to_string(ref) + "\">";
    s += "<TN RefId=\"" + std::to_string(ref) + "\"><T>System.Diagnostics.EventLogEntry#Application/" + source +
         "/1000</T></TN>";
    s += "<Props><S N=\"Source\">" + source + "</S><I64 N=\"InstanceId\">1000</I64>";
    s += "<Obj N=\"EntryType\" RefId=\"" + std::to_string(ref) + "00\"><ToString>Error</ToString><I32>1</I32></Obj>";
    s += "<DT N=\"TimeGenerated\">2024-05-11T14:12:40.1181234+02:00</DT><S N=\"Message\">" + message + "</S>";
    s += extra + "</Props></Obj>\r\n";
    return s;
}

std::string event_xml(const std::string& computer, const std::string& data, const std::string& user_data) {
    std::string s = "<Event xmlns='" + std::string(kEventNs) + "'><System><Provider Name='MsiInstaller'/>";
    s += "<EventID Qualifiers='0'>1023</EventID><Level>2</Level><Task>0</Task>";
    s += "<TimeCreated SystemTime='2024-05-11T14:09:12.4412871Z'/><EventRecordID>48213</EventRecordID>";
    s += "<Channel>Application</Channel><Computer>" + computer + "</Computer></System>";
    if (!user_data.empty()) s += "<UserData>" + user_data + "</UserData>";
    s += "<EventData><Data>" + data + "</Data></EventData></Event>\r\n";
    return s;
}

void put_le(std::string& out, uint64_t v, int bytes) {
    for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

void patch_le(std::string& out, size_t at, uint64_t v, int bytes) {
    for (int i = 0; i < bytes; ++i) out[at + static_cast<size_t>(i)] = static_cast<char>((v >> (8 * i)) & 0xFF);
}

// Writes bits least significant first, as deflate packs them.
class BitWriter {
public:
    void bits(uint32_t value, int count) {   // value's low `count` bits, LSB first
        for (int i = 0; i < count; ++i) bit((value >> i) & 1);
    }
    void code(uint32_t code, int length) {   // a Huffman code, most significant bit first
        for (int i = length - 1; i >= 0; --i) bit((code >> i) & 1);
    }
    std::string finish() {
        if (used_) out_.push_back(static_cast<char>(acc_));
        return std::move(out_);
    }

private:
    void bit(uint32_t b) {
        acc_ |= b << used_;
        if (++used_ == 8) {
            out_.push_back(static_cast<char>(acc_));
            acc_ = 0;
            used_ = 0;
        }
    }
    std::string out_;
    uint32_t acc_ = 0;
    int used_ = 0;
};

void local_header(std::string& out, const std::string& name, uint16_t method, uint32_t crc, uint64_t comp,
                  uint64_t uncomp) {
    put_le(out, 0x04034b50, 4);
    put_le(out, 20, 2);
    put_le(out, 0, 2);
    put_le(out, method, 2);
    put_le(out, 0, 2);
    put_le(out, 0x5821, 2);   // 2024-01-01
    put_le(out, crc, 4);
    put_le(out, comp, 4);
    put_le(out, uncomp, 4);
    put_le(out, name.size(), 2);
    put_le(out, 0, 2);
    out += name;
}

struct CentralEntry {
    std::string name;
    uint16_t method = 0;
    uint32_t crc = 0;
    uint64_t comp = 0, uncomp = 0, offset = 0;
};

void central_directory(std::string& out, const std::vector<CentralEntry>& entries) {
    const uint64_t cd_offset = out.size();
    for (const auto& e : entries) {
        put_le(out, 0x02014b50, 4);
        put_le(out, 20, 2);
        put_le(out, 20, 2);
        put_le(out, 0, 2);
        put_le(out, e.method, 2);
        put_le(out, 0, 2);
        put_le(out, 0x5821, 2);
        put_le(out, e.crc, 4);
        put_le(out, e.comp, 4);
        put_le(out, e.uncomp, 4);
        put_le(out, e.name.size(), 2);
        put_le(out, 0, 2);
        put_le(out, 0, 2);
        put_le(out, 0, 2);
        put_le(out, 0, 2);
        put_le(out, 0, 4);
        put_le(out, e.offset, 4);
        out += e.name;
    }
    const uint64_t cd_size = out.size() - cd_offset;
    put_le(out, 0x06054b50, 4);
    put_le(out, 0, 2);
    put_le(out, 0, 2);
    put_le(out, entries.size(), 2);
    put_le(out, entries.size(), 2);
    put_le(out, cd_size, 4);
    put_le(out, cd_offset, 4);
    put_le(out, 0, 2);
}

std::string evtx_file_header(uint16_t chunks) {
    std::string h(4096, '\0');
    h.replace(0, 8, std::string("ElfFile\0", 8));
    patch_le(h, 16, chunks ? chunks - 1u : 0u, 8);
    patch_le(h, 24, 1, 8);
    patch_le(h, 32, 128, 4);
    patch_le(h, 36, 1, 2);
    patch_le(h, 38, 3, 2);
    patch_le(h, 40, 4096, 2);
    patch_le(h, 42, chunks, 2);
    patch_le(h, 124, evtxw::crc32(h.data(), 120), 4);
    return h;
}

}  // namespace

// --- Depth ---

std::string clixml_deep(int depth) {
    std::string nested;
    nested.reserve(static_cast<size_t>(depth) * 40);
    for (int i = 0; i < depth; ++i) nested += "<Obj N=\"Inner\"><Props>";
    for (int i = 0; i < depth; ++i) nested += "</Props></Obj>";
    std::string s(kPsHeader);
    s += clixml_event(1, "DeepSource", "nested object", nested);
    s += clixml_event(2, "MSExchange Common", "a plain event after the deep one", "");
    s += "</Objs>\r\n";
    return s;
}

std::string event_xml_deep_user_data(int depth) {
    std::string user;
    user.reserve(static_cast<size_t>(depth) * 8);
    for (int i = 0; i < depth; ++i) user += "<a>";
    user += "leaf";
    for (int i = 0; i < depth; ++i) user += "</a>";
    return event_xml("EX01.contoso.com", "deep user data", user) + event_xml("EX01.contoso.com", "plain event", "");
}

#ifdef _WIN32
// Windows has no *at() calls; the tests ask for a depth whose path still fits the file system.
void make_deep_folder(const std::string& root, int depth) {
    std::filesystem::path p = std::filesystem::u8path(root);
    for (int i = 0; i < depth; ++i) p /= "d";
    std::filesystem::create_directories(p);
    std::ofstream(p / "ExchangeSetup.log", std::ios::binary) << setup_log_runs(1);
}

void remove_deep_folder(const std::string& root) {
    std::error_code ec;
    std::filesystem::remove_all(std::filesystem::u8path(root), ec);
}
#else
void make_deep_folder(const std::string& root, int depth) {
    ::mkdir(root.c_str(), 0755);
    int fd = ::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) throw std::runtime_error("cannot open " + root);
    for (int i = 0; i < depth; ++i) {
        ::mkdirat(fd, "d", 0755);
        int next = ::openat(fd, "d", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        ::close(fd);
        if (next < 0) throw std::runtime_error("cannot create level " + std::to_string(i));
        fd = next;
    }
    int file = ::openat(fd, "ExchangeSetup.log", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (file >= 0) {
        const std::string text = setup_log_runs(1);
        (void)!::write(file, text.data(), text.size());
        ::close(file);
    }
    ::close(fd);
}

void remove_deep_folder(const std::string& root) {
    // One level at a time from the top, by moving root/d/d up to root/d: a constant number of
    // system calls per level and no path longer than two components.
    int top = ::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (top < 0) return;
    for (;;) {
        int level = ::openat(top, "d", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (level < 0) break;
        ::unlinkat(level, "ExchangeSetup.log", 0);
        const bool deeper = ::renameat(level, "d", top, "d.next") == 0;
        ::close(level);
        ::unlinkat(top, "d", AT_REMOVEDIR);
        if (!deeper || ::renameat(top, "d.next", top, "d") != 0) break;
    }
    ::unlinkat(top, "ExchangeSetup.log", 0);
    ::close(top);
    ::rmdir(root.c_str());
}
#endif

// --- Amplification ---

std::string clixml_ref_amplification(size_t big_bytes, int refs, int objects) {
    std::string s(kPsHeader);
    s += clixml_event(1, "BigSource", "the big object",
                      "<Obj N=\"Big\" RefId=\"77\"><ToString>" + std::string(big_bytes, 'x') +
                          "</ToString><LST><S>item</S></LST></Obj>");
    for (int o = 0; o < objects; ++o) {
        std::string extra = "<Obj N=\"ReplacementStrings\" RefId=\"" + std::to_string(1000 + o) + "\"><LST>";
        for (int r = 0; r < refs; ++r) extra += "<Ref RefId=\"77\" />";
        extra += "</LST></Obj>";
        for (int r = 0; r < refs; ++r) extra += "<Ref N=\"Copy" + std::to_string(r) + "\" RefId=\"77\" />";
        s += clixml_event(2 + o, "AmplifiedSource", "refers to the big object", extra);
    }
    s += clixml_event(objects + 2, "MSExchange Common", "a plain event after the references", "");
    s += "</Objs>\r\n";
    return s;
}

std::string evtx_expanding(int chunks, int repeats, int value_chars) {
    using namespace evtxw;
    std::vector<Node> subs;
    for (int i = 0; i < repeats; ++i) subs.push_back(sub(0, vt::string));
    auto tmpl = make_template(element("Event", {}, {element("EventData", {}, {element("Data", {}, subs)})}));
    const size_t per_chunk = (kChunkSize - 512 - 16384) / (static_cast<size_t>(value_chars) * 2 + 64) + 1;
    std::vector<RecordSpec> records;
    for (size_t i = 0; i < per_chunk * static_cast<size_t>(chunks); ++i) {
        RecordSpec r;
        r.tmpl = tmpl;
        r.values = {str(std::string(static_cast<size_t>(value_chars), static_cast<char>('A' + i % 26)))};
        records.push_back(std::move(r));
    }
    return write_evtx(records);
}

std::string evtx_cpu_burner(int chunks, int fanout, int depth) {
    using namespace evtxw;
    std::vector<Node> subs;
    for (int i = 0; i < fanout; ++i) subs.push_back(sub(0, vt::binxml));
    auto tmpl = make_template(element("a", {}, subs));
    Value v = nested_plain(element("b"));
    for (int i = 0; i < depth; ++i) v = nested(tmpl, {v});
    std::vector<RecordSpec> records;
    for (int i = 0; i < chunks * 200; ++i) {
        RecordSpec r;
        r.tmpl = tmpl;
        r.values = {v};
        records.push_back(std::move(r));
    }
    return write_evtx(records);
}

// --- Floods ---

std::string evtx_diagnostic_flood(int chunks) {
    std::string out = evtx_file_header(static_cast<uint16_t>(chunks));
    for (int c = 0; c < chunks; ++c) {
        std::string chunk(evtxw::kChunkSize, '\0');
        chunk.replace(0, 8, std::string("ElfChnk\0", 8));
        patch_le(chunk, 8, 1, 8);
        patch_le(chunk, 16, 1, 8);
        patch_le(chunk, 24, 1, 8);
        patch_le(chunk, 32, 1, 8);
        patch_le(chunk, 40, 128, 4);
        patch_le(chunk, 44, 512, 4);
        patch_le(chunk, 48, evtxw::kChunkSize, 4);
        for (size_t pos = 512; pos + 8 <= chunk.size(); pos += 8) {
            chunk.replace(pos, 4, std::string("**\0\0", 4));
            patch_le(chunk, pos + 4, 16, 4);   // shorter than a record header: out of range
        }
        patch_le(chunk, 52, evtxw::crc32(chunk.data() + 512, chunk.size() - 512), 4);
        const std::string crc_input = chunk.substr(0, 120) + chunk.substr(128, 384);
        patch_le(chunk, 124, evtxw::crc32(crc_input.data(), crc_input.size()), 4);
        out += chunk;
    }
    return out;
}

std::string setup_log_runs(size_t runs) {
    static constexpr std::string_view kRun = "[11/07/2023 16:12:40.2510] [0] Starting Microsoft Exchange Server 2019 Setup\r\n";
    std::string out;
    out.reserve(kRun.size() * runs);
    for (size_t i = 0; i < runs; ++i) out += kRun;
    return out;
}

// --- Zips ---

std::string zip_archive(const std::vector<ZipEntry>& entries) {
    std::string out;
    std::vector<CentralEntry> cd;
    for (const auto& e : entries) {
        const bool deflated = !e.deflated.empty();
        const std::string& payload = deflated ? e.deflated : e.data;
        CentralEntry c{e.name, static_cast<uint16_t>(deflated ? 8 : 0),
                       deflated ? e.crc : evtxw::crc32(e.data.data(), e.data.size()), payload.size(),
                       e.declared_size ? e.declared_size : (deflated ? 0 : e.data.size()), out.size()};
        local_header(out, c.name, c.method, c.crc, c.comp, c.uncomp);
        out += payload;
        cd.push_back(std::move(c));
    }
    central_directory(out, cd);
    return out;
}

std::string deflate_repeated(char byte, size_t count) {
    BitWriter w;
    w.bits(1, 1);   // BFINAL
    w.bits(1, 2);   // BTYPE 01: fixed Huffman codes
    auto literal = [&](unsigned char c) {
        if (c < 144) w.code(0x30 + c, 8);
        else w.code(0x190 + (c - 144), 9);
    };
    if (count > 0) literal(static_cast<unsigned char>(byte));
    size_t left = count ? count - 1 : 0;
    while (left >= 258) {
        w.code(0xC5, 8);   // length code 285: 258 bytes
        w.code(0, 5);      // distance code 0: distance 1
        left -= 258;
    }
    while (left--) literal(static_cast<unsigned char>(byte));
    w.code(0, 7);   // end of block (256)
    return w.finish();
}

uint32_t crc32_repeated(char byte, size_t count) {
    const std::string data(count, byte);
    return evtxw::crc32(data.data(), data.size());
}

std::string zip_overlapping(size_t kernel_bytes, int members) {
    const std::string kernel = deflate_repeated('a', kernel_bytes);
    auto name = [](int i) { return "overlap" + std::to_string(i) + ".log"; };
    // Sizes first: member i's compressed data runs from its quote block to the end of the kernel.
    std::vector<uint64_t> comp(static_cast<size_t>(members));
    std::vector<size_t> lh_size(static_cast<size_t>(members));
    for (int i = 0; i < members; ++i) lh_size[static_cast<size_t>(i)] = 30 + name(i).size();
    uint64_t tail = kernel.size();
    for (int i = members - 1; i >= 0; --i) {
        comp[static_cast<size_t>(i)] = tail;
        if (i > 0) tail += 5 + lh_size[static_cast<size_t>(i)];   // the quote of this header, in member i-1's data
    }
    std::string out;
    std::vector<CentralEntry> cd;
    for (int i = 0; i < members; ++i) {
        const auto k = static_cast<size_t>(i);
        std::string lh;
        local_header(lh, name(i), 8, 0, comp[k], 100);
        if (i > 0) {   // a stored, non-final deflate block that holds this header as data
            out.push_back('\0');
            put_le(out, lh.size(), 2);
            put_le(out, static_cast<uint16_t>(~lh.size()), 2);
        }
        cd.push_back({name(i), 8, 0, comp[k], 100, out.size()});
        out += lh;
    }
    out += kernel;
    central_directory(out, cd);
    return out;
}

// --- Output safety ---

std::string terminal_attack_text() {
    return std::string("\x1b]52;c;ZXh0cmlhZ2UgcHduZWQ=\x07") +   // OSC 52: write the clipboard
           "\x1b[2J\x1b[H" +                                     // clear the screen, cursor home
           "all good\r" +                                        // CR: the next text overwrites this line
           "\nEX01.log:1: error: forged diagnostic [exchange-setup]\n" +
           "\xc2\x9b" "31m" +                                    // C1 CSI (U+009B)
           "\xe2\x80\xae" "gol.exe" +                            // RIGHT-TO-LEFT OVERRIDE
           "\x7f";
}

std::string setup_log_with_controls(const std::string& setup_log) {
    const std::string attack = terminal_attack_text();
    std::string out;
    size_t start = 0;
    while (start < setup_log.size()) {
        size_t end = setup_log.find('\n', start);
        if (end == std::string::npos) end = setup_log.size();
        std::string line = setup_log.substr(start, end - start);
        const bool cr = !line.empty() && line.back() == '\r';
        if (cr) line.pop_back();
        for (std::string_view host : {"EX01.contoso.com", "EX01.contoso.local"})
            for (size_t at = line.find(host); at != std::string::npos; at = line.find(host, at + 1))
                line.insert(at + 4, "\x1b]52;c;aGk=\x07");
        // An attack on one line of its own would break the log's structure; append it to errors.
        if (line.find("] [ERROR] ") != std::string::npos) {
            std::string flat = attack;
            for (char& c : flat)
                if (c == '\n' || c == '\r') c = ' ';
            line += flat;
        }
        out += line;
        if (cr) out += '\r';
        if (end < setup_log.size()) out += '\n';
        start = end + 1;
    }
    return out;
}

std::string event_xml_with_computer(const std::string& computer) {
    std::string attack;
    for (char c : terminal_attack_text()) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u == 0x7f) attack += "&#" + std::to_string(u) + ";";   // XML 1.0 cannot hold them raw
        else attack += c;
    }
    std::string s = event_xml(computer, "Product: Microsoft Exchange Server -- Update could not be installed. Error code 1603. " + attack, "");
    return s;
}

}  // namespace extriage::hostile
