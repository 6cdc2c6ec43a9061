#include "jose/jws.hpp"

#include <string>

#include "jose/base64url.hpp"

namespace sg::jose {
namespace {

Error malformed(std::string what) {
  return make_error(Errc::kMalformedToken, std::move(what));
}

bool token_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.';
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
  std::size_t dots = 0;
  for (const char c : token) {
    if (!token_char(c)) {
      return malformed("token contains a character outside A-Z a-z 0-9 - _ . (not a compact JWS)");
    }
    if (c == '.') ++dots;
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
