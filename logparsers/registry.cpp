// The explicit list of parsers. Adding a parser = one line here + one in CMakeLists.txt.
// Order matters for sniffing: more specific formats come first.
#include "parser.hpp"

namespace extriage {

std::unique_ptr<Parser> make_event_clixml_parser();
std::unique_ptr<Parser> make_event_xml_parser();
std::unique_ptr<Parser> make_evtx_binary_parser();
std::unique_ptr<Parser> make_exchange_queue_listing_parser();
std::unique_ptr<Parser> make_exchange_setup_parser();
std::unique_ptr<Parser> make_exchange_transport_log_parser();
std::unique_ptr<Parser> make_exchange_update_text_parser();
std::unique_ptr<Parser> make_healthchecker_clixml_parser();
std::unique_ptr<Parser> make_ldif_err_parser();
std::unique_ptr<Parser> make_msi_log_parser();
std::unique_ptr<Parser> make_service_control_log_parser();
std::unique_ptr<Parser> make_system_state_parser();

const std::vector<std::unique_ptr<Parser>>& parsers() {
    static const std::vector<std::unique_ptr<Parser>> all = [] {
        std::vector<std::unique_ptr<Parser>> v;
        v.push_back(make_msi_log_parser());
        v.push_back(make_ldif_err_parser());
        v.push_back(make_exchange_transport_log_parser());
        v.push_back(make_exchange_queue_listing_parser());
        v.push_back(make_evtx_binary_parser());
        v.push_back(make_system_state_parser());
        v.push_back(make_healthchecker_clixml_parser());   // before event-clixml: both are CLIXML
        v.push_back(make_event_clixml_parser());
        v.push_back(make_event_xml_parser());
        // Before ServiceControl.log: a setup log's "[date time] [N] " lines also read as
        // "[time] text", and its first lines may well mention service control.
        v.push_back(make_exchange_setup_parser());
        v.push_back(make_service_control_log_parser());
        v.push_back(make_exchange_update_text_parser());   // generic "[time] text": last
        return v;
    }();
    return all;
}

const Parser* find_parser(std::string_view name) {
    for (const auto& p : parsers())
        if (p->name() == name) return p.get();
    return nullptr;
}

const Parser* sniff_parser(const SniffInput& in) {
    for (const auto& p : parsers())
        if (p->sniff(in)) return p.get();
    return nullptr;
}

}  // namespace extriage
