// Finding the rules and data tables: a folder, or the copy embedded at build time.
#include "resources/resources.hpp"

#include <mutex>

#include <fmt/format.h>

#include "resources/embedded_files.hpp"
#include "engine/rule_loader.hpp"
#include "platform/files.hpp"
#include "platform/process.hpp"
#include "platform/utf8_path.hpp"

namespace extriage {

namespace {

using Kind = ResourceOrigin::Kind;

std::mutex data_folder_mutex;
std::string data_folder_option;   // --data

std::string join(const std::string& folder, std::string_view name) {
    return platform::path_to_u8(platform::u8_to_path(folder) / platform::u8_to_path(name));
}

bool is_folder(const std::string& path) {
    std::error_code ec;
    return platform::file_kind(path, ec) == platform::FileKind::directory;
}

// Steps 2-5 of the lookup for `sub` ("rules" or "data").
ResourceOrigin locate(std::string_view sub, const char* env_var) {
    if (auto env = platform::environment_variable(env_var)) return {Kind::environment, *env};
    if (auto exe = platform::executable_path()) {
        const auto dir = platform::u8_to_path(*exe).parent_path();
        std::string beside = platform::path_to_u8(dir / platform::u8_to_path(sub));
        if (is_folder(beside)) return {Kind::beside_executable, beside};
        std::string installed = platform::path_to_u8(dir.parent_path() / "share" / "extriage" / platform::u8_to_path(sub));
        if (is_folder(installed)) return {Kind::installed, installed};
    }
    return {Kind::embedded, {}};
}

// The embedded files below `top` ("rules/", "data/"), names relative to it.
std::vector<std::pair<std::string_view, std::string_view>> embedded_below(std::string_view top) {
    std::vector<std::pair<std::string_view, std::string_view>> out;
    for (const auto& f : embedded_files())
        if (f.path.starts_with(top)) out.emplace_back(f.path.substr(top.size()), f.data);
    return out;
}

std::optional<std::string_view> embedded_data(std::string_view name) {
    for (const auto& [n, data] : embedded_below("data/"))
        if (n == name) return data;
    return std::nullopt;
}

bool folder_has(const ResourceOrigin& origin, std::string_view name) {
    if (origin.kind == Kind::embedded) return false;
    std::error_code ec;
    return platform::file_kind(join(origin.folder, name), ec) == platform::FileKind::regular;
}

constexpr std::string_view kEmbeddedLabel = "(embedded) ";

}  // namespace

std::string ResourceOrigin::describe() const {
    switch (kind) {
        case Kind::option: return fmt::format("{} (given on the command line)", folder);
        case Kind::environment: return fmt::format("{} (from the environment)", folder);
        case Kind::beside_executable: return fmt::format("{} (beside the executable)", folder);
        case Kind::installed: return fmt::format("{} (installed)", folder);
        case Kind::embedded: break;
    }
    return fmt::format("embedded in the executable, set {}", embedded_digest());
}

void set_data_folder(std::string folder) {
    std::lock_guard lock(data_folder_mutex);
    data_folder_option = std::move(folder);
}

ResourceOrigin rules_origin() { return locate("rules", "EXTRIAGE_RULES"); }

ResourceOrigin data_origin() {
    {
        std::lock_guard lock(data_folder_mutex);
        if (!data_folder_option.empty()) return {Kind::option, data_folder_option};
    }
    return locate("data", "EXTRIAGE_DATA");
}

std::vector<std::unique_ptr<Rule>> load_default_rules(DiagSink& diags) {
    ResourceOrigin origin = rules_origin();
    if (origin.kind != Kind::embedded) return load_rules({origin.folder}, diags);
    std::vector<RuleText> texts;
    for (const auto& [name, data] : embedded_below("rules/"))
        if (name.ends_with(".yaml") || name.ends_with(".yml"))
            texts.push_back({fmt::format("{}rules/{}", kEmbeddedLabel, name), std::string(data)});
    return load_rule_texts(texts, diags);
}

std::optional<std::string> read_data_file(std::string_view name, std::string& error) {
    ResourceOrigin origin = data_origin();
    if (folder_has(origin, name)) {
        std::string path = join(origin.folder, name);
        std::error_code ec;
        if (auto text = platform::read_file(path, ec)) return text;
        error = fmt::format("cannot read {}: {}", path, ec.message());
        return std::nullopt;
    }
    if (auto data = embedded_data(name)) return std::string(*data);
    error = origin.kind == Kind::embedded ? fmt::format("no data file {} in the executable", name)
                                          : fmt::format("cannot open {}", join(origin.folder, name));
    return std::nullopt;
}

std::string data_file_label(std::string_view name) {
    ResourceOrigin origin = data_origin();
    if (folder_has(origin, name) || (origin.kind != Kind::embedded && !embedded_data(name)))
        return join(origin.folder, name);
    return fmt::format("{}data/{}", kEmbeddedLabel, name);
}

std::string data_summary() {
    ResourceOrigin data = data_origin();
    std::string out = fmt::format("data: {}\n", data.describe());
    if (data.kind == Kind::embedded) return out;
    std::vector<std::string_view> from_embedded;
    for (const auto& [name, text] : embedded_below("data/"))
        if (!folder_has(data, name)) from_embedded.push_back(name);
    if (!from_embedded.empty())
        out += fmt::format("      the embedded copy for what it does not hold: {}\n", fmt::join(from_embedded, ", "));
    return out;
}

}  // namespace extriage
