// Helpers shared by the fuzz targets: invariant checks that abort, and tokens built from parts.
//
// A failed SG_FUZZ_CHECK prints the broken invariant and calls std::abort(), which libFuzzer
// reports as a crash and saves the input for. Test-only; single-threaded like libFuzzer itself.
#pragma once

#include <array>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "jose/base64url.hpp"

#define SG_FUZZ_CHECK(cond) \
  ((cond) ? static_cast<void>(0) : ::sg::fuzz::fail(#cond, __FILE__, __LINE__))

namespace sg::fuzz {

[[noreturn]] inline void fail(const char* what, const char* file, int line) {
  std::fprintf(stderr, "fuzz invariant failed: %s (%s:%d)\n", what, file, line);
  std::abort();
}

inline std::string_view as_text(const unsigned char* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// Splits `input` at its first two '\n' into header JSON, payload and signature bytes; missing
// parts are empty.
inline std::array<std::string_view, 3> split_parts(std::string_view input) {
  std::array<std::string_view, 3> parts;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const std::size_t nl = i + 1 < parts.size() ? input.find('\n') : std::string_view::npos;
    parts[i] = input.substr(0, nl);
    if (nl == std::string_view::npos) break;
    input.remove_prefix(nl + 1);
  }
  return parts;
}

// base64url(header).base64url(payload).base64url(signature) of split_parts(input) — so the fuzzer
// can mutate the decoded JSON directly instead of having to find its base64url encoding.
inline std::string token_from_parts(std::string_view input) {
  const auto parts = split_parts(input);
  return jose::base64url_encode(parts[0]) + "." + jose::base64url_encode(parts[1]) + "." +
         jose::base64url_encode(parts[2]);
}

}  // namespace sg::fuzz
