#include "common/printable_url.hpp"

#include <algorithm>
#include <cstddef>

namespace sg {
namespace {

constexpr std::size_t kMaxUrlInMessage = 200;

}  // namespace

std::string printable_url(std::string_view url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return "(an invalid URL)";
  const std::size_t authority_begin = scheme_end + 3;
  std::size_t authority_end = url.find_first_of("/?#", authority_begin);
  if (authority_end == std::string_view::npos) authority_end = url.size();
  std::string_view authority = url.substr(authority_begin, authority_end - authority_begin);
  if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
    authority.remove_prefix(at + 1);
  }
  std::size_t path_end = url.find_first_of("?#", authority_end);
  if (path_end == std::string_view::npos) path_end = url.size();
  std::string out(url.substr(0, authority_begin));
  out += authority;
  out += url.substr(authority_end, path_end - authority_end);
  if (out.size() > kMaxUrlInMessage) out = out.substr(0, kMaxUrlInMessage) + "…";
  std::ranges::replace_if(
      out, [](unsigned char c) { return c < 0x20 || c == 0x7f; }, '?');
  return out;
}

}  // namespace sg
