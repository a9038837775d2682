// A JSON Schema checker for the subset of draft 2020-12 that schema/*.schema.json use: type,
// const, enum, properties, required, additionalProperties, items, minimum, anyOf and local
// $ref ("#/$defs/name"). Any other keyword is an error, so a schema cannot silently use what
// is not checked. Used by the tests that hold every JSON document against its schema.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace extriage::test {

// Problems found, as "path: message" (empty when `doc` conforms).
std::vector<std::string> schema_errors(const nlohmann::json& schema, const nlohmann::json& doc);

}  // namespace extriage::test
