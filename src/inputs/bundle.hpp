// Which Exchange server an input came from. ExchangeLogCollector names things after the server:
// <root>\<yyyyMd>\<SERVER>\..., zipped as <SERVER>-<Md>.zip (-1, -2... on clashes), and files
// such as <SERVER>_Application.xml. Logs also say it themselves (the setup run's server_fqdn,
// an event's computer), which is the fallback when the path does not.
// Server names are reported as upper-case NetBIOS names ("ex01.contoso.com" -> "EX01").
#pragma once

#include <string>
#include <string_view>

#include "record.hpp"

namespace extriage {

// Server named by a path ("C:\MS_Logs_Collection\2025123\EX01-123.zip!Windows_Event_Logs\x.evtx"
// -> "EX01"), innermost evidence first; "" if the path does not name one. Path components are
// separated by '/', '\' or '!' (the archive member separator).
std::string server_from_path(std::string_view path);

// "ex01.contoso.com" -> "EX01"; "" for an empty or unusable name.
std::string normalize_server(std::string_view name);

// Forwards everything to another sink and remembers, per file, the first server the records
// name (an EVTX record's "computer" field, or a setup run's "server_fqdn" fact) and the first
// event log channel ("Application", "System"), and the time of its latest record (how old the log is).
class ServerProbe final : public RecordSink {
public:
    explicit ServerProbe(RecordSink& next) : next_(next) {}

    void on_file_begin(std::string_view path, std::string_view parser) override;
    void on_record(const Record& record) override;
    void on_segment_end(const Segment& segment) override;
    void on_file_end(std::string_view path) override;

    // Server of the file being (or last) parsed; "" if its records never named one.
    const std::string& server() const { return server_; }
    // Channel of the file being (or last) parsed; "" if its records have none.
    const std::string& channel() const { return channel_; }
    // Time of the file's latest record (kNoTime if none had a time), and whether it is UTC.
    int64_t last_time_ms() const { return last_time_ms_; }
    bool last_time_is_utc() const { return last_time_is_utc_; }

private:
    RecordSink& next_;
    std::string server_;
    std::string channel_;
    int64_t last_time_ms_ = kNoTime;
    bool last_time_is_utc_ = false;
};

}  // namespace extriage
