#include "http/readiness.hpp"

#include <exception>

namespace sg::http {

void Readiness::add(std::string name, Check check) {
  checks_.emplace_back(std::move(name), std::move(check));
}

std::vector<Readiness::Outcome> Readiness::evaluate() const {
  std::vector<Outcome> out;
  out.reserve(checks_.size());
  for (const auto& [name, check] : checks_) {
    Status s;
    try {
      s = check();
    } catch (const std::exception&) {
      s = make_error(Errc::kInternal, "check failed");
    }
    out.push_back(Outcome{name, std::move(s)});
  }
  return out;
}

}  // namespace sg::http
