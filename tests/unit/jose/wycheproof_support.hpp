// Helpers shared by the Wycheproof tests: loading a vector file, tallying outcomes, keys from
// the files' various encodings.
//
// Test-only; not thread-safe.
#pragma once

#include <iostream>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json.hpp>

#include "jose/bytes.hpp"
#include "test_support.hpp"

namespace sg::jose::test {

// Outcome counts for one file, printed so a reader sees the vectors ran.
struct Tally {
  std::string file;
  int seen = 0;
  int valid_accepted = 0;
  int invalid_rejected = 0;
  int acceptable_accepted = 0;
  int acceptable_rejected = 0;
  int strict_rejected = 0;  // listed expectations where we are stricter than the file
  int skipped = 0;

  void print() const {
    std::cout << "[wycheproof] " << file << ": " << seen << " vectors; valid accepted "
              << valid_accepted << ", invalid rejected " << invalid_rejected
              << ", acceptable accepted/rejected " << acceptable_accepted << "/"
              << acceptable_rejected << ", stricter than file " << strict_rejected << ", skipped "
              << skipped << "\n";
  }
};

// The file under wycheproof/, or nullopt (the caller skips).
inline std::optional<boost::json::value> load_wycheproof(std::string_view name) {
  return load_testdata("wycheproof/" + std::string(name));
}

// A big-endian integer in Wycheproof's ASN.1 style hex (may have a leading 00 or be short),
// as exactly `size` bytes.
inline Bytes fixed_width(std::string_view hex_text, std::size_t size) {
  Bytes b = hex(hex_text);
  while (b.size() > size && b.front() == 0)
    b.erase(b.begin());
  while (b.size() < size)
    b.insert(b.begin(), 0);
  return b;
}

inline std::string_view as_view(const Bytes& b) {
  return as_chars(b);
}

}  // namespace sg::jose::test
