#include "jose/base64url.hpp"

#include <array>
#include <cstdint>

namespace sg::jose {
namespace {

constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

constexpr std::uint8_t kInvalid = 0xff;

constexpr std::array<std::uint8_t, 256> make_table() {
  std::array<std::uint8_t, 256> t{};
  for (auto& v : t)
    v = kInvalid;
  for (std::size_t i = 0; i < kAlphabet.size(); ++i) {
    t[static_cast<unsigned char>(kAlphabet[i])] = static_cast<std::uint8_t>(i);
  }
  return t;
}

constexpr std::array<std::uint8_t, 256> kTable = make_table();

// kTable with each 6-bit value moved to its place in a 24-bit group of four characters, so that a
// group decodes as four lookups ORed together; an invalid character sets kInvalidGroup.
constexpr std::uint32_t kInvalidGroup = 1u << 24;

constexpr std::array<std::uint32_t, 256> make_group_table(int shift) {
  std::array<std::uint32_t, 256> t{};
  for (std::size_t c = 0; c < t.size(); ++c) {
    t[c] = kTable[c] == kInvalid ? kInvalidGroup : std::uint32_t{kTable[c]} << shift;
  }
  return t;
}

constexpr std::array<std::uint32_t, 256> kGroup0 = make_group_table(18);
constexpr std::array<std::uint32_t, 256> kGroup1 = make_group_table(12);
constexpr std::array<std::uint32_t, 256> kGroup2 = make_group_table(6);
constexpr std::array<std::uint32_t, 256> kGroup3 = make_group_table(0);

std::string encode(const std::uint8_t* p, std::size_t n) {
  std::string out;
  out.reserve((n * 4 + 2) / 3);
  std::size_t i = 0;
  for (; i + 3 <= n; i += 3) {
    const std::uint32_t v = (std::uint32_t{p[i]} << 16) | (std::uint32_t{p[i + 1]} << 8) | p[i + 2];
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
    out.push_back(kAlphabet[(v >> 6) & 63]);
    out.push_back(kAlphabet[v & 63]);
  }
  if (n - i == 1) {
    const std::uint32_t v = std::uint32_t{p[i]} << 16;
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
  } else if (n - i == 2) {
    const std::uint32_t v = (std::uint32_t{p[i]} << 16) | (std::uint32_t{p[i + 1]} << 8);
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
    out.push_back(kAlphabet[(v >> 6) & 63]);
  }
  return out;
}

Error malformed(std::string what) {
  return make_error(Errc::kMalformedToken, std::move(what));
}

}  // namespace

std::string base64url_encode(std::string_view data) {
  return encode(reinterpret_cast<const std::uint8_t*>(data.data()), data.size());
}

std::string base64url_encode(const Bytes& data) {
  return encode(data.data(), data.size());
}

Result<Bytes> base64url_decode(std::string_view text) {
  if (text.size() % 4 == 1) return malformed("base64url length is 1 mod 4");
  Bytes out(text.size() / 4 * 3 + (text.size() % 4 == 0 ? 0 : text.size() % 4 - 1));
  std::uint8_t* o = out.data();
  const auto* in = reinterpret_cast<const unsigned char*>(text.data());
  std::uint32_t seen = 0;  // OR of every group: kInvalidGroup shows through
  const std::size_t whole = text.size() / 4 * 4;
  for (std::size_t i = 0; i < whole; i += 4) {
    const std::uint32_t v =
        kGroup0[in[i]] | kGroup1[in[i + 1]] | kGroup2[in[i + 2]] | kGroup3[in[i + 3]];
    seen |= v;
    *o++ = static_cast<std::uint8_t>(v >> 16);
    *o++ = static_cast<std::uint8_t>(v >> 8);
    *o++ = static_cast<std::uint8_t>(v);
  }
  const std::size_t rest = text.size() - whole;  // 0, 2 or 3 characters
  std::uint32_t v = 0;
  for (std::size_t i = 0; i < rest; ++i) {
    const std::uint8_t x = kTable[in[whole + i]];
    if (x == kInvalid) seen |= kInvalidGroup;
    v = (v << 6) | x;
  }
  if (seen & kInvalidGroup) {  // report the first offending character
    for (const char c : text) {
      if (kTable[static_cast<unsigned char>(c)] != kInvalid) continue;
      if (c == '=') return malformed("base64url must not be padded");
      if (c == '+' || c == '/') return malformed("base64url must not use the '+' or '/' alphabet");
      return malformed("base64url contains a character outside its alphabet");
    }
  }
  // 2 or 4 bits are left over after a partial group; they must be zero.
  if (rest == 2) {
    if ((v & 0xf) != 0) return malformed("base64url has non-zero unused trailing bits");
    *o++ = static_cast<std::uint8_t>(v >> 4);
  } else if (rest == 3) {
    if ((v & 0x3) != 0) return malformed("base64url has non-zero unused trailing bits");
    *o++ = static_cast<std::uint8_t>(v >> 10);
    *o++ = static_cast<std::uint8_t>(v >> 2);
  }
  return out;
}

}  // namespace sg::jose
