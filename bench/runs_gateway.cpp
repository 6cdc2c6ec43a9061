#include "runs_gateway.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <future>
#include <iostream>

#include "policy/policy_loader.hpp"
#include "runs/run_audit.hpp"

namespace sg::bench {
namespace {

constexpr std::string_view kPolicy = R"(
roles:
  - name: operator
    rules:
      - allow: [read, preview, update, refresh, destroy, cancel]
        stacks: ["acme/*/*"]
bindings:
  - { roles: [operator], when: { subject: "user:default/bench" } }
)";

constexpr std::size_t kProjects = 10;

std::int64_t rounded(double v) {
  return std::llround(v);
}

}  // namespace

void fail(const std::string& what) {
  std::cerr << "bench_runs: " << what << "\n";
  std::exit(1);
}

double micros(SteadyClock::time_point from, SteadyClock::time_point to) {
  return std::chrono::duration<double, std::micro>(to - from).count();
}

std::int64_t millis(SteadyClock::time_point from, SteadyClock::time_point to) {
  return std::llround(micros(from, to) / 1000);
}

boost::json::object distribution(std::vector<double> samples) {
  if (samples.empty()) return {{"median", 0}, {"p99", 0}, {"max", 0}};
  std::sort(samples.begin(), samples.end());
  auto rank = [&](double q) {
    auto i = static_cast<std::size_t>(std::ceil(q * static_cast<double>(samples.size())));
    return samples[std::clamp<std::size_t>(i, 1, samples.size()) - 1];
  };
  return {{"median", rounded(rank(0.5))},
          {"p99", rounded(rank(0.99))},
          {"max", rounded(samples.back())}};
}

boost::json::object fsync_latency(const std::filesystem::path& dir, std::size_t count) {
  const std::filesystem::path path = dir / "fsync-probe";
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) fail("cannot create " + path.string());
  std::array<char, 4096> block{};
  std::vector<double> samples;
  for (std::size_t i = 0; i < count; ++i) {
    block.fill(static_cast<char>('a' + i % 26));
    auto t0 = SteadyClock::now();
    if (::write(fd, block.data(), block.size()) != static_cast<ssize_t>(block.size()) ||
        ::fsync(fd) != 0) {
      fail("cannot write " + path.string());
    }
    samples.push_back(micros(t0, SteadyClock::now()));
  }
  ::close(fd);
  std::filesystem::remove(path);
  return distribution(std::move(samples));
}

Gateway::Gateway(const std::filesystem::path& dir, std::size_t stacks, unsigned max_concurrent_runs,
                 int log_fd, runs::RunExecutionFactory executions)
    : dir_(dir), log_(log_fd, LogLevel::kInfo) {
  std::filesystem::remove_all(dir_);
  std::filesystem::create_directories(dir_);
  store::SqliteStore::Options so;
  so.path = (dir_ / "gateway.db").string();
  auto opened = store::SqliteStore::open(so);
  if (!opened) fail(opened.error().message);
  store_ = std::move(*opened);
  audit_store_ = std::make_unique<audit::AuditStore>(*store_);
  writer_ = std::make_unique<audit::AuditWriter>(*audit_store_, *store_, clock_, log_,
                                                 audit::AuditWriter::Options{});
  if (Status s = writer_->start(); !s) fail(s.error().message);

  auto loaded = policy::load_policy_text(kPolicy, "policy.yaml");
  if (!loaded.policy) fail("the benchmark's policy does not load");
  policy_ = std::make_unique<policy::PolicyHolder>(loaded.policy, true, clock_.now());

  runs::RunServiceOptions options;
  options.max_concurrent_runs = max_concurrent_runs;
  options.runs_dir = dir_ / "runs";
  for (std::size_t k = 0; k < kProjects; ++k) {
    config::ProjectConfig project;
    project.org = "acme";
    project.name = "p" + std::to_string(k);
    project.dir = (dir_ / "projects" / project.name).string();
    std::filesystem::create_directories(project.dir);
    options.projects.push_back(std::move(project));
  }
  for (std::size_t i = 0; i < stacks; ++i) {
    config::ProjectConfig& project = options.projects[i % kProjects];
    config::StackConfig stack;
    stack.name = "s" + std::to_string(i / kProjects);
    stack_names_.push_back("acme/" + project.name + "/" + stack.name);
    project.stacks.push_back(std::move(stack));
  }
  registry_ =
      std::make_unique<catalog::StackRegistry>(catalog::stacks_from_config(options.projects));

  who_.subject = "user:default/bench";
  who_.issuer = "corp-sso";
  who_.email = "bench@example.com";
  service_ =
      std::make_unique<runs::RunService>(std::move(options), *store_, *writer_, *policy_,
                                         *registry_, clock_, log_, std::move(executions), nullptr);
}

Gateway::~Gateway() {
  service_->stop(std::chrono::seconds(5));
  service_.reset();
  writer_->stop();
}

void Gateway::start() {
  if (auto r = service_->recover(); !r) fail(r.error().message);
  if (Status s = service_->start(); !s) fail(s.error().message);
}

store::RunRecord Gateway::create(std::string_view stack, std::string_view operation) {
  runs::RunCaller caller{who_, audit::AuditRequest{"req-bench", "127.0.0.1", std::nullopt}};
  auto created = service_->create(caller, stack, operation, "");
  if (!created) fail("create " + std::string(stack) + ": " + created.error().message);
  if (created->run.status != "queued") fail("a run was not queued: " + created->run.status);
  return std::move(created->run);
}

std::size_t Gateway::count(std::string_view status) {
  const std::array<std::string, 1> one{std::string(status)};
  auto rows = store_->runs_with_status(one);
  if (!rows) fail(rows.error().message);
  return rows->size();
}

boost::json::object Gateway::commit_latency(std::size_t samples) {
  const std::array<std::string, 1> succeeded{"succeeded"};
  auto rows = store_->runs_with_status(succeeded);
  if (!rows || rows->empty()) fail("commit_latency needs a finished run");
  const store::RunRecord run = rows->back();
  std::vector<double> audit_us;
  std::vector<double> update_us;
  for (std::size_t i = 0; i < samples; ++i) {
    std::promise<Status> done;
    auto t0 = SteadyClock::now();
    writer_->submit({runs::started_event(run, who_)},
                    [&done](const Status& s) { done.set_value(s); });
    if (Status s = done.get_future().get(); !s) fail(s.error().message);
    audit_us.push_back(micros(t0, SteadyClock::now()));
    t0 = SteadyClock::now();
    if (Status s = store_->update_run(run, run.status); !s) fail(s.error().message);
    update_us.push_back(micros(t0, SteadyClock::now()));
  }
  return {{"audit_us", distribution(std::move(audit_us))},
          {"update_us", distribution(std::move(update_us))}};
}

}  // namespace sg::bench
