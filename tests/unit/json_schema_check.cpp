// JSON Schema subset checker (see the header).
#include "json_schema_check.hpp"

#include <set>

namespace extriage::test {

namespace {

using nlohmann::json;

bool has_type(const json& v, const std::string& type) {
    if (type == "object") return v.is_object();
    if (type == "array") return v.is_array();
    if (type == "string") return v.is_string();
    if (type == "integer") return v.is_number_integer();
    if (type == "number") return v.is_number();
    if (type == "boolean") return v.is_boolean();
    if (type == "null") return v.is_null();
    return false;
}

class Checker {
public:
    explicit Checker(const json& root) : root_(root) {}

    void check(const json& schema, const json& v, const std::string& at) {
        static const std::set<std::string> kIgnored{"$schema", "$id", "$comment", "$defs", "title", "description"};
        static const std::set<std::string> kKnown{"type", "const", "enum", "properties", "required", "additionalProperties",
                                                  "items", "minimum", "anyOf", "$ref"};
        for (const auto& [key, value] : schema.items())
            if (!kIgnored.count(key) && !kKnown.count(key)) errors.push_back(at + ": schema keyword '" + key + "' is not checked");
        if (schema.contains("$ref")) {
            const std::string ref = schema["$ref"];
            const std::string prefix = "#/$defs/";
            if (ref.rfind(prefix, 0) != 0 || !root_["$defs"].contains(ref.substr(prefix.size()))) {
                errors.push_back(at + ": unresolved $ref " + ref);
                return;
            }
            check(root_["$defs"][ref.substr(prefix.size())], v, at);
        }
        if (schema.contains("type")) {
            const json& t = schema["type"];
            bool ok = false;
            if (t.is_string()) ok = has_type(v, t);
            else
                for (const auto& one : t) ok = ok || has_type(v, one);
            if (!ok) {
                errors.push_back(at + ": expected type " + t.dump() + ", got " + v.dump().substr(0, 80));
                return;
            }
        }
        if (schema.contains("const") && v != schema["const"]) errors.push_back(at + ": expected " + schema["const"].dump());
        if (schema.contains("enum")) {
            bool found = false;
            for (const auto& e : schema["enum"]) found = found || e == v;
            if (!found) errors.push_back(at + ": " + v.dump() + " is not one of " + schema["enum"].dump());
        }
        if (schema.contains("minimum") && v.is_number() && v.get<double>() < schema["minimum"].get<double>())
            errors.push_back(at + ": below the minimum " + schema["minimum"].dump());
        if (schema.contains("anyOf")) {
            bool any = false;
            for (const auto& option : schema["anyOf"]) {
                Checker sub(root_);
                sub.check(option, v, at);
                any = any || sub.errors.empty();
            }
            if (!any) errors.push_back(at + ": matches none of anyOf");
        }
        if (v.is_object()) {
            if (schema.contains("required"))
                for (const auto& name : schema["required"])
                    if (!v.contains(name.get<std::string>())) errors.push_back(at + ": missing '" + name.get<std::string>() + "'");
            const json* props = schema.contains("properties") ? &schema["properties"] : nullptr;
            for (const auto& [key, value] : v.items()) {
                if (props && props->contains(key)) {
                    check((*props)[key], value, at + "." + key);
                } else if (schema.contains("additionalProperties")) {
                    const json& extra = schema["additionalProperties"];
                    if (extra.is_boolean()) {
                        if (!extra.get<bool>()) errors.push_back(at + ": unexpected property '" + key + "'");
                    } else {
                        check(extra, value, at + "." + key);
                    }
                }
            }
        }
        if (v.is_array() && schema.contains("items"))
            for (size_t i = 0; i < v.size(); ++i) check(schema["items"], v[i], at + "[" + std::to_string(i) + "]");
    }

    std::vector<std::string> errors;

private:
    const json& root_;
};

}  // namespace

std::vector<std::string> schema_errors(const nlohmann::json& schema, const nlohmann::json& doc) {
    Checker c(schema);
    c.check(schema, doc, "$");
    return c.errors;
}

}  // namespace extriage::test
