#include "http/api/form_body.hpp"

#include <strings.h>

namespace sg::http::api {
namespace {

constexpr std::string_view kForm = "application/x-www-form-urlencoded";

bool is_form(std::optional<std::string_view> content_type) {
  if (!content_type) return false;
  std::string_view v = content_type->substr(0, content_type->find(';'));
  while (!v.empty() && v.back() == ' ')
    v.remove_suffix(1);
  return v.size() == kForm.size() && ::strncasecmp(v.data(), kForm.data(), kForm.size()) == 0;
}

}  // namespace

Result<Query> parse_form_body(const Request& request) {
  if (!is_form(request.header("Content-Type"))) {
    return make_error(Errc::kInvalidArgument,
                      "the request body must be application/x-www-form-urlencoded");
  }
  return Query::parse(request.body);
}

}  // namespace sg::http::api
