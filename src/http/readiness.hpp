// Readiness is the list of checks behind /readyz: each names a dependency (store, issuers, policy,
// pulumi binary…) and says whether it is usable now.
//
// The app registers checks while it is built; afterwards the list is only read. A check must be
// cheap and bounded in time — it runs on a request thread for every probe. Thread-safe for
// concurrent evaluate() once built (the checks themselves must be thread-safe).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "common/result.hpp"

namespace sg::http {

class Readiness {
 public:
  using Check = std::function<Status()>;

  void add(std::string name, Check check);

  struct Outcome {
    std::string name;
    Status status;
  };
  std::vector<Outcome> evaluate() const;

 private:
  std::vector<std::pair<std::string, Check>> checks_;
};

}  // namespace sg::http
