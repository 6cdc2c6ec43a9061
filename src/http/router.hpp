// Router is the static route table: (method, path pattern) → handler.
//
// Patterns are literal segments and `{name}` parameters that match one non-empty segment, e.g.
// "/v1/stacks/{org}/{project}/{stack}". Routes are added while the app is being built; after that
// the table is only read. A path that matches no pattern is a 404; one that matches a pattern under
// another method is a 405 with the allowed methods (GET implies HEAD). Matching never decodes the
// path, so "%2F" cannot smuggle a separator. Thread-safe for concurrent match() once built.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "http/request.hpp"
#include "http/response.hpp"

namespace sg::http {

using Handler = std::function<Response(Request&)>;

class Router {
 public:
  // Label used in logs and metrics for requests that match no route.
  static constexpr std::string_view kUnmatched = "unmatched";

  void add(Method method, std::string pattern, Handler handler);

  struct Match {
    enum class Kind { kFound, kNotFound, kMethodNotAllowed };
    Kind kind = Kind::kNotFound;
    const Handler* handler = nullptr;  // kFound
    std::size_t route_id = 0;          // index into labels(); the unmatched label for kNotFound
    std::string allow;                 // kMethodNotAllowed: "GET, HEAD, POST"
  };

  // Fills `request.params` when found.
  Match match(Request& request) const;

  // One label per distinct pattern, plus kUnmatched last. Stable once built.
  const std::vector<std::string>& labels() const { return labels_; }

  // Index of kUnmatched in labels().
  std::size_t unmatched_id() const { return labels_.size() - 1; }

 private:
  struct Route {
    Method method;
    std::vector<std::string> segments;  // "{name}" for a parameter
    std::size_t label_id;
    Handler handler;
  };
  static bool matches(const Route& route, std::string_view path,
                      std::vector<std::pair<std::string_view, std::string_view>>* params);

  std::vector<Route> routes_;
  std::vector<std::string> labels_{std::string(kUnmatched)};
};

}  // namespace sg::http
