// Hostile inputs, built at test time (issue 10): each one attacks a bound that mutation-based
// fuzzing does not reach, because it needs structure (deep nesting, references, templates,
// overlapping zip members). Used by the unit tests and, through make_hostile_inputs, by the
// malformed-input suite. Every generator is deterministic and takes its size as a parameter, so
// the tests can pick sizes that prove a bound without committing large files.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace extriage::hostile {

// --- Depth ---

// CLIXML: one EventLogEntry whose property holds objects nested `depth` deep, then a plain one.
std::string clixml_deep(int depth);
// Event XML: one event whose <UserData> nests `depth` elements, then a plain event.
std::string event_xml_deep_user_data(int depth);
// Creates root/d/d/.../d (`depth` levels, with openat: the full path is longer than PATH_MAX) with
// a file at the bottom; remove_deep_folder takes it down again.
void make_deep_folder(const std::string& root, int depth);
void remove_deep_folder(const std::string& root);

// --- Amplification ---

// CLIXML: an object with a `big_bytes` ToString, then `objects` events that each refer to it
// `refs` times (in a list and as properties).
std::string clixml_ref_amplification(size_t big_bytes, int refs, int objects);
// EVTX whose records instantiate one template that repeats a substitution `repeats` times:
// every record of `value_chars` characters decodes to repeats x value_chars bytes.
std::string evtx_expanding(int chunks, int repeats = 1000, int value_chars = 2000);
// EVTX whose records nest a template in itself `depth` times with `fanout` substitutions of the
// nested value each: fanout^depth BinXML operations per record of a few hundred bytes.
std::string evtx_cpu_burner(int chunks, int fanout = 16, int depth = 5);

// --- Floods ---

// EVTX of `chunks` chunks whose record area repeats a record header with an impossible size:
// one error per 8 bytes, about 8,000 per chunk.
std::string evtx_diagnostic_flood(int chunks);
// An ExchangeSetup.log of `runs` minimal setup runs (the banner line only).
std::string setup_log_runs(size_t runs);

// --- Zips ---

struct ZipEntry {
    std::string name;            // written as is: may hold NUL, ESC, newlines
    std::string data;            // stored (method 0) unless deflated is set
    std::string deflated;        // raw deflate stream (method 8) instead of data
    uint64_t declared_size = 0;  // uncompressed size written in the headers (0: data's size)
    uint32_t crc = 0;            // with deflated: the CRC-32 of what it inflates to
};
std::string zip_archive(const std::vector<ZipEntry>& entries);
// A raw deflate stream (fixed Huffman codes, about 160:1) of `count` copies of `byte`.
std::string deflate_repeated(char byte, size_t count);
uint32_t crc32_repeated(char byte, size_t count);
// Members whose data overlap (Fifield's quoted-overlap construction): member i's deflate stream
// quotes the local header of member i+1 in a stored block and goes on with member i+1's stream,
// down to a kernel that inflates to `kernel_bytes`: `members` x kernel_bytes from one kernel.
// Every member declares 100 bytes (a lie).
std::string zip_overlapping(size_t kernel_bytes, int members);

// --- Output safety ---

// Escape sequences a terminal would obey: clipboard write (OSC 52), screen clear, a CR that
// overwrites the line, a forged diagnostic line, C1 CSI, a bidi override.
std::string terminal_attack_text();
// `setup_log` (a failing ExchangeSetup.log) with terminal_attack_text() in its server name and
// appended to every [ERROR] line.
std::string setup_log_with_controls(const std::string& setup_log);
// An Event Viewer XML export whose Computer is `computer` and whose message carries the attack.
std::string event_xml_with_computer(const std::string& computer);

}  // namespace extriage::hostile
