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
  std::uint8_t seen = 0;  // OR of every table value: kInvalid shows through
  const std::size_t whole = text.size() / 4 * 4;
  for (std::size_t i = 0; i < whole; i += 4) {
    const std::uint8_t a = kTable[in[i]], b = kTable[in[i + 1]], c = kTable[in[i + 2]],
                       d = kTable[in[i + 3]];
    seen |= a | b | c | d;
    const std::uint32_t v =
        (std::uint32_t{a} << 18) | (std::uint32_t{b} << 12) | (std::uint32_t{c} << 6) | d;
    *o++ = static_cast<std::uint8_t>(v >> 16);
    *o++ = static_cast<std::uint8_t>(v >> 8);
    *o++ = static_cast<std::uint8_t>(v);
  }
  const std::size_t rest = text.size() - whole;  // 0, 2 or 3 characters
  std::uint32_t v = 0;
  for (std::size_t i = 0; i < rest; ++i) {
    const std::uint8_t x = kTable[in[whole + i]];
    seen |= x;
    v = (v << 6) | x;
  }
  if (seen & 0xc0) {  // only kInvalid has the top bits set; report the first offending character
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
