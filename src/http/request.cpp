#include "http/request.hpp"

#include <strings.h>

namespace sg::http {

std::optional<std::string_view> Request::header(std::string_view name) const {
  for (const Header& h : headers) {
    if (h.name.size() == name.size() &&
        ::strncasecmp(h.name.data(), name.data(), name.size()) == 0) {
      return h.value;
    }
  }
  return std::nullopt;
}

std::string_view Request::param(std::string_view name) const {
  for (const auto& [k, v] : params) {
    if (k == name) return v;
  }
  return {};
}

}  // namespace sg::http
