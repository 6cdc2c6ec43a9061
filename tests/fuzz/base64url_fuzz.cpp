// Fuzz target: jose/base64url (strict unpadded base64url, RFC 4648 §5).
//
// Checks, for arbitrary bytes x:
// - decode(x) either fails with kMalformedToken or succeeds; on success x has a length that is not
//   1 mod 4, uses only the base64url alphabet, decodes to exactly floor(3·|x|/4) bytes, and
//   encode(decode(x)) == x (both encode overloads) — the decoder accepts one encoding per byte
//   string, so no token can be re-spelled past a cache or deny-list;
// - encode(x) has length ceil(4·|x|/3) and decode(encode(x)) == x;
// - ASan/UBSan find nothing in either direction.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.hpp"
#include "jose/base64url.hpp"

namespace {

bool base64url_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace sg::jose;
  const std::string_view text = sg::fuzz::as_text(data, size);

  const auto decoded = base64url_decode(text);
  if (decoded.ok()) {
    SG_FUZZ_CHECK(size % 4 != 1);
    for (const char c : text)
      SG_FUZZ_CHECK(base64url_char(c));
    SG_FUZZ_CHECK(decoded->size() == size * 3 / 4);
    SG_FUZZ_CHECK(base64url_encode(*decoded) == text);
    SG_FUZZ_CHECK(base64url_encode(as_chars(*decoded)) == text);
  } else {
    SG_FUZZ_CHECK(decoded.code() == sg::Errc::kMalformedToken);
    SG_FUZZ_CHECK(!decoded.error().message.empty());
  }

  const std::string encoded = base64url_encode(text);
  SG_FUZZ_CHECK(encoded.size() == (size * 4 + 2) / 3);
  const auto round_trip = base64url_decode(encoded);
  SG_FUZZ_CHECK(round_trip.ok());
  SG_FUZZ_CHECK(as_chars(*round_trip) == text);
  return 0;
}
