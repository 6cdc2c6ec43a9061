// Converts YAML values to JSON, so principals written in a policy test file go through the same
// reader as principal JSON files (policy/principal_json.hpp).
//
// Mappings become objects, lists arrays, empty values and `~`/`null` become null. Scalars become
// strings, except in YamlScalars::kTyped mode (for claims), where unquoted `true`/`false` become
// booleans and unquoted decimal integers numbers, as a JSON token would carry them. Keys must be
// scalars and unique; nesting is bounded by `max_depth`. Problems are reported into the Context at
// their position. Pure apart from the Context; not thread-safe.
#pragma once

#include <cstddef>
#include <optional>

#include <boost/json/value.hpp>

#include "config/yaml_reader.hpp"

namespace sg::policy {

enum class YamlScalars { kStrings, kTyped };

// The JSON for `v`, or nothing after reporting why.
std::optional<boost::json::value> yaml_to_json(config::Context& ctx, const config::Value& v,
                                               YamlScalars scalars, std::size_t max_depth);

}  // namespace sg::policy
