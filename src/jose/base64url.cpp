#include "jose/base64url.hpp"

#include <array>
#include <cstddef>
#include <cstdint>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

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

#if defined(__x86_64__)
// Decodes 16 characters into 12 bytes at `out`, which must have room for 16 (the last four are
// scratch). False, with nothing promised about `out`, when a character is outside the alphabet.
// SSSE3 (every x86-64 CPU since 2006; checked at run time before use): each character is
// classified by range and shifted to its 6-bit value, pairs are merged into 12 bits and pairs of
// those into 24 (multiply-add), and a byte shuffle puts each group's three bytes in order.
__attribute__((target("ssse3"))) bool decode16(const unsigned char* in, std::uint8_t* out) {
  const __m128i c = _mm_loadu_si128(reinterpret_cast<const __m128i*>(in));
  // Signed byte compares: characters >= 0x80 are negative and fall in no range.
  const auto in_range = [&c](char lo, char hi) {
    return _mm_and_si128(_mm_cmpgt_epi8(c, _mm_set1_epi8(static_cast<char>(lo - 1))),
                         _mm_cmplt_epi8(c, _mm_set1_epi8(static_cast<char>(hi + 1))));
  };
  const __m128i upper = in_range('A', 'Z');                          // 0..25   = c - 65
  const __m128i lower = in_range('a', 'z');                          // 26..51  = c - 71
  const __m128i digit = in_range('0', '9');                          // 52..61  = c + 4
  const __m128i dash = _mm_cmpeq_epi8(c, _mm_set1_epi8('-'));        // 62 = c + 17
  const __m128i underscore = _mm_cmpeq_epi8(c, _mm_set1_epi8('_'));  // 63 = c - 32
  const __m128i valid =
      _mm_or_si128(_mm_or_si128(_mm_or_si128(upper, lower), digit), _mm_or_si128(dash, underscore));
  if (_mm_movemask_epi8(valid) != 0xffff) return false;
  const __m128i offset =
      _mm_or_si128(_mm_or_si128(_mm_and_si128(upper, _mm_set1_epi8(-65)),
                                _mm_and_si128(lower, _mm_set1_epi8(-71))),
                   _mm_or_si128(_mm_and_si128(digit, _mm_set1_epi8(4)),
                                _mm_or_si128(_mm_and_si128(dash, _mm_set1_epi8(17)),
                                             _mm_and_si128(underscore, _mm_set1_epi8(-32)))));
  const __m128i sextets = _mm_add_epi8(c, offset);
  // Each 16-bit lane: first * 64 + second; each 32-bit lane: first pair * 4096 + second pair.
  const __m128i pairs = _mm_maddubs_epi16(sextets, _mm_set1_epi32(0x01400140));
  const __m128i groups = _mm_madd_epi16(pairs, _mm_set1_epi32(0x00011000));
  // A lane holds its 24 bits little-endian; the output wants them most significant byte first.
  const __m128i ordered = _mm_shuffle_epi8(
      groups, _mm_setr_epi8(2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12, -1, -1, -1, -1));
  _mm_storeu_si128(reinterpret_cast<__m128i*>(out), ordered);
  return true;
}

// Whether this CPU has SSSE3, asked once. __builtin_cpu_init first: the answer may be needed
// before libgcc's own initialisation has run (a static initialiser decoding base64url).
bool have_ssse3() {
  static const bool yes = [] {
    __builtin_cpu_init();
    return __builtin_cpu_supports("ssse3") != 0;
  }();
  return yes;
}
#endif

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
  std::size_t i = 0;
#if defined(__x86_64__)
  // Sixteen characters at a time while sixteen bytes of output fit; a bad character leaves the
  // rest, from that block on, to the loop below, which finds and reports it.
  if (have_ssse3()) {
    for (; i + 16 <= whole && (o - out.data()) + 16 <= static_cast<std::ptrdiff_t>(out.size());
         i += 16, o += 12) {
      if (!decode16(in + i, o)) break;
    }
  }
#endif
  for (; i < whole; i += 4) {
    const std::uint32_t v =
        kGroup0[in[i]] | kGroup1[in[i + 1]] | kGroup2[in[i + 2]] | kGroup3[in[i + 3]];
    seen |= v;
    *o++ = static_cast<std::uint8_t>(v >> 16);
    *o++ = static_cast<std::uint8_t>(v >> 8);
    *o++ = static_cast<std::uint8_t>(v);
  }
  const std::size_t rest = text.size() - whole;  // 0, 2 or 3 characters
  std::uint32_t v = 0;
  for (std::size_t k = 0; k < rest; ++k) {
    const std::uint8_t x = kTable[in[whole + k]];
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
