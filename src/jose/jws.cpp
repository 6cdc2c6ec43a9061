#include "jose/jws.hpp"

#include <algorithm>
#include <cstddef>
#include <string>

#include "jose/base64url.hpp"

namespace sg::jose {
namespace {

Error malformed(std::string what) {
  return make_error(Errc::kMalformedToken, std::move(what));
}

// Whether `c` may appear in a compact JWS (rule 1): A-Z a-z 0-9 - _ and the dot.
constexpr bool token_char(unsigned char c) {
  const auto letter = static_cast<unsigned char>((c | 0x20) - 'a');  // folds 'A'-'Z' onto 'a'-'z'
  const auto digit = static_cast<unsigned char>(c - '0');
  return letter < 26 || digit < 10 || c == '-' || c == '_' || c == '.';
}

// Counts the dots in `token` and sets `outside` when a character fails token_char. Comparisons
// instead of a table and byte-sized counters per block of at most 255 bytes let the compiler
// vectorise the loop, which runs over every byte of every token.
std::size_t scan_token(std::string_view token, bool& outside) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(token.data());
  const std::size_t n = token.size();
  unsigned char bad = 0;
  std::size_t dots = 0;
  for (std::size_t i = 0; i < n;) {
    const std::size_t end = std::min(n, i + 255);
    unsigned char block_dots = 0;
    for (; i < end; ++i) {
      bad |= static_cast<unsigned char>(!token_char(bytes[i]));
      block_dots += static_cast<unsigned char>(bytes[i] == '.');
    }
    dots += block_dots;
  }
  outside = bad != 0;
  return dots;
}

Result<Bytes> decode_segment(std::string_view text, std::string_view name) {
  auto bytes = base64url_decode(text);
  if (!bytes.ok()) return malformed(std::string(name) + " segment: " + bytes.error().message);
  return std::move(bytes).value();
}

}  // namespace

Result<CompactParts> split_compact(std::string_view token) {
  if (token.size() > kMaxTokenBytes) {
    return malformed("token is longer than " + std::to_string(kMaxTokenBytes) + " bytes");
  }
  if (token.empty()) return malformed("token is empty");
  bool outside = false;
  const std::size_t dots = scan_token(token, outside);
  if (outside) {
    return malformed("token contains a character outside A-Z a-z 0-9 - _ . (not a compact JWS)");
  }
  if (dots == 4) return malformed("token has five segments (JWE); only JWS is accepted");
  if (dots != 2) return malformed("token does not have exactly three segments");
  const std::size_t d1 = token.find('.');
  const std::size_t d2 = token.find('.', d1 + 1);
  CompactParts p;
  p.header = token.substr(0, d1);
  p.payload = token.substr(d1 + 1, d2 - d1 - 1);
  p.signature = token.substr(d2 + 1);
  p.signing_input = token.substr(0, d2);
  if (p.header.empty()) return malformed("token header segment is empty");
  if (p.payload.empty()) return malformed("token payload segment is empty");
  return p;
}

Result<ParsedJws> parse_compact_jws(std::string_view token) {
  auto parts = split_compact(token);
  if (!parts.ok()) return parts.error();
  auto header_bytes = decode_segment(parts->header, "header");
  if (!header_bytes.ok()) return header_bytes.error();
  auto payload = decode_segment(parts->payload, "payload");
  if (!payload.ok()) return payload.error();
  auto signature = decode_segment(parts->signature, "signature");
  if (!signature.ok()) return signature.error();
  auto header = parse_header(as_chars(*header_bytes));
  if (!header.ok()) return header.error();
  return ParsedJws{*parts, std::move(header).value(), std::move(payload).value(),
                   std::move(signature).value()};
}

}  // namespace sg::jose
