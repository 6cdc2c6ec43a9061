// Reads a secret field of the configuration: `{env: NAME}` or `{file: PATH}`, never the secret.
//
// An inline string is refused without quoting it, and nothing here ever echoes a value that could
// be the secret. File paths are resolved against the configuration file's folder; neither the
// variable nor the file is read here (SecretRef::resolve() does that). Internal to src/config/;
// not thread-safe (reports into a Context).
#pragma once

#include <optional>

#include "config/secret_ref.hpp"
#include "config/yaml_reader.hpp"

namespace sg::config {

std::optional<SecretRef> as_secret(Context& ctx, const Value& v);

}  // namespace sg::config
