// Compact JWS parsing (jose-rules.md steps 1-3): bounds, shape, alphabet, strict base64url, header.
//
// split_compact checks only the shape of the text; parse_compact_jws also decodes every segment and
// applies the header rules. Neither verifies anything: a ParsedJws is untrusted until verify.hpp
// has checked its signature. The views in the results point into the caller's token, which must
// outlive them. Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <string_view>

#include "common/result.hpp"
#include "jose/bytes.hpp"
#include "jose/header.hpp"

namespace sg::jose {

inline constexpr std::size_t kMaxTokenBytes = 16 * 1024;

struct CompactParts {
  std::string_view header;  // base64url text of each segment
  std::string_view payload;
  std::string_view signature;
  std::string_view signing_input;  // "header.payload", the exact bytes that were signed
};

// Rule 1: at most kMaxTokenBytes; only A-Z a-z 0-9 - _ and '.'; exactly two dots (five segments,
// a JWE, are named as such); non-empty header and payload; the signature may be empty here and is
// refused later by its length check. Errors: kMalformedToken.
Result<CompactParts> split_compact(std::string_view token);

struct ParsedJws {
  CompactParts parts;
  JoseHeader header;
  Bytes payload;
  Bytes signature;
};

// split_compact, strict base64url for all three segments, then parse_header.
// Errors: kMalformedToken, kDisallowedAlgorithm.
Result<ParsedJws> parse_compact_jws(std::string_view token);

}  // namespace sg::jose
