// SecretRef names where a secret lives — an environment variable or a file — never the secret
// itself.
//
// Configuration refuses inline secrets: a secret field must be `{env: NAME}` or `{file: PATH}`.
// resolve() reads the value when a service needs it; its errors name the reference, never the
// value. Plain value type; thread-safe.
#pragma once

#include <string>

#include "common/result.hpp"

namespace sg::config {

struct SecretRef {
  enum class Source { kEnv, kFile };
  Source source = Source::kEnv;
  std::string name;  // variable name, or absolute file path (resolved against the config's folder)

  // "env:NAME" or "file:/path" — safe to print.
  std::string describe() const;

  // Reads the secret. Files larger than 64 KiB are refused; one trailing newline is removed.
  // Errors: kInvalidConfig (unset variable, empty value, unreadable or oversized file).
  Result<std::string> resolve() const;

  friend bool operator==(const SecretRef&, const SecretRef&) = default;
};

}  // namespace sg::config
