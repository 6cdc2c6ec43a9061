#include "jose/jwe_dir.hpp"

#include <array>
#include <memory>
#include <vector>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <boost/json/serialize.hpp>

#include "jose/base64url.hpp"
#include "jose/json_reader.hpp"
#include "jose/ossl.hpp"

namespace sg::jose {
namespace {

constexpr std::size_t kIvBytes = 12;
constexpr std::size_t kTagBytes = 16;
constexpr std::size_t kMaxHeaderBytes = 4 * 1024;

struct CipherCtxFree {
  void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree>;

Error malformed(std::string message) {
  return make_error(Errc::kMalformedToken, "encrypted value: " + std::move(message));
}

const unsigned char* uchars(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

// Splits `compact` at its dots; false unless there are exactly five parts.
bool split5(std::string_view compact, std::array<std::string_view, 5>& parts) {
  std::size_t start = 0;
  for (std::size_t i = 0; i < 5; ++i) {
    const std::size_t dot = compact.find('.', start);
    if (i < 4) {
      if (dot == std::string_view::npos) return false;
      parts[i] = compact.substr(start, dot - start);
      start = dot + 1;
    } else {
      if (dot != std::string_view::npos) return false;
      parts[i] = compact.substr(start);
    }
  }
  return true;
}

}  // namespace

Result<std::string> encrypt_dir_a256gcm(std::span<const unsigned char, 32> key,
                                        const boost::json::object& extra_header,
                                        std::string_view plaintext) {
  if (extra_header.contains("alg") || extra_header.contains("enc")) {
    return make_error(Errc::kInvalidArgument, "the extra JWE header must not name alg or enc");
  }
  boost::json::object header{{"alg", "dir"}, {"enc", "A256GCM"}};
  for (const auto& member : extra_header)
    header[member.key()] = member.value();
  const std::string protected_b64 = base64url_encode(boost::json::serialize(header));
  // Five segments of base64url: the ciphertext grows by a third.
  if (protected_b64.size() > kMaxHeaderBytes * 4 / 3 + 4 ||
      protected_b64.size() + (plaintext.size() * 4 + 2) / 3 + 48 > kMaxDirJweBytes) {
    return make_error(Errc::kInvalidArgument, "the value to encrypt is too large");
  }

  std::array<unsigned char, kIvBytes> iv{};
  if (RAND_bytes(iv.data(), static_cast<int>(iv.size())) != 1) {
    ossl::clear_errors();
    return make_error(Errc::kInternal, "random IV generation failed");
  }
  std::string ciphertext(plaintext.size(), '\0');
  std::array<unsigned char, kTagBytes> tag{};
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  int aad_len = 0;
  int final_len = 0;
  auto* out = reinterpret_cast<unsigned char*>(ciphertext.data());
  if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, kIvBytes, nullptr) != 1 ||
      EVP_EncryptInit_ex(ctx.get(), nullptr, nullptr, key.data(), iv.data()) != 1 ||
      EVP_EncryptUpdate(ctx.get(), nullptr, &aad_len, uchars(protected_b64),
                        static_cast<int>(protected_b64.size())) != 1 ||
      EVP_EncryptUpdate(ctx.get(), out, &len, uchars(plaintext),
                        static_cast<int>(plaintext.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx.get(), out + len, &final_len) != 1 ||
      static_cast<std::size_t>(len + final_len) != plaintext.size() ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagBytes, tag.data()) != 1) {
    ossl::clear_errors();
    return make_error(Errc::kInternal, "AES-256-GCM encryption failed");
  }
  std::string out_text = protected_b64;
  out_text += "..";
  out_text += base64url_encode(Bytes(iv.begin(), iv.end()));
  out_text += '.';
  out_text += base64url_encode(ciphertext);
  out_text += '.';
  out_text += base64url_encode(Bytes(tag.begin(), tag.end()));
  return out_text;
}

Result<DirJwe> decrypt_dir_a256gcm(std::span<const unsigned char, 32> key,
                                   std::string_view compact) {
  if (compact.size() > kMaxDirJweBytes) return malformed("longer than 64 KiB");
  std::array<std::string_view, 5> parts;
  if (!split5(compact, parts)) return malformed("not a compact JWE (five segments)");
  if (!parts[1].empty()) return malformed("the encrypted-key segment must be empty for dir");
  if (parts[0].empty() || parts[2].empty() || parts[4].empty()) {
    return malformed("an empty header, IV or tag segment");
  }
  if (parts[0].size() > kMaxHeaderBytes) return malformed("the header is too large");

  Result<Bytes> header_json = base64url_decode(parts[0]);
  if (!header_json) return malformed("header: " + header_json.error().message);
  Result<boost::json::object> header =
      parse_strict_object(as_chars(*header_json), JsonLimits{kMaxHeaderBytes, 8}, "JWE header");
  if (!header) return malformed(header.error().message);
  const boost::json::value* alg = header->if_contains("alg");
  const boost::json::value* enc = header->if_contains("enc");
  if (alg == nullptr || !alg->is_string() || alg->as_string() != "dir") {
    return malformed("alg must be \"dir\"");
  }
  if (enc == nullptr || !enc->is_string() || enc->as_string() != "A256GCM") {
    return malformed("enc must be \"A256GCM\"");
  }
  if (header->contains("zip") || header->contains("crit")) {
    return malformed("zip and crit are not supported");
  }

  Result<Bytes> iv = base64url_decode(parts[2]);
  if (!iv) return malformed("IV: " + iv.error().message);
  if (iv->size() != kIvBytes) return malformed("the IV must be 12 bytes");
  Result<Bytes> ciphertext = base64url_decode(parts[3]);
  if (!ciphertext) return malformed("ciphertext: " + ciphertext.error().message);
  Result<Bytes> tag = base64url_decode(parts[4]);
  if (!tag) return malformed("tag: " + tag.error().message);
  if (tag->size() != kTagBytes) return malformed("the tag must be 16 bytes");

  std::string plaintext(ciphertext->size(), '\0');
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  int aad_len = 0;
  auto* out = reinterpret_cast<unsigned char*>(plaintext.data());
  if (!ctx || EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, kIvBytes, nullptr) != 1 ||
      EVP_DecryptInit_ex(ctx.get(), nullptr, nullptr, key.data(), iv->data()) != 1 ||
      EVP_DecryptUpdate(ctx.get(), nullptr, &aad_len, uchars(parts[0]),
                        static_cast<int>(parts[0].size())) != 1 ||
      EVP_DecryptUpdate(ctx.get(), out, &len, ciphertext->data(),
                        static_cast<int>(ciphertext->size())) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagBytes, tag->data()) != 1) {
    ossl::clear_errors();
    return make_error(Errc::kInternal, "AES-256-GCM decryption failed");
  }
  int final_len = 0;
  if (EVP_DecryptFinal_ex(ctx.get(), out + len, &final_len) != 1) {
    ossl::clear_errors();
    OPENSSL_cleanse(plaintext.data(), plaintext.size());
    return make_error(Errc::kBadSignature, "cannot decrypt: wrong key or altered data");
  }
  plaintext.resize(static_cast<std::size_t>(len + final_len));
  return DirJwe{std::move(*header), std::move(plaintext)};
}

}  // namespace sg::jose
