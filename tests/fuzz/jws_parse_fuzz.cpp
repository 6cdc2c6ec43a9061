// Fuzz target: compact JWS parsing — split_compact, parse_compact_jws and decode_unverified.
//
// Each input is tried twice: as a token exactly as given, and (when it holds a '\n') as a token
// built from "header JSON \n payload \n signature" (see fuzz_support.hpp), which lets the fuzzer
// reach the header rules and the strict JSON reader. For every token it checks:
// - no function crashes or trips ASan/UBSan, and failures carry the documented codes
//   (split/decode_unverified: kMalformedToken; parse: kMalformedToken or kDisallowedAlgorithm);
// - split_compact: the parts are non-empty header/payload views of the token without '.', and
//   header.payload == signing_input, signing_input.signature == token, |token| <= kMaxTokenBytes;
// - the three functions agree: parse ok => split ok and decode_unverified ok with the same header
//   JSON, payload and signature length; decode_unverified ok => split ok; split failing => both
//   others fail;
// - parse ok => the segments re-encode to the token's text, `alg` is a string naming header.alg,
//   `kid` (when present) is a non-empty string equal to header.kid, and no refused member (crit,
//   b64, zip, enc, jwk, jku, x5u, x5c) is present.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.hpp"
#include "jose/base64url.hpp"
#include "jose/inspect.hpp"
#include "jose/jws.hpp"

namespace {

using namespace sg::jose;
using sg::Errc;

constexpr std::array<std::string_view, 8> kRefusedMembers = {"crit", "b64", "zip", "enc",
                                                             "jwk",  "jku", "x5u", "x5c"};

bool is_within(std::string_view part, std::string_view whole) {
  return part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size();
}

void check_token(std::string_view token) {
  const auto split = split_compact(token);
  const auto parsed = parse_compact_jws(token);
  const auto unverified = decode_unverified(token);

  if (!split.ok()) {
    SG_FUZZ_CHECK(split.code() == Errc::kMalformedToken);
    SG_FUZZ_CHECK(!parsed.ok());
    SG_FUZZ_CHECK(!unverified.ok());
  } else {
    const CompactParts& p = *split;
    SG_FUZZ_CHECK(token.size() <= kMaxTokenBytes);
    SG_FUZZ_CHECK(!p.header.empty() && !p.payload.empty());
    for (const std::string_view part : {p.header, p.payload, p.signature}) {
      SG_FUZZ_CHECK(is_within(part, token));
      SG_FUZZ_CHECK(part.find('.') == std::string_view::npos);
    }
    SG_FUZZ_CHECK(std::string(p.header) + "." + std::string(p.payload) == p.signing_input);
    SG_FUZZ_CHECK(std::string(p.signing_input) + "." + std::string(p.signature) == token);
  }

  if (!parsed.ok()) {
    SG_FUZZ_CHECK(parsed.code() == Errc::kMalformedToken ||
                  parsed.code() == Errc::kDisallowedAlgorithm);
  } else {
    SG_FUZZ_CHECK(unverified.ok());
    const ParsedJws& jws = *parsed;
    SG_FUZZ_CHECK(base64url_encode(jws.payload) == jws.parts.payload);
    SG_FUZZ_CHECK(base64url_encode(jws.signature) == jws.parts.signature);
    // The parsed header agrees with the header as inspect.hpp decodes it without trusting it.
    const boost::json::object& header = unverified->unverified_header;
    const boost::json::value* alg = header.if_contains("alg");
    SG_FUZZ_CHECK(alg != nullptr && alg->is_string());
    SG_FUZZ_CHECK(alg->as_string() == algorithm_name(jws.header.alg));
    const boost::json::value* kid = header.if_contains("kid");
    SG_FUZZ_CHECK(jws.header.kid.has_value() == (kid != nullptr));
    if (jws.header.kid) {
      SG_FUZZ_CHECK(!jws.header.kid->empty());
      SG_FUZZ_CHECK(kid->is_string() && kid->as_string() == *jws.header.kid);
    }
    for (const std::string_view m : kRefusedMembers)
      SG_FUZZ_CHECK(!header.contains(m));
    const boost::json::value* typ = header.if_contains("typ");
    SG_FUZZ_CHECK(jws.header.typ.has_value() == (typ != nullptr));
    if (jws.header.typ) SG_FUZZ_CHECK(typ->is_string() && typ->as_string() == *jws.header.typ);
    SG_FUZZ_CHECK(unverified->unverified_payload == jws.payload);
    SG_FUZZ_CHECK(unverified->signature_bytes == jws.signature.size());
  }

  if (!unverified.ok()) {
    SG_FUZZ_CHECK(unverified.code() == Errc::kMalformedToken);
  } else {
    SG_FUZZ_CHECK(split.ok());
    SG_FUZZ_CHECK(base64url_encode(unverified->unverified_payload) == split->payload);
    SG_FUZZ_CHECK(unverified->signature_bytes == split->signature.size() * 3 / 4);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input = sg::fuzz::as_text(data, size);
  check_token(input);
  if (input.find('\n') != std::string_view::npos) check_token(sg::fuzz::token_from_parts(input));
  return 0;
}
