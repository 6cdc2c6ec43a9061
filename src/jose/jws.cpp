#include "jose/jws.hpp"

#include <array>
#include <cstdint>
#include <string>

#include "jose/base64url.hpp"

namespace sg::jose {
namespace {

Error malformed(std::string what) {
  return make_error(Errc::kMalformedToken, std::move(what));
}

// Character classes of a compact JWS: 0 outside A-Z a-z 0-9 - _ . (rule 1), 1 for the base64url
// alphabet, 2 for the dot.
constexpr std::array<std::uint8_t, 256> make_token_chars() {
  std::array<std::uint8_t, 256> t{};
  for (int c = 'A'; c <= 'Z'; ++c)
    t[static_cast<std::size_t>(c)] = 1;
  for (int c = 'a'; c <= 'z'; ++c)
    t[static_cast<std::size_t>(c)] = 1;
  for (int c = '0'; c <= '9'; ++c)
    t[static_cast<std::size_t>(c)] = 1;
  t['-'] = 1;
  t['_'] = 1;
  t['.'] = 2;
  return t;
}

constexpr std::array<std::uint8_t, 256> kTokenChars = make_token_chars();

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
  std::size_t dots = 0;
  std::array<std::size_t, 2> at{};  // positions of the first two dots
  bool outside = false;
  for (std::size_t i = 0; i < token.size(); ++i) {
    const std::uint8_t cls = kTokenChars[static_cast<unsigned char>(token[i])];
    outside |= cls == 0;
    if (cls == 2) {
      if (dots < at.size()) at[dots] = i;
      ++dots;
    }
  }
  if (outside) {
    return malformed("token contains a character outside A-Z a-z 0-9 - _ . (not a compact JWS)");
  }
  if (dots == 4) return malformed("token has five segments (JWE); only JWS is accepted");
  if (dots != 2) return malformed("token does not have exactly three segments");
  const std::size_t d1 = at[0];
  const std::size_t d2 = at[1];
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
