// Policy decision latency (issue "Policy", benchmark part 1): a generated policy of 10,000 rules
// over 5,000 stacks (bench/policy/generate.mjs), every decision timed on its own.
//
//   bench_policy DIR [--min-decisions 200000] [--verdicts FILE] [--json FILE] [--only NAME]
//
// Loads DIR/policy.yaml (timing the load), the stacks, principals and queries, then:
//   1. checks every query once with evaluate() and verdict_of() against the reference verdict in
//      decisions.json (this pass is also the warm-up) — any disagreement fails the run;
//   2. times each decision with std::chrono::steady_clock, repeating the queries until at least
//      --min-decisions are timed, for evaluate() (roles, matching and the full explanation),
//      verdict_of() (verdict only, roles computed once per principal beforehand) and roles_of()
//      alone (the bindings part of evaluate());
//   3. prints median, p90, p99, p99.9, max and decisions/s (1 / mean) of each, the clock's own
//      cost, and an FNV-1a hash of the verdicts in query order.
// --verdicts writes the verdicts, one per line in query order, for cedar_bench.mjs to compare;
// --json writes the figures for bench/policy.sh; --only evaluate|verdict_of|roles_of times that
// one alone (for profiling with perf). Single-threaded: pin it with taskset.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "policy/evaluator.hpp"
#include "policy/policy_loader.hpp"
#include "policy_data.hpp"

namespace {

using sg::bench::Query;
using sg::policy::Verdict;
using Clock = std::chrono::steady_clock;

struct Options {
  std::string dir;
  std::size_t min_decisions = 200'000;
  std::string verdicts_path;
  std::string json_path;
  std::string only;  // empty: all three
};

bool parse_options(int argc, char** argv, Options& o) {
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    bool has_value = i + 1 < argc;
    if (a == "--min-decisions" && has_value) {
      o.min_decisions = std::strtoull(argv[++i], nullptr, 10);
    } else if (a == "--verdicts" && has_value) {
      o.verdicts_path = argv[++i];
    } else if (a == "--json" && has_value) {
      o.json_path = argv[++i];
    } else if (a == "--only" && has_value) {
      o.only = argv[++i];
    } else if (o.dir.empty() && !a.starts_with("--")) {
      o.dir = a;
    } else {
      return false;
    }
  }
  bool known =
      o.only.empty() || o.only == "evaluate" || o.only == "verdict_of" || o.only == "roles_of";
  return !o.dir.empty() && o.min_decisions > 0 && known;
}

struct Stats {
  std::size_t n = 0;
  double mean = 0, median = 0, p90 = 0, p99 = 0, p999 = 0, max = 0;  // nanoseconds
};

// Nearest-rank percentiles of the samples (nanoseconds); all zero without samples.
Stats stats_of(std::vector<std::uint32_t> ns) {
  std::ranges::sort(ns);
  Stats s;
  if (ns.empty()) return s;
  s.n = ns.size();
  double sum = 0;
  for (std::uint32_t x : ns)
    sum += x;
  s.mean = sum / static_cast<double>(s.n);
  auto rank = [&](double p) {
    auto i = static_cast<std::size_t>(std::ceil(p * static_cast<double>(s.n)));
    return static_cast<double>(ns[std::clamp<std::size_t>(i, 1, s.n) - 1]);
  };
  s.median = rank(0.5);
  s.p90 = rank(0.9);
  s.p99 = rank(0.99);
  s.p999 = rank(0.999);
  s.max = static_cast<double>(ns.back());
  return s;
}

std::uint32_t elapsed_ns(Clock::time_point a, Clock::time_point b) {
  auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(b - a).count();
  return static_cast<std::uint32_t>(std::clamp<std::int64_t>(ns, 0, UINT32_MAX));
}

// Times `decide(query)` for each query, `rounds` times over; counts verdicts that differ from the
// reference in `wrong`.
template <typename F>
std::vector<std::uint32_t> time_each(const std::vector<Query>& queries, std::size_t rounds,
                                     F&& decide, std::size_t& wrong) {
  std::vector<std::uint32_t> samples;
  samples.reserve(queries.size() * rounds);
  for (std::size_t r = 0; r < rounds; ++r) {
    for (const Query& q : queries) {
      Clock::time_point t0 = Clock::now();
      Verdict v = decide(q);
      Clock::time_point t1 = Clock::now();
      samples.push_back(elapsed_ns(t0, t1));
      wrong += v != q.expect ? 1 : 0;
    }
  }
  return samples;
}

// The cost of the two clock reads around every sample, to read the figures against.
double clock_overhead_ns() {
  std::vector<std::uint32_t> ns(100'000);
  for (auto& x : ns) {
    Clock::time_point t0 = Clock::now();
    x = elapsed_ns(t0, Clock::now());
  }
  return stats_of(std::move(ns)).median;
}

std::uint64_t fnv1a(std::uint64_t h, std::string_view s) {
  for (char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ULL;
  }
  return h;
}

// Loads the policy three times; `median_ms` gets the median load time. Null (and `error` set) when
// it does not load.
std::shared_ptr<const sg::policy::Policy> load_timed(const std::string& path, double& median_ms,
                                                     std::string& error) {
  std::vector<double> ms;
  std::shared_ptr<const sg::policy::Policy> policy;
  for (int i = 0; i < 3; ++i) {
    Clock::time_point t0 = Clock::now();
    sg::policy::PolicyLoadResult loaded = sg::policy::load_policy_file(path);
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    if (!loaded.policy) {
      error = loaded.diagnostics.empty() ? "" : loaded.diagnostics.front().to_string();
      return nullptr;
    }
    policy = loaded.policy;
  }
  std::ranges::sort(ms);
  median_ms = ms[1];
  return policy;
}

struct Verdicts {
  std::string lines;  // one verdict name per line, in query order
  std::uint64_t fnv1a = 14695981039346656037ULL;
  std::size_t disagree = 0;  // queries where evaluate() or verdict_of() differs from the reference
};

// The check pass (and warm-up): both entry points against the reference, for every query.
Verdicts check_all(const sg::policy::Policy& policy, const sg::bench::BenchData& data,
                   const std::vector<sg::policy::RoleSet>& roles) {
  Verdicts out;
  for (std::size_t i = 0; i < data.queries.size(); ++i) {
    const Query& q = data.queries[i];
    const auto& who = data.principals[q.principal];
    const auto& stack = data.stacks[q.stack];
    Verdict full = sg::policy::evaluate(policy, who, q.action, stack).verdict;
    Verdict fast = sg::policy::verdict_of(policy, who, roles[q.principal], q.action, stack);
    if ((full != q.expect || fast != q.expect) && ++out.disagree <= 5) {
      std::fprintf(stderr, "bench_policy: query %zu: evaluate %s, verdict_of %s, reference %s\n", i,
                   std::string(sg::policy::verdict_name(full)).c_str(),
                   std::string(sg::policy::verdict_name(fast)).c_str(),
                   std::string(sg::policy::verdict_name(q.expect)).c_str());
    }
    out.lines += sg::policy::verdict_name(full);
    out.lines += '\n';
    out.fnv1a = fnv1a(out.fnv1a, sg::policy::verdict_name(full));
  }
  return out;
}

// How many rule globs of the index a decision walks on average, and how many of those belong to
// roles the principal holds.
std::pair<double, double> index_walk(const sg::policy::Policy& policy,
                                     const sg::bench::BenchData& data,
                                     const std::vector<sg::policy::RoleSet>& roles) {
  std::size_t visited = 0, held = 0;
  for (const Query& q : data.queries) {
    policy.for_each_candidate(q.action, data.stacks[q.stack].ref,
                              [&](sg::policy::RuleRef ref, const auto&) {
                                ++visited;
                                held += roles[q.principal].has(ref.role) ? 1 : 0;
                              });
  }
  auto n = static_cast<double>(data.queries.size());
  return {static_cast<double>(visited) / n, static_cast<double>(held) / n};
}

struct Report {
  std::size_t roles = 0, rules = 0, bindings = 0, stacks = 0, principals = 0, queries = 0;
  std::size_t rounds = 0;
  double load_ms = 0, clock_ns = 0, globs_visited = 0, globs_of_held_roles = 0;
  std::uint64_t verdicts_fnv1a = 0;
  Stats evaluate, verdict_of, roles_of;
};

void print_row(std::string_view name, const Stats& s) {
  if (s.n == 0) return;
  std::printf("%-34s %9zu %9.2f %9.2f %9.2f %9.2f %9.1f %12.0f\n", std::string(name).c_str(), s.n,
              s.median / 1e3, s.p90 / 1e3, s.p99 / 1e3, s.p999 / 1e3, s.max / 1e3, 1e9 / s.mean);
}

void print_report(const Report& r) {
  std::printf("policy: %zu roles, %zu rules, %zu bindings; load %.0f ms (median of 3)\n", r.roles,
              r.rules, r.bindings, r.load_ms);
  std::printf(
      "data: %zu stacks, %zu principals, %zu queries × %zu rounds; verdicts fnv1a %016llx\n",
      r.stacks, r.principals, r.queries, r.rounds,
      static_cast<unsigned long long>(r.verdicts_fnv1a));
  std::printf(
      "index: a decision visits %.1f rule globs on average, %.1f of the principal's roles\n",
      r.globs_visited, r.globs_of_held_roles);
  std::printf("clock: %.0f ns per sample (two steady_clock reads, included in the figures)\n\n",
              r.clock_ns);
  std::printf("%-34s %9s %9s %9s %9s %9s %9s %12s\n", "µs per decision", "n", "median", "p90",
              "p99", "p99.9", "max", "decisions/s");
  print_row("evaluate() (with explanation)", r.evaluate);
  print_row("verdict_of() (roles precomputed)", r.verdict_of);
  print_row("roles_of() alone", r.roles_of);
}

std::string json_stats(const Stats& s) {
  if (s.n == 0) return "null";
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "{\"n\":%zu,\"mean_ns\":%.1f,\"median_ns\":%.0f,\"p90_ns\":%.0f,\"p99_ns\":%.0f,"
                "\"p999_ns\":%.0f,\"max_ns\":%.0f,\"per_second\":%.0f}",
                s.n, s.mean, s.median, s.p90, s.p99, s.p999, s.max, 1e9 / s.mean);
  return buf;
}

void write_json(const std::string& path, const Report& r) {
  char head[512];
  std::snprintf(
      head, sizeof head,
      "{\"roles\":%zu,\"rules\":%zu,\"bindings\":%zu,\"stacks\":%zu,\"principals\":%zu,"
      "\"queries\":%zu,\"rounds\":%zu,\"load_ms\":%.1f,\"clock_ns\":%.0f,"
      "\"verdicts_fnv1a\":\"%016llx\",\"globs_visited\":%.1f,\"globs_of_held_roles\":%.1f,",
      r.roles, r.rules, r.bindings, r.stacks, r.principals, r.queries, r.rounds, r.load_ms,
      r.clock_ns, static_cast<unsigned long long>(r.verdicts_fnv1a), r.globs_visited,
      r.globs_of_held_roles);
  std::ofstream(path, std::ios::binary) << head << "\"evaluate\":" << json_stats(r.evaluate)
                                        << ",\"verdict_of\":" << json_stats(r.verdict_of)
                                        << ",\"roles_of\":" << json_stats(r.roles_of) << "}\n";
}

int fail(const std::string& message) {
  std::fprintf(stderr, "bench_policy: %s\n", message.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  Options opt;
  if (!parse_options(argc, argv, opt)) {
    std::fprintf(stderr,
                 "usage: bench_policy DIR [--min-decisions N] [--verdicts FILE] [--json FILE] "
                 "[--only evaluate|verdict_of|roles_of]\n");
    return 2;
  }
  Report report;
  std::string error;
  auto policy = load_timed(opt.dir + "/policy.yaml", report.load_ms, error);
  if (!policy) return fail("policy.yaml does not load: " + error);
  auto data = sg::bench::load_bench_data(opt.dir);
  if (!data) return fail(data.error().message);
  const auto& stacks = data->stacks;
  const auto& principals = data->principals;
  const auto& queries = data->queries;

  std::vector<sg::policy::RoleSet> roles;
  for (const auto& p : principals)
    roles.push_back(sg::policy::roles_of(*policy, p));
  Verdicts verdicts = check_all(*policy, *data, roles);
  if (!opt.verdicts_path.empty())
    std::ofstream(opt.verdicts_path, std::ios::binary) << verdicts.lines;
  if (verdicts.disagree > 0) {
    return fail(std::to_string(verdicts.disagree) + " of " + std::to_string(queries.size()) +
                " verdicts differ from the reference");
  }

  report.rounds = (opt.min_decisions + queries.size() - 1) / queries.size();
  auto rounds_of = [&](std::string_view name) {
    return opt.only.empty() || opt.only == name ? report.rounds : 0;
  };
  std::size_t wrong = 0, sink = 0;
  report.evaluate = stats_of(time_each(
      queries, rounds_of("evaluate"),
      [&](const Query& q) {
        sg::policy::Decision d =
            sg::policy::evaluate(*policy, principals[q.principal], q.action, stacks[q.stack]);
        sink += d.reasons.size();
        return d.verdict;
      },
      wrong));
  report.verdict_of = stats_of(time_each(
      queries, rounds_of("verdict_of"),
      [&](const Query& q) {
        return sg::policy::verdict_of(*policy, principals[q.principal], roles[q.principal],
                                      q.action, stacks[q.stack]);
      },
      wrong));
  report.roles_of = stats_of(time_each(
      queries, rounds_of("roles_of"),
      [&](const Query& q) {
        sink += sg::policy::roles_of(*policy, principals[q.principal]).empty() ? 0 : 1;
        return q.expect;
      },
      wrong));
  if (wrong > 0) return fail(std::to_string(wrong) + " timed verdicts differ from the reference");

  report.clock_ns = clock_overhead_ns();
  std::tie(report.globs_visited, report.globs_of_held_roles) = index_walk(*policy, *data, roles);
  report.roles = policy->roles().size();
  report.rules = policy->rule_count();
  report.bindings = policy->bindings().size();
  report.stacks = stacks.size();
  report.principals = principals.size();
  report.queries = queries.size();
  report.verdicts_fnv1a = verdicts.fnv1a;
  print_report(report);
  std::printf("(sink %zu)\n", sink % 10);  // keeps the timed results observable
  if (!opt.json_path.empty()) write_json(opt.json_path, report);
  return 0;
}
