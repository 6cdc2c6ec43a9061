// Reading JSON request bodies strictly: the body must be declared as application/json and be one
// JSON object without duplicate member names, within depth and size bounds (the strict reader of
// jose/json_reader.hpp). JsonFields then reads typed members, collecting the first problem and
// refusing members nobody asked for, so a typo in a request is an error, not a silent default.
// Pure; not synchronised (one request, one thread).
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "common/result.hpp"
#include "http/request.hpp"

namespace sg::http::api {

// Errors: kUnsupportedMediaType (not application/json), kInvalidArgument (not a strict object).
Result<boost::json::object> parse_json_body(const Request& request);

class JsonFields {
 public:
  explicit JsonFields(const boost::json::object& o) : o_(o) {}

  // Each reads `key` into `out` if present; a wrong type (or a missing required key) is recorded.
  // Returns whether `out` was set.
  bool string(std::string_view key, std::string& out, bool required = false);
  bool strings(std::string_view key, std::vector<std::string>& out, bool required = false);

  // The first problem, or an unknown member. Errors: kInvalidArgument naming the member.
  Status finish();

 private:
  const boost::json::value* take(std::string_view key, bool required);
  void fail(std::string message);

  const boost::json::object& o_;
  std::set<std::string, std::less<>> asked_;
  std::string error_;
};

}  // namespace sg::http::api
