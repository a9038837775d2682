// Server names from bundle paths and from records (see bundle.hpp for the layouts recognised).
#include "inputs/bundle.hpp"

#include <array>
#include <cctype>
#include <vector>

#include "text_util.hpp"

namespace extriage {

namespace {

bool all_digits(std::string_view s, size_t min, size_t max) {
    if (s.size() < min || s.size() > max) return false;
    for (char c : s)
        if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    return true;
}

// A Windows computer (NetBIOS) name: 1-15 letters, digits and '-', with at least one letter.
bool is_computer_name(std::string_view s) {
    if (s.empty() || s.size() > 15) return false;
    bool letter = false;
    for (char c : s) {
        auto u = static_cast<unsigned char>(c);
        if (std::isalpha(u)) letter = true;
        else if (!std::isdigit(u) && c != '-') return false;
    }
    return letter;
}

std::vector<std::string_view> components(std::string_view path) {
    std::vector<std::string_view> out;
    size_t start = 0;
    while (start <= path.size()) {
        size_t end = path.find_first_of("/\\!", start);
        if (end == std::string_view::npos) end = path.size();
        if (end > start) out.push_back(path.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

std::pair<std::string_view, std::string_view> split_last_dash(std::string_view s) {
    auto dash = s.rfind('-');
    if (dash == std::string_view::npos) return {s, {}};
    return {s.substr(0, dash), s.substr(dash + 1)};
}

// "<SERVER>-<Md>.zip" or "<SERVER>-<Md>-<n>.zip" -> SERVER. Md (month and day without padding)
// has 2-4 digits; 2-8 are accepted so that "EX01-20241112.zip" works too. A one-digit last
// part can only be the clash counter; longer ones are read as the date.
std::string_view server_from_zip_name(std::string_view name) {
    if (name.size() <= 4 || !iequals(name.substr(name.size() - 4), ".zip")) return {};
    std::string_view stem = name.substr(0, name.size() - 4);
    auto [head, tail] = split_last_dash(stem);
    if (tail.size() == 1 && all_digits(tail, 1, 1)) {
        auto [server, md] = split_last_dash(head);
        if (all_digits(md, 2, 8) && is_computer_name(server)) return server;
        return {};
    }
    if (all_digits(tail, 2, 8) && is_computer_name(head)) return head;
    return {};
}

// "<SERVER>_Application.xml", "<SERVER>_GCM.txt", "HealthChecker-<SERVER>-<yyyyMMddHHmmss>.txt" ...
std::string_view server_from_file_name(std::string_view name) {
    static constexpr std::array<std::string_view, 24> kCollectorSuffixes{
        "Application", "System", "GCM", "ExchangeServer", "HealthReport", "ServerComponentState",
        "serverMonitoringOverride", "ServerHealth", "TransportServer", "ReceiveConnectors", "InstantQueueInfo",
        "ClientAccessServer", "FrontendTransportService", "MailboxServer", "MailboxTransportService",
        "Services_Information", "HotFixInfo", "msInfo", "Running_Processes", "Exchange_Registry_Hive",
        "ExchangeServer_Registry_Hive", "AllErrors", "HandledErrors", "UnhandledErrors"};
    if (name.size() > 14 && iequals(name.substr(0, 14), "HealthChecker-")) {
        std::string_view rest = name.substr(14);
        auto dot = rest.rfind('.');
        if (dot != std::string_view::npos) rest = rest.substr(0, dot);
        auto [server, stamp] = split_last_dash(rest);
        if (all_digits(stamp, 8, 14) && is_computer_name(server)) return server;
        return {};
    }
    auto underscore = name.find('_');
    if (underscore == std::string_view::npos) return {};
    std::string_view server = name.substr(0, underscore);
    std::string_view rest = name.substr(underscore + 1);
    auto dot = rest.find('.');
    std::string_view stem = dot == std::string_view::npos ? rest : rest.substr(0, dot);
    if (!is_computer_name(server)) return {};
    for (auto suffix : kCollectorSuffixes)
        if (iequals(stem, suffix)) return server;
    return {};
}

// A channel name as the report shows it; "" for anything that is not a plain name.
std::string clean_channel(std::string_view channel) {
    if (channel.size() > 128) return {};
    for (char c : channel)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return {};
    return std::string(channel);
}

}  // namespace

std::string normalize_server(std::string_view name) {
    auto dot = name.find('.');
    if (dot != std::string_view::npos) name = name.substr(0, dot);
    while (!name.empty() && std::isspace(static_cast<unsigned char>(name.front()))) name.remove_prefix(1);
    while (!name.empty() && std::isspace(static_cast<unsigned char>(name.back()))) name.remove_suffix(1);
    std::string out;
    for (char c : name) out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

std::string server_from_path(std::string_view path) {
    auto parts = components(path);
    // Innermost first: a server zip inside a collection folder is more specific than the folder.
    for (size_t i = parts.size(); i-- > 0;) {
        if (auto s = server_from_zip_name(parts[i]); !s.empty()) return normalize_server(s);
        // <yyyyMd>\<SERVER>\... : the collector's date folder, then the server folder.
        bool is_folder = i + 1 < parts.size();
        if (i > 0 && is_folder && all_digits(parts[i - 1], 6, 8) && is_computer_name(parts[i])) return normalize_server(parts[i]);
    }
    if (!parts.empty())
        if (auto s = server_from_file_name(parts.back()); !s.empty()) return normalize_server(s);
    return {};
}

void ServerProbe::on_file_begin(std::string_view path, std::string_view parser) {
    server_.clear();
    channel_.clear();
    last_time_ms_ = kNoTime;
    next_.on_file_begin(path, parser);
}

void ServerProbe::on_record(const Record& record) {
    if (server_.empty()) {
        std::string_view computer = record.field("computer");
        if (!computer.empty()) server_ = normalize_server(computer);
    }
    if (channel_.empty()) channel_ = clean_channel(record.field("channel"));
    if (record.time_ms != kNoTime && (last_time_ms_ == kNoTime || record.time_ms > last_time_ms_)) {
        last_time_ms_ = record.time_ms;
        last_time_is_utc_ = record.time_is_utc;
    }
    next_.on_record(record);
}

void ServerProbe::on_segment_end(const Segment& segment) {
    if (server_.empty())
        if (const std::string* fqdn = segment.fact("server_fqdn"); fqdn && !fqdn->empty()) server_ = normalize_server(*fqdn);
    next_.on_segment_end(segment);
}

void ServerProbe::on_file_end(std::string_view path) { next_.on_file_end(path); }

}  // namespace extriage
