#include "http/bearer.hpp"

#include <strings.h>

namespace sg::http {
namespace {

// token68 = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
bool is_token68(std::string_view t) {
  std::size_t i = 0;
  while (i < t.size()) {
    char c = t[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
    if (!ok) break;
    ++i;
  }
  if (i == 0) return false;
  while (i < t.size() && t[i] == '=')
    ++i;
  return i == t.size();
}

}  // namespace

Result<std::string_view> bearer_token(const Request& request) {
  const Header* found = nullptr;
  for (const Header& h : request.headers) {
    if (h.name.size() == 13 && ::strncasecmp(h.name.data(), "Authorization", 13) == 0) {
      if (found) return make_error(Errc::kMalformedToken, "more than one Authorization header");
      found = &h;
    }
  }
  if (!found) return make_error(Errc::kUnauthenticated, "a bearer token is required");
  std::string_view v = found->value;
  if (v.size() < 7 || ::strncasecmp(v.data(), "Bearer ", 7) != 0) {
    return make_error(Errc::kMalformedToken, "the Authorization header must use the Bearer scheme");
  }
  v.remove_prefix(7);
  while (!v.empty() && v.front() == ' ')
    v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t'))
    v.remove_suffix(1);
  if (!is_token68(v)) return make_error(Errc::kMalformedToken, "the bearer token is malformed");
  return v;
}

}  // namespace sg::http
