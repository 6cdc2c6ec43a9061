// Diagnostic is one problem found in a configuration or policy file, with its position.
//
// Loaders collect every diagnostic rather than stopping at the first, so `stackgate check` can
// print them all. Messages say what was found and what was expected; they never quote secret
// values. Plain value type; thread-safe.
#pragma once

#include <string>
#include <vector>

namespace sg::config {

struct Diagnostic {
  std::string file;
  int line = 0;    // 1-based; 0 when unknown
  int column = 0;  // 1-based; 0 when unknown
  std::string message;

  // "file:line:column: message" (line and column omitted when unknown).
  std::string to_string() const;

  friend bool operator==(const Diagnostic&, const Diagnostic&) = default;
};

using Diagnostics = std::vector<Diagnostic>;

}  // namespace sg::config
