#include "identity/backstage_userinfo.hpp"

#include <utility>

#include "identity/claim_mapping.hpp"
#include "identity/token_hash.hpp"
#include "jose/json_reader.hpp"

namespace sg::identity {
namespace {

Error unavailable(std::string why) {
  return make_error(Errc::kIssuerUnavailable,
                    "cannot read the user's ownership from Backstage userinfo: " + std::move(why));
}

}  // namespace

BackstageUserinfo::BackstageUserinfo(std::string url, Fetcher& fetcher, FetchOptions options,
                                     std::size_t capacity)
    : url_(std::move(url)), fetcher_(fetcher), options_(std::move(options)), cache_(capacity) {}

Result<std::vector<std::string>> BackstageUserinfo::ownership(std::string_view token,
                                                              const std::string& sub, Time expires,
                                                              Time now) {
  const TokenHash key = token_hash(token);
  if (auto hit = cache_.get(key, now)) return *hit;
  auto refs = fetch(token, sub);
  if (!refs.ok()) return refs.error();
  cache_.put(key, std::make_shared<const std::vector<std::string>>(*refs), expires);
  return refs;
}

Result<std::vector<std::string>> BackstageUserinfo::fetch(std::string_view token,
                                                          const std::string& sub) const {
  FetchOptions options = options_;
  options.headers.emplace_back("Authorization", "Bearer " + std::string(token));
  auto resp = fetcher_.get(url_, options);
  if (!resp.ok()) return unavailable(resp.error().message);
  if (resp->status != 200) {
    return unavailable(url_ + " answered HTTP " + std::to_string(resp->status));
  }
  auto doc = jose::parse_strict_object(resp->body, {options_.max_bytes, 32}, "userinfo",
                                       Errc::kInvalidArgument);
  if (!doc.ok()) return unavailable(doc.error().message);
  const auto* claims = doc->if_contains("claims");
  if (claims == nullptr || !claims->is_object()) return unavailable("the answer has no claims");
  const auto* got_sub = claims->get_object().if_contains("sub");
  if (got_sub == nullptr || !got_sub->is_string() || got_sub->get_string() != sub) {
    return unavailable("the answer is for another user");
  }
  const auto* ent = claims->get_object().if_contains("ent");
  if (ent == nullptr) return std::vector<std::string>{};
  if (!ent->is_array()) return unavailable("claims.ent is not a list");
  return string_list(ent);
}

}  // namespace sg::identity
