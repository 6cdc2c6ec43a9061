#include "http/dispatch.hpp"

#include <exception>
#include <string>

#include "http/error_status.hpp"

namespace sg::http {

Dispatched dispatch(const Router& router, Request& request, Logger& log) {
  Router::Match match = router.match(request);
  switch (match.kind) {
    case Router::Match::Kind::kNotFound:
      return {error_response({Errc::kNotFound, "no such endpoint"}), match.route_id};
    case Router::Match::Kind::kMethodNotAllowed: {
      Response r = error_response(
          {Errc::kMethodNotAllowed, "method not allowed here; allowed: " + match.allow});
      r.headers.emplace_back("Allow", match.allow);
      return {std::move(r), match.route_id};
    }
    case Router::Match::Kind::kFound:
      break;
  }
  try {
    return {(*match.handler)(request), match.route_id};
  } catch (const std::exception& e) {
    log.error("handler failed", {{"request_id", request.request_id},
                                 {"route", router.labels()[match.route_id]},
                                 {"error", e.what()}});
  } catch (...) {
    log.error("handler failed", {{"request_id", request.request_id},
                                 {"route", router.labels()[match.route_id]},
                                 {"error", "unknown exception"}});
  }
  return {error_response({Errc::kInternal, {}}), match.route_id};
}

}  // namespace sg::http
