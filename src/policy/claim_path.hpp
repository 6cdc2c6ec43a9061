// Claim paths reach into a verified claims set: `groups`, `realm_access.roles`,
// `https://example.com/team`. Shared by identity's claim mapping and the policy's `claim.<path>`
// conditions and templates, so both read a claim the same way.
//
// A path is first looked up as one whole key (a claim name may contain dots), then split at a '.'
// into an object key and the rest of the path, each prefix tried in turn. Bounds: paths longer than
// kMaxClaimPathBytes never match; string values longer than kMaxClaimValueBytes are ignored (not
// truncated: a cut group name could name another group); arrays count only their first
// kMaxClaimListItems elements. Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

namespace sg::policy {

inline constexpr std::size_t kMaxClaimValueBytes = 1024;
inline constexpr std::size_t kMaxClaimListItems = 256;
inline constexpr std::size_t kMaxClaimPathBytes = 256;

// The value at `path` in `claims`, or nullptr.
const boost::json::value* find_claim(const boost::json::object& claims, std::string_view path);

// Calls f(std::string_view) for each scalar of `v` as text — a string (within the bound), `true` /
// `false`, an integer in decimal — or for each such element of an array; stops and returns true
// as soon as f does. Objects, nulls and non-integral numbers give nothing.
template <typename F>
bool any_claim_text(const boost::json::value* v, F&& f) {
  if (v == nullptr) return false;
  auto scalar = [&f](const boost::json::value& x) -> bool {
    switch (x.kind()) {
      case boost::json::kind::string: {
        const auto& s = x.get_string();
        return s.size() <= kMaxClaimValueBytes && f(std::string_view(s.data(), s.size()));
      }
      case boost::json::kind::bool_:
        return f(std::string_view(x.get_bool() ? "true" : "false"));
      case boost::json::kind::int64:
        return f(std::string_view(std::to_string(x.get_int64())));
      case boost::json::kind::uint64:
        return f(std::string_view(std::to_string(x.get_uint64())));
      default:
        return false;
    }
  };
  if (!v->is_array()) return scalar(*v);
  std::size_t n = 0;
  for (const auto& item : v->get_array()) {
    if (n++ == kMaxClaimListItems) break;
    if (scalar(item)) return true;
  }
  return false;
}

}  // namespace sg::policy
