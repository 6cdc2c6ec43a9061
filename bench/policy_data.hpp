// The policy benchmark's generated data (bench/policy/generate.mjs), read into the policy layer's
// own types: stacks.json → Stack, principals.json → Principal, decisions.json → Query.
//
// Only the benchmark reads these files; they are trusted and small (a few MB), so they are read
// whole with Boost.JSON and any shape error stops the run with a message naming the file.
// Plain value types; not synchronised.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "policy/action.hpp"
#include "policy/evaluator.hpp"
#include "policy/principal.hpp"
#include "policy/stack.hpp"

namespace sg::bench {

// One (principal, action, stack) question and the reference evaluator's verdict for it.
struct Query {
  std::size_t principal = 0;  // index into BenchData::principals
  policy::Action action = policy::Action::kRead;
  std::size_t stack = 0;  // index into BenchData::stacks
  policy::Verdict expect = policy::Verdict::kDeny;
};

struct BenchData {
  std::vector<policy::Stack> stacks;
  std::vector<policy::Principal> principals;
  std::vector<Query> queries;
};

// Reads stacks.json, principals.json and decisions.json from `dir`.
// Errors: kInvalidArgument naming the file and what is wrong with it.
Result<BenchData> load_bench_data(const std::string& dir);

}  // namespace sg::bench
