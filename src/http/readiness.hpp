// Readiness is the list of checks behind /readyz: each names a dependency (store, issuers, policy,
// pulumi binary…) and says whether it is usable now.
//
// A check may also carry a warning: something an operator must see that does not make the
// gateway unready (a refused policy reload: the previous policy still serves). The app registers
// checks while it is built; afterwards the list is only read. A check must be
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
  using Warning = std::function<std::string()>;  // empty: nothing to report

  void add(std::string name, Check check, Warning warning = nullptr);

  struct Outcome {
    std::string name;
    Status status;
    std::string warning;
  };
  std::vector<Outcome> evaluate() const;

 private:
  struct Entry {
    std::string name;
    Check check;
    Warning warning;
  };
  std::vector<Entry> checks_;
};

}  // namespace sg::http
