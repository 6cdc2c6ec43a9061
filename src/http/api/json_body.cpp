#include "http/api/json_body.hpp"

#include <strings.h>

#include "jose/json_reader.hpp"

namespace sg::http::api {
namespace {

constexpr std::size_t kMaxDepth = 16;

bool is_json(std::optional<std::string_view> content_type) {
  if (!content_type) return false;
  std::string_view v = *content_type;
  std::size_t semi = v.find(';');
  v = v.substr(0, semi);
  while (!v.empty() && v.back() == ' ')
    v.remove_suffix(1);
  return v.size() == 16 && ::strncasecmp(v.data(), "application/json", 16) == 0;
}

}  // namespace

Result<boost::json::object> parse_json_body(const Request& request) {
  if (!is_json(request.header("Content-Type"))) {
    return make_error(Errc::kUnsupportedMediaType, "the request body must be application/json");
  }
  return jose::parse_strict_object(request.body, {request.body.size() + 1, kMaxDepth},
                                   "request body", Errc::kInvalidArgument);
}

const boost::json::value* JsonFields::take(std::string_view key, bool required) {
  asked_.emplace(key);
  const boost::json::value* v = o_.if_contains(key);
  if (!v && required) fail(std::string(key) + " is required");
  return v;
}

void JsonFields::fail(std::string message) {
  if (error_.empty()) error_ = std::move(message);
}

bool JsonFields::string(std::string_view key, std::string& out, bool required) {
  const boost::json::value* v = take(key, required);
  if (!v) return false;
  if (!v->is_string()) {
    fail(std::string(key) + " must be a string");
    return false;
  }
  out.assign(v->as_string().data(), v->as_string().size());
  return true;
}

bool JsonFields::strings(std::string_view key, std::vector<std::string>& out, bool required) {
  const boost::json::value* v = take(key, required);
  if (!v) return false;
  if (!v->is_array()) {
    fail(std::string(key) + " must be an array of strings");
    return false;
  }
  std::vector<std::string> result;
  for (const boost::json::value& e : v->as_array()) {
    if (!e.is_string()) {
      fail(std::string(key) + " must be an array of strings");
      return false;
    }
    result.emplace_back(e.as_string().data(), e.as_string().size());
  }
  out = std::move(result);
  return true;
}

Status JsonFields::finish() {
  if (error_.empty()) {
    for (const auto& member : o_) {
      std::string_view name(member.key().data(), member.key().size());
      if (!asked_.contains(name)) {
        error_ = "unknown member \"" + std::string(name.substr(0, 64)) + "\"";
        break;
      }
    }
  }
  if (error_.empty()) return {};
  return make_error(Errc::kInvalidArgument, error_);
}

}  // namespace sg::http::api
