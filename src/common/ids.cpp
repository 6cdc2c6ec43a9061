#include "common/ids.hpp"

#include <sys/random.h>

#include <cstdint>
#include <stdexcept>

namespace sg {
namespace {

// xoshiro256** — fast, statistically strong, not cryptographic.
class Generator {
 public:
  Generator() {
    std::size_t got = 0;
    auto* bytes = reinterpret_cast<unsigned char*>(s_);
    while (got < sizeof s_) {
      ssize_t n = getrandom(bytes + got, sizeof s_ - got, 0);
      if (n < 0) throw std::runtime_error("getrandom failed");
      got += static_cast<std::size_t>(n);
    }
  }
  std::uint64_t next() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4];
};

}  // namespace

std::string new_id() {
  static constexpr char kHex[] = "0123456789abcdef";
  thread_local Generator gen;
  std::string out(32, '0');
  for (int half = 0; half < 2; ++half) {
    std::uint64_t v = gen.next();
    for (int k = 0; k < 16; ++k) {
      out[static_cast<std::size_t>(half * 16 + k)] = kHex[v & 0xF];
      v >>= 4;
    }
  }
  return out;
}

bool is_acceptable_request_id(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == ':' || c == '/' || c == '+' || c == '=' || c == '-';
    if (!ok) return false;
  }
  return true;
}

}  // namespace sg
