#include "keys/key_encryption_key.hpp"

#include <cctype>
#include <cstdint>
#include <optional>

#include <openssl/crypto.h>

#include "jose/base64url.hpp"
#include "jose/json_reader.hpp"
#include "jose/jwe_dir.hpp"
#include "jose/sha256.hpp"

namespace sg::keys {

struct KeyEncryptionKey::Bytes {
  std::array<unsigned char, 32> key{};
  Bytes() = default;
  Bytes(const Bytes&) = delete;
  Bytes& operator=(const Bytes&) = delete;
  ~Bytes() { OPENSSL_cleanse(key.data(), key.size()); }
};

namespace {

constexpr std::string_view kHowTo =
    "tokens.key_encryption_key must be 32 random bytes written as base64 or 64 hex digits; make "
    "one with `openssl rand -base64 32`";

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

int base64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+' || c == '-') return 62;
  if (c == '/' || c == '_') return 63;
  return -1;
}

// Decodes 64 hex digits into `out`.
bool decode_hex(std::string_view text, std::array<unsigned char, 32>& out) {
  if (text.size() != 64) return false;
  for (std::size_t i = 0; i < 32; ++i) {
    const int hi = hex_value(text[2 * i]);
    const int lo = hex_value(text[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    out[i] = static_cast<unsigned char>(hi * 16 + lo);
  }
  return true;
}

// Decodes base64 of exactly 32 bytes (43 characters, then an optional "=") into `out`.
bool decode_base64(std::string_view text, std::array<unsigned char, 32>& out) {
  if (text.size() == 44 && text.back() == '=') text.remove_suffix(1);
  if (text.size() != 43) return false;
  std::uint32_t acc = 0;
  int bits = 0;
  std::size_t n = 0;
  for (char c : text) {
    const int v = base64_value(c);
    if (v < 0) return false;
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[n++] = static_cast<unsigned char>((acc >> bits) & 0xFF);
    }
  }
  // 43 characters carry 258 bits: 32 bytes and two unused bits, which must be zero.
  return n == 32 && (acc & ((1u << bits) - 1)) == 0;
}

std::string id_of(const std::array<unsigned char, 32>& key) {
  const jose::Sha256Digest digest =
      jose::sha256({std::string_view(reinterpret_cast<const char*>(key.data()), key.size())});
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id = "kek-";
  for (std::size_t i = 0; i < 8; ++i) {
    id += kHex[digest[i] >> 4];
    id += kHex[digest[i] & 0x0F];
  }
  return id;
}

// The `kid` of a sealed value's protected header, read without decrypting (unauthenticated: only
// for choosing the error message).
std::optional<std::string> sealed_kid(std::string_view sealed) {
  const std::size_t dot = sealed.find('.');
  if (dot == std::string_view::npos || dot > 4096) return std::nullopt;
  Result<jose::Bytes> json = jose::base64url_decode(sealed.substr(0, dot));
  if (!json) return std::nullopt;
  Result<boost::json::object> header =
      jose::parse_strict_object(jose::as_chars(*json), jose::JsonLimits{4096, 8}, "JWE header");
  if (!header) return std::nullopt;
  const boost::json::value* kid = header->if_contains("kid");
  if (kid == nullptr || !kid->is_string()) return std::nullopt;
  return std::string(kid->as_string());
}

}  // namespace

KeyEncryptionKey::KeyEncryptionKey(std::shared_ptr<const Bytes> bytes)
    : bytes_(std::move(bytes)), id_(id_of(bytes_->key)) {}

Result<KeyEncryptionKey> KeyEncryptionKey::from_secret(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  auto bytes = std::make_shared<Bytes>();
  if (!decode_hex(text, bytes->key) && !decode_base64(text, bytes->key)) {
    return make_error(Errc::kInvalidConfig, std::string(kHowTo));
  }
  return KeyEncryptionKey(std::move(bytes));
}

Result<std::string> KeyEncryptionKey::seal(std::string_view plaintext,
                                           std::string_view binding) const {
  boost::json::object header{{"kid", id_}, {"sg_key", binding}};
  return jose::encrypt_dir_a256gcm(bytes_->key, header, plaintext);
}

Result<std::string> KeyEncryptionKey::open(std::string_view sealed,
                                           std::string_view binding) const {
  const std::optional<std::string> kid = sealed_kid(sealed);
  if (!kid) return make_error(Errc::kInternal, "the sealed key is not a readable JWE");
  if (*kid != id_) {
    // The kid is printed only if it looks like one of ours (it is read before authentication).
    const bool printable = kid->size() == 20 && kid->starts_with("kek-") &&
                           kid->find_first_not_of("0123456789abcdef", 4) == std::string::npos;
    return make_error(Errc::kInvalidConfig, "keys were encrypted with key-encryption key " +
                                                (printable ? *kid : std::string("(unknown)")) +
                                                ", not " + id_);
  }
  Result<jose::DirJwe> opened = jose::decrypt_dir_a256gcm(bytes_->key, sealed);
  if (!opened) {
    return make_error(Errc::kInternal,
                      "the sealed key cannot be opened: " + opened.error().message);
  }
  const boost::json::value* bound = opened->header.if_contains("sg_key");
  if (bound == nullptr || !bound->is_string() || bound->as_string() != binding) {
    OPENSSL_cleanse(opened->plaintext.data(), opened->plaintext.size());
    return make_error(Errc::kInternal, "sealed key belongs to another row");
  }
  return std::move(opened->plaintext);
}

bool is_sealed(std::string_view stored) {
  return !stored.starts_with("-----") && stored.find('.') != std::string_view::npos;
}

}  // namespace sg::keys
