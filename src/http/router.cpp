#include "http/router.hpp"

#include <algorithm>
#include <stdexcept>

namespace sg::http {
namespace {

std::vector<std::string> split_pattern(std::string_view pattern) {
  if (pattern.empty() || pattern.front() != '/') {
    throw std::invalid_argument("route pattern must start with '/': " + std::string(pattern));
  }
  std::vector<std::string> segments;
  std::size_t pos = 1;
  while (pos <= pattern.size()) {
    std::size_t end = pattern.find('/', pos);
    if (end == std::string_view::npos) end = pattern.size();
    segments.emplace_back(pattern.substr(pos, end - pos));
    pos = end + 1;
  }
  return segments;
}

bool is_param(std::string_view segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

}  // namespace

void Router::add(Method method, std::string pattern, Handler handler) {
  auto label = std::find(labels_.begin(), labels_.end() - 1, pattern);
  std::size_t label_id = static_cast<std::size_t>(label - labels_.begin());
  if (label == labels_.end() - 1) {
    labels_.insert(labels_.end() - 1, pattern);  // kUnmatched stays last; no route uses it
  }
  for (const Route& r : routes_) {
    if (r.method == method && r.label_id == label_id) {
      throw std::invalid_argument("duplicate route: " + pattern);
    }
  }
  routes_.push_back(Route{method, split_pattern(pattern), label_id, std::move(handler)});
}

bool Router::matches(const Route& route, std::string_view path,
                     std::vector<std::pair<std::string_view, std::string_view>>* params) {
  if (path.empty() || path.front() != '/') return false;
  std::size_t pos = 1;
  for (std::size_t i = 0; i < route.segments.size(); ++i) {
    if (pos > path.size()) return false;
    std::size_t end = path.find('/', pos);
    if (end == std::string_view::npos) end = path.size();
    std::string_view segment = path.substr(pos, end - pos);
    const std::string& want = route.segments[i];
    if (is_param(want)) {
      if (segment.empty()) return false;
      if (params) {
        params->emplace_back(std::string_view(want).substr(1, want.size() - 2), segment);
      }
    } else if (segment != want) {
      return false;
    }
    pos = end + 1;
  }
  return pos == path.size() + 1;  // the whole path was consumed
}

Router::Match Router::match(Request& request) const {
  Match result;
  result.route_id = unmatched_id();
  Method wanted = request.method == Method::kHead ? Method::kGet : request.method;
  std::vector<Method> allowed;
  for (const Route& route : routes_) {
    if (!matches(route, request.path, nullptr)) continue;
    if (route.method == request.method || route.method == wanted) {
      request.params.clear();
      matches(route, request.path, &request.params);
      result.kind = Match::Kind::kFound;
      result.handler = &route.handler;
      result.route_id = route.label_id;
      return result;
    }
    allowed.push_back(route.method);
    result.route_id = route.label_id;
  }
  if (allowed.empty()) return result;
  if (std::find(allowed.begin(), allowed.end(), Method::kGet) != allowed.end()) {
    allowed.push_back(Method::kHead);
  }
  std::sort(allowed.begin(), allowed.end());
  allowed.erase(std::unique(allowed.begin(), allowed.end()), allowed.end());
  for (Method m : allowed) {
    if (!result.allow.empty()) result.allow += ", ";
    result.allow += method_name(m);
  }
  result.kind = Match::Kind::kMethodNotAllowed;
  return result;
}

}  // namespace sg::http
