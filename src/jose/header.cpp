#include "jose/header.hpp"

#include <array>
#include <cstddef>

#include "jose/json_reader.hpp"
#include "jose/printable.hpp"

namespace sg::jose {
namespace {

Error malformed(std::string what) {
  return make_error(Errc::kMalformedToken, std::move(what));
}

// Extensions stackgate does not implement; RFC 7515 requires refusing an unknown `crit`, and RFC
// 7797 forbids `b64` in JWTs. `zip` and `enc` belong to JWE.
constexpr std::array<std::string_view, 4> kUnsupported = {"crit", "b64", "zip", "enc"};
// Keys or key locations chosen by whoever made the token.
constexpr std::array<std::string_view, 4> kEmbeddedKeys = {"jwk", "jku", "x5u", "x5c"};
// The members whose values the rules read.
constexpr std::array<std::string_view, 4> kRead = {"alg", "cty", "kid", "typ"};

// The position of `name` in `names`, or N when it is not there.
template <std::size_t N>
std::size_t index_of(std::string_view name, const std::array<std::string_view, N>& names) {
  for (std::size_t i = 0; i < N; ++i) {
    if (name == names[i]) return i;
  }
  return N;
}

// The members of one header that the rules look at, recorded during the strict scan of it.
class Members final : public JsonVisitor {
 public:
  struct Read {
    bool present = false;
    bool is_string = false;
    std::string value;  // when is_string
  };
  std::array<Read, kRead.size()> read{};  // by position in kRead
  std::array<bool, kUnsupported.size()> unsupported{};
  std::array<bool, kEmbeddedKeys.size()> embedded_key{};

  void member(std::string_view name, const JsonValue& value) override {
    if (const std::size_t i = index_of(name, kRead); i < kRead.size()) {
      read[i].present = true;
      read[i].is_string = value.kind == JsonValue::Kind::kString;
      if (read[i].is_string) read[i].value.assign(value.string);
    } else if (const std::size_t j = index_of(name, kUnsupported); j < kUnsupported.size()) {
      unsupported[j] = true;
    } else if (const std::size_t k = index_of(name, kEmbeddedKeys); k < kEmbeddedKeys.size()) {
      embedded_key[k] = true;
    }
  }
  void element(std::string_view, const JsonValue&) override {}
};

// The string value of a member of kRead; nullopt when absent.
Result<std::optional<std::string_view>> optional_string(const Members& members,
                                                        std::string_view name) {
  const Members::Read& v = members.read[index_of(name, kRead)];
  if (!v.present) return std::optional<std::string_view>{};
  if (!v.is_string) return malformed("header member " + std::string(name) + " is not a string");
  return std::optional<std::string_view>(v.value);
}

// The string value of a member of kRead, moved out of `members`; nullopt when absent. Only for
// members optional_string has accepted.
std::optional<std::string> take(Members& members, std::string_view name) {
  Members::Read& v = members.read[index_of(name, kRead)];
  if (!v.present) return std::nullopt;
  return std::move(v.value);
}

constexpr std::string_view kApplication = "application/";

char ascii_lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c;
}

// The i-th character of normalize_media_type(value), where `prefix` is "application/" or empty.
char normalized_at(std::string_view prefix, std::string_view value, std::size_t i) {
  return i < prefix.size() ? prefix[i] : ascii_lower(value[i - prefix.size()]);
}

}  // namespace

std::string normalize_media_type(std::string_view value) {
  std::string out;
  if (value.find('/') == std::string_view::npos) out = kApplication;
  for (const char c : value)
    out.push_back(ascii_lower(c));
  return out;
}

bool same_media_type(std::string_view a, std::string_view b) {
  const std::string_view prefix_a = a.find('/') == std::string_view::npos ? kApplication : "";
  const std::string_view prefix_b = b.find('/') == std::string_view::npos ? kApplication : "";
  const std::size_t size = prefix_a.size() + a.size();
  if (size != prefix_b.size() + b.size()) return false;
  for (std::size_t i = 0; i < size; ++i) {
    if (normalized_at(prefix_a, a, i) != normalized_at(prefix_b, b, i)) return false;
  }
  return true;
}

Result<JoseHeader> parse_header(std::string_view header_json) {
  Members members;
  if (auto s = scan_strict_object(header_json, JsonLimits{}, "header", members); !s.ok()) {
    return s.error();
  }
  JoseHeader h;

  auto alg = optional_string(members, "alg");
  if (!alg.ok()) return alg.error();
  if (!alg->has_value()) return malformed("header has no alg");
  if (**alg == "none") {
    return make_error(Errc::kDisallowedAlgorithm, "alg none (unsecured JWS) is never accepted");
  }
  const std::optional<Algorithm> parsed = algorithm_from_name(**alg);
  if (!parsed) {
    return make_error(Errc::kDisallowedAlgorithm,
                      "alg \"" + detail::printable(**alg) + "\" is not supported");
  }
  h.alg = *parsed;

  for (std::size_t i = 0; i < kUnsupported.size(); ++i) {
    if (members.unsupported[i]) {
      return malformed("header member " + std::string(kUnsupported[i]) + " is not supported");
    }
  }
  for (std::size_t i = 0; i < kEmbeddedKeys.size(); ++i) {
    if (members.embedded_key[i]) {
      return malformed("header member " + std::string(kEmbeddedKeys[i]) +
                       " is refused: keys come only from the issuer's trusted key set");
    }
  }

  auto cty = optional_string(members, "cty");
  if (!cty.ok()) return cty.error();
  if (cty->has_value() && same_media_type(**cty, "application/jwt")) {
    return malformed("header cty JWT (nested token) is not accepted");
  }

  auto kid = optional_string(members, "kid");
  if (!kid.ok()) return kid.error();
  if (kid->has_value() && (*kid)->empty()) return malformed("header kid is empty");
  h.kid = take(members, "kid");

  auto typ = optional_string(members, "typ");
  if (!typ.ok()) return typ.error();
  h.typ = take(members, "typ");
  return h;
}

}  // namespace sg::jose
