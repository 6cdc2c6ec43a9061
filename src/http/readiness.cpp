#include "http/readiness.hpp"

#include <exception>

namespace sg::http {

void Readiness::add(std::string name, Check check, Warning warning) {
  checks_.push_back(Entry{std::move(name), std::move(check), std::move(warning)});
}

std::vector<Readiness::Outcome> Readiness::evaluate() const {
  std::vector<Outcome> out;
  out.reserve(checks_.size());
  for (const Entry& e : checks_) {
    Status s;
    std::string warning;
    try {
      s = e.check();
      if (e.warning) warning = e.warning();
    } catch (const std::exception&) {
      s = make_error(Errc::kInternal, "check failed");
    }
    out.push_back(Outcome{e.name, std::move(s), std::move(warning)});
  }
  return out;
}

}  // namespace sg::http
