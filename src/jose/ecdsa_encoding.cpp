#include "jose/ecdsa_encoding.hpp"

#include <algorithm>
#include <memory>
#include <string_view>

#include <openssl/bn.h>
#include <openssl/ec.h>

namespace sg::jose::detail {
namespace {

Bytes from_hex(std::string_view hex) {
  auto nibble = [](char c) -> std::uint8_t {
    return static_cast<std::uint8_t>(c <= '9' ? c - '0' : c - 'a' + 10);
  };
  Bytes out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<std::uint8_t>((nibble(hex[i]) << 4) | nibble(hex[i + 1])));
  }
  return out;
}

// The group orders n, big-endian, padded to the field size (SEC 2 / FIPS 186-4).
const Bytes& curve_order(Curve curve) {
  static const Bytes p256 =
      from_hex("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551");
  static const Bytes p384 = from_hex(
      "ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc"
      "52973");
  static const Bytes p521 = from_hex(
      "01ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc014"
      "8"
      "f709a5d03bb5c9b8899c47aebb6fb71e91386409");
  static const Bytes none;
  switch (curve) {
    case Curve::kP256:
      return p256;
    case Curve::kP384:
      return p384;
    case Curve::kP521:
      return p521;
    default:
      return none;
  }
}

// 1 <= v <= n-1 for big-endian v and n of the same length.
bool in_range(const std::uint8_t* v, const Bytes& n) {
  const bool zero = std::all_of(v, v + n.size(), [](std::uint8_t b) { return b == 0; });
  return !zero && std::lexicographical_compare(v, v + n.size(), n.begin(), n.end());
}

void append_length(Bytes& out, std::size_t len) {
  if (len < 0x80) {
    out.push_back(static_cast<std::uint8_t>(len));
  } else {  // at most 2 × 67 + 4 bytes, so one length octet suffices
    out.push_back(0x81);
    out.push_back(static_cast<std::uint8_t>(len));
  }
}

// DER INTEGER of a non-negative big-endian value: minimal, with a 0x00 when the top bit is set.
Bytes der_integer(const std::uint8_t* v, std::size_t size) {
  std::size_t i = 0;
  while (i + 1 < size && v[i] == 0)
    ++i;
  Bytes body;
  if (v[i] & 0x80) body.push_back(0x00);
  body.insert(body.end(), v + i, v + size);
  Bytes out{0x02};
  append_length(out, body.size());
  out.insert(out.end(), body.begin(), body.end());
  return out;
}

struct SigFree {
  void operator()(ECDSA_SIG* s) const { ECDSA_SIG_free(s); }
};

}  // namespace

Result<Bytes> ecdsa_raw_to_der(const Bytes& raw, Curve curve) {
  const Bytes& n = curve_order(curve);
  if (n.empty()) return make_error(Errc::kInternal, "not an ECDSA curve");
  if (raw.size() != 2 * n.size()) {
    return make_error(Errc::kBadSignature,
                      "ECDSA signature must be exactly " + std::to_string(2 * n.size()) +
                          " bytes (raw R||S), got " + std::to_string(raw.size()));
  }
  if (!in_range(raw.data(), n) || !in_range(raw.data() + n.size(), n)) {
    return make_error(Errc::kBadSignature, "ECDSA signature r or s is outside [1, n-1]");
  }
  const Bytes r = der_integer(raw.data(), n.size());
  const Bytes s = der_integer(raw.data() + n.size(), n.size());
  Bytes der{0x30};
  append_length(der, r.size() + s.size());
  der.insert(der.end(), r.begin(), r.end());
  der.insert(der.end(), s.begin(), s.end());
  return der;
}

Result<Bytes> ecdsa_der_to_raw(const Bytes& der, Curve curve) {
  const std::size_t size = curve_order(curve).size();
  const unsigned char* p = der.data();
  std::unique_ptr<ECDSA_SIG, SigFree> sig(
      d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size())));
  if (!sig || p != der.data() + der.size() || size == 0) {
    return make_error(Errc::kInternal, "OpenSSL produced an unexpected ECDSA signature");
  }
  Bytes raw(2 * size);
  if (BN_bn2binpad(ECDSA_SIG_get0_r(sig.get()), raw.data(), static_cast<int>(size)) < 0 ||
      BN_bn2binpad(ECDSA_SIG_get0_s(sig.get()), raw.data() + size, static_cast<int>(size)) < 0) {
    return make_error(Errc::kInternal, "ECDSA signature does not fit the curve");
  }
  return raw;
}

}  // namespace sg::jose::detail
