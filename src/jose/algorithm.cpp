#include "jose/algorithm.hpp"

#include <array>

namespace sg::jose {
namespace {

struct AlgInfo {
  Algorithm alg;
  std::string_view name;
  KeyFamily family;
  Curve curve;
  std::size_t digest;
  std::string_view digest_name;
};

constexpr std::array<AlgInfo, 13> kAlgs = {{
    {Algorithm::kRS256, "RS256", KeyFamily::kRsa, Curve::kNone, 32, "SHA256"},
    {Algorithm::kRS384, "RS384", KeyFamily::kRsa, Curve::kNone, 48, "SHA384"},
    {Algorithm::kRS512, "RS512", KeyFamily::kRsa, Curve::kNone, 64, "SHA512"},
    {Algorithm::kPS256, "PS256", KeyFamily::kRsa, Curve::kNone, 32, "SHA256"},
    {Algorithm::kPS384, "PS384", KeyFamily::kRsa, Curve::kNone, 48, "SHA384"},
    {Algorithm::kPS512, "PS512", KeyFamily::kRsa, Curve::kNone, 64, "SHA512"},
    {Algorithm::kES256, "ES256", KeyFamily::kEc, Curve::kP256, 32, "SHA256"},
    {Algorithm::kES384, "ES384", KeyFamily::kEc, Curve::kP384, 48, "SHA384"},
    {Algorithm::kES512, "ES512", KeyFamily::kEc, Curve::kP521, 64, "SHA512"},
    {Algorithm::kEdDSA, "EdDSA", KeyFamily::kOkp, Curve::kEd25519, 64, ""},
    {Algorithm::kHS256, "HS256", KeyFamily::kOct, Curve::kNone, 32, "SHA256"},
    {Algorithm::kHS384, "HS384", KeyFamily::kOct, Curve::kNone, 48, "SHA384"},
    {Algorithm::kHS512, "HS512", KeyFamily::kOct, Curve::kNone, 64, "SHA512"},
}};

const AlgInfo& info(Algorithm alg) {
  return kAlgs[static_cast<std::size_t>(alg)];
}

}  // namespace

std::string_view algorithm_name(Algorithm alg) {
  return info(alg).name;
}

std::optional<Algorithm> algorithm_from_name(std::string_view name) {
  for (const AlgInfo& a : kAlgs) {
    if (a.name == name) return a.alg;
  }
  return std::nullopt;
}

const std::vector<Algorithm>& all_algorithms() {
  static const std::vector<Algorithm> all = [] {
    std::vector<Algorithm> v;
    for (const AlgInfo& a : kAlgs)
      v.push_back(a.alg);
    return v;
  }();
  return all;
}

KeyFamily key_family(Algorithm alg) {
  return info(alg).family;
}
Curve required_curve(Algorithm alg) {
  return info(alg).curve;
}
std::size_t digest_size(Algorithm alg) {
  return info(alg).digest;
}
std::string_view digest_name(Algorithm alg) {
  return info(alg).digest_name;
}

std::string_view curve_name(Curve curve) {
  switch (curve) {
    case Curve::kP256:
      return "P-256";
    case Curve::kP384:
      return "P-384";
    case Curve::kP521:
      return "P-521";
    case Curve::kEd25519:
      return "Ed25519";
    case Curve::kNone:
      break;
  }
  return "";
}

std::optional<Curve> curve_from_name(std::string_view name) {
  for (const Curve c : {Curve::kP256, Curve::kP384, Curve::kP521, Curve::kEd25519}) {
    if (curve_name(c) == name) return c;
  }
  return std::nullopt;
}

std::size_t curve_field_size(Curve curve) {
  switch (curve) {
    case Curve::kP256:
      return 32;
    case Curve::kP384:
      return 48;
    case Curve::kP521:
      return 66;
    case Curve::kEd25519:
      return 32;
    case Curve::kNone:
      break;
  }
  return 0;
}

std::string_view key_family_name(KeyFamily family) {
  switch (family) {
    case KeyFamily::kRsa:
      return "RSA";
    case KeyFamily::kEc:
      return "EC";
    case KeyFamily::kOkp:
      return "OKP";
    case KeyFamily::kOct:
      return "oct";
  }
  return "";
}

}  // namespace sg::jose
