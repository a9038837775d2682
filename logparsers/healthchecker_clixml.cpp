// "healthchecker-clixml": the data object HealthChecker.ps1 exports next to its report
// (HealthChecker-<server>-<yyyyMMddHHmmss>.xml, `Export-Clixml -Depth 2` of the analyzer result:
// HealthCheckerExchangeServer, HtmlServerValues, DisplayResults). PSCustomObjects and collections
// are serialized whole whatever the depth, so HealthCheckerExchangeServer keeps the layout that
// Get-HealthCheckerDataObject builds (CSS-Exchange, Diagnostics/HealthChecker). This parser reads
// the parts that describe the server's state into a SystemState and emits the same records as a
// snapshot (state_records.hpp). Objects HealthChecker took from Exchange cmdlets (server component
// states, Get-ExchangeServer) are depth-limited in the export: they are read when their properties
// are there and skipped otherwise.
#include <algorithm>
#include <functional>
#include <initializer_list>
#include <unordered_map>

#include <fmt/format.h>

#include "clixml_text.hpp"
#include "parser.hpp"
#include "state_records.hpp"
#include "system_state_model.hpp"

namespace extriage {

namespace {

constexpr std::string_view kName = "healthchecker-clixml";
constexpr uint64_t kMaxExportBytes = 512ull << 20;

bool icontains(std::string_view hay, std::string_view needle) {
    return std::search(hay.begin(), hay.end(), needle.begin(), needle.end(), [](char a, char b) {
               return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
           }) != hay.end();
}

// Navigation over one deserialized object graph; <Ref RefId> elements stand for the <Obj> that
// carried the same RefId earlier in the stream.
class Graph {
public:
    explicit Graph(const pugi::xml_document& doc) {
        for (pugi::xpath_node xn : doc.select_nodes("//Obj[@RefId]")) objs_.emplace(xn.node().attribute("RefId").value(), xn.node());
    }

    pugi::xml_node resolve(pugi::xml_node n) const {
        if (n && std::string_view(n.name()) == "Ref") {
            auto it = objs_.find(n.attribute("RefId").value());
            return it == objs_.end() ? pugi::xml_node() : it->second;
        }
        return n;
    }

    // A property of an object (adapted or extended), or a hashtable entry by key.
    pugi::xml_node member(pugi::xml_node obj, std::string_view name) const {
        obj = resolve(obj);
        if (!obj) return {};
        for (const char* holder : {"MS", "Props"})
            for (pugi::xml_node c : obj.child(holder).children())
                if (name == c.attribute("N").value()) return resolve(c);
        for (pugi::xml_node en : obj.child("DCT").children("En")) {
            pugi::xml_node key, value;
            for (pugi::xml_node c : en.children()) {
                std::string_view n = c.attribute("N").value();
                if (n == "Key") key = c;
                else if (n == "Value") value = c;
            }
            if (key && scalar(key) == name) return resolve(value);
        }
        return {};
    }

    pugi::xml_node path(pugi::xml_node from, std::initializer_list<std::string_view> names) const {
        pugi::xml_node n = from;
        for (auto name : names) {
            n = member(n, name);
            if (!n) return {};
        }
        return n;
    }

    // The elements of a list (or a single object treated as a list of one).
    std::vector<pugi::xml_node> items(pugi::xml_node n) const {
        std::vector<pugi::xml_node> out;
        n = resolve(n);
        if (!n) return out;
        for (pugi::xml_node c : n.children())
            if (clixml::is_collection(c.name())) {
                for (pugi::xml_node item : c.children()) out.push_back(resolve(item));
                return out;
            }
        if (std::string_view(n.name()) != "Nil") out.push_back(n);
        return out;
    }

    // The value as text: primitives as written, objects by their ToString. Empty for $null.
    std::string scalar(pugi::xml_node n) const {
        n = resolve(n);
        if (!n) return {};
        std::string_view tag = n.name();
        if (tag == "S") return clixml::decode_ps_string(clixml::text_of(n));
        if (clixml::is_primitive(tag)) return clixml::text_of(n);
        if (tag == "Obj") {
            for (pugi::xml_node c : n.children())
                if (clixml::is_primitive(c.name())) return scalar(c);   // a primitive with notes
            return clixml::decode_ps_string(clixml::text_of(n.child("ToString")));
        }
        return {};
    }

    std::optional<bool> boolean(pugi::xml_node n) const {
        std::string s = scalar(n);
        if (s == "true") return true;
        if (s == "false") return false;
        return std::nullopt;
    }

private:
    std::unordered_map<std::string, pugi::xml_node> objs_;
};

// "11.0.61030" > "11.0.50727"
bool version_less(const std::string& a, const std::string& b) {
    auto parts = [](const std::string& v) {
        std::vector<unsigned long> out;
        size_t i = 0;
        while (i < v.size()) {
            size_t j = v.find('.', i);
            if (j == std::string::npos) j = v.size();
            out.push_back(std::strtoul(v.substr(i, j - i).c_str(), nullptr, 10));
            i = j + 1;
        }
        return out;
    };
    return parts(a) < parts(b);
}

void read_exchange(const Graph& g, pugi::xml_node ex, SystemState& s) {
    pugi::xml_node build = g.member(ex, "BuildInformation");
    s.exchange_build = g.scalar(g.path(build, {"ExchangeSetup", "FileVersion"}));
    if (s.exchange_build.empty()) s.exchange_build = g.scalar(g.path(build, {"VersionInformation", "BuildVersion"}));
    s.roles = g.scalar(g.member(build, "ServerRole"));
    for (pugi::xml_node kb : g.items(g.member(build, "KBsInstalledInfo"))) {
        std::string name = g.scalar(g.member(kb, "PackageName"));
        if (!name.empty()) s.installed_updates.push_back(name);
    }
    s.install_path = g.scalar(g.path(ex, {"RegistryValues", "MsiInstallPath"}));
    for (pugi::xml_node svc : g.items(g.path(ex, {"DependentServices", "Services"}))) {
        StateService v;
        v.name = g.scalar(g.member(svc, "Name"));
        v.status = g.scalar(g.member(svc, "Status"));
        v.start_type = g.scalar(g.member(svc, "StartType"));
        if (!v.name.empty()) s.services.push_back(std::move(v));
    }
    pugi::xml_node iis = g.member(ex, "IISSettings");
    for (const char* list : {"IISSharedWebConfig", "IISConfigurationSettings"})
        for (pugi::xml_node cfg : g.items(g.member(iis, list))) {
            std::string location = g.scalar(g.member(cfg, "Location"));
            if (location.empty() || g.boolean(g.member(cfg, "Exist")) == false) continue;
            s.config_files.push_back({location, icontains(g.scalar(g.member(cfg, "Content")), "%ExchangeInstallDir%")});
        }
    for (pugi::xml_node c : g.items(g.path(ex, {"ServerMaintenance", "GetServerComponentState"}))) {
        StateComponent sc{g.scalar(g.member(c, "Component")), g.scalar(g.member(c, "State"))};
        if (!sc.component.empty() && !sc.state.empty()) s.components.push_back(std::move(sc));
    }
    s.eems_enabled = g.boolean(g.path(ex, {"GetExchangeServer", "MitigationsEnabled"}));
}

void read_os(const Graph& g, pugi::xml_node os, SystemState& s) {
    s.os_name = g.scalar(g.path(os, {"BuildInformation", "FriendlyName"}));
    s.os_version = g.scalar(g.path(os, {"BuildInformation", "BuildVersion"}));
    pugi::xml_node reboot = g.member(os, "ServerPendingReboot");
    s.pending_reboot = g.boolean(g.member(reboot, "PendingReboot"));
    for (pugi::xml_node loc : g.items(g.member(reboot, "PendingRebootLocations"))) {
        std::string l = g.scalar(loc);
        if (!l.empty()) s.reboot_locations.push_back(l);
    }
    pugi::xml_node net = g.member(os, "NETFramework");
    std::string release = g.scalar(g.member(net, "RegistryValue"));
    if (!release.empty() && std::all_of(release.begin(), release.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
        release.size() < 10)
        s.dotnet_release = std::stoull(release);
    s.dotnet_version = g.scalar(g.member(net, "FriendlyName"));
    // HealthChecker lists every "Microsoft Visual C++ *" uninstall entry; SetupAssist asks about the
    // 2012 and 2013 runtimes, so keep the newest entry of each.
    std::vector<pugi::xml_node> vc = g.items(g.member(os, "VcRedistributable"));
    if (!g.member(os, "VcRedistributable")) return;
    for (const auto& [year, id] : {std::pair{"2012", "vcredist-2012"}, std::pair{"2013", "vcredist-2013"}}) {
        StatePrerequisite p;
        p.id = id;
        for (pugi::xml_node item : vc) {
            std::string name = g.scalar(g.member(item, "DisplayName"));
            std::string version = g.scalar(g.member(item, "DisplayVersion"));
            if (name.find(fmt::format("Microsoft Visual C++ {}", year)) != 0) continue;
            if (!p.installed || version_less(p.version, version)) {
                p.installed = true;
                p.version = version;
                p.name = name;
            }
        }
        s.prerequisites.push_back(std::move(p));
    }
}

class HealthCheckerParser final : public Parser {
public:
    std::string_view name() const override { return kName; }

    bool sniff(const SniffInput& in) const override {
        return in.text_head.find("schemas.microsoft.com/powershell/2004/04") != std::string_view::npos &&
               in.text_head.find("N=\"HealthCheckerExchangeServer\"") != std::string_view::npos;
    }

    void parse(ByteSource& source, const std::string& path, RecordSink& sink, DiagSink& diags) const override {
        sink.on_file_begin(path, kName);
        std::string text = source.read_all(kMaxExportBytes);
        pugi::xml_document doc;
        pugi::xml_parse_result ok = doc.load_buffer(text.data(), text.size(), pugi::parse_default, pugi::encoding_auto);
        if (!ok) {
            diags.error_at_line(path, 0, fmt::format("not readable XML: {} at byte {}", ok.description(), ok.offset), std::string(kName));
            sink.on_file_end(path);
            return;
        }
        Graph g(doc);
        pugi::xml_node hc;
        for (pugi::xml_node top : doc.child("Objs").children("Obj"))
            if ((hc = g.member(top, "HealthCheckerExchangeServer"))) break;
        if (!hc) {
            diags.error_at_line(path, 0, "no HealthCheckerExchangeServer object: not a HealthChecker export", std::string(kName));
            sink.on_file_end(path);
            return;
        }
        SystemState s;
        s.server = g.scalar(g.member(hc, "ServerName"));
        s.collected_at = g.scalar(g.member(hc, "GenerationTime"));
        std::string version = g.scalar(g.member(hc, "HealthCheckerVersion"));
        if (!version.empty()) s.collector = "HealthChecker " + version;
        read_exchange(g, g.member(hc, "ExchangeInformation"), s);
        read_os(g, g.member(hc, "OSInformation"), s);
        emit_state_records(s, "healthchecker", path, kName, sink);
        sink.on_file_end(path);
    }
};

}  // namespace

std::unique_ptr<Parser> make_healthchecker_clixml_parser() { return std::make_unique<HealthCheckerParser>(); }

}  // namespace extriage
