// RunService over a real SQLite store and audit writer, with a scripted RunExecution in place of
// the Pulumi child: the lifecycle, approvals, cancel, the scheduler's rules, recovery and the audit
// trail, without processes. (The executor has its own tests against the Pulumi stand-in, and the
// integration tests run the whole gateway.)
#include "runs/run_service.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include <boost/json/parse.hpp>

#include "audit/audit_store.hpp"
#include "catalog/stack_registry.hpp"
#include "policy/policy_loader.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "store/sqlite_test_support.hpp"

namespace sg::runs {
namespace {

using namespace std::chrono_literals;

constexpr std::string_view kPolicy = R"(
roles:
  - name: dev
    rules:
      - allow: [read, preview, update, refresh, cancel]
        stacks: ["acme/payments/dev", "acme/web/dev"]
      - allow: [read, preview]
        stacks: ["acme/payments/prod"]
      - allow: [update]
        stacks: ["acme/payments/prod"]
        approval: { approvers: [approver], count: 1 }
  - name: approver
    rules:
      - allow: [read, approve]
        stacks: ["acme/*/*"]
bindings:
  - { roles: [dev], when: { subject: "user:default/jane" } }
  - { roles: [dev], when: { subject: "user:default/joe" } }
  - { roles: [approver], when: { subject: "user:default/ada" } }
  - { roles: [approver, dev], when: { subject: "user:default/sam" } }
)";

policy::Principal person(std::string subject, std::string email = "") {
  policy::Principal p;
  p.subject = std::move(subject);
  p.issuer = "sso";
  p.email = std::move(email);
  return p;
}

// An execution the test drives: it reports itself started, then waits until the test releases it
// with an outcome (or until cancel(), which ends it as cancelled).
class ScriptedExecution final : public RunExecution {
 public:
  struct Control {
    std::mutex mu;
    std::condition_variable cv;
    std::map<std::string, std::optional<RunOutcome>> release;  // by run id
    std::vector<std::string> lines;                            // emitted by every run at its start
    std::vector<RunExecutionSpec> specs;
    std::set<std::string> running;
    std::size_t max_running = 0;
    std::map<std::string, int> max_mutating_per_stack;
    std::map<std::string, int> mutating_now;
  };

  ScriptedExecution(RunExecutionSpec spec, Control& c) : spec_(std::move(spec)), c_(c) {}

  RunOutcome run(const std::function<void(std::int64_t)>& started,
                 const std::function<void(std::string_view)>& event,
                 const std::function<void()>& burst) override {
    std::string stack_key = spec_.stack_arg;
    bool mutating = is_mutating(spec_.operation);
    std::vector<std::string> lines;
    started(4242);  // before the test can see it running: the pid is stored by then
    {
      std::lock_guard lock(c_.mu);
      c_.specs.push_back(spec_);
      c_.running.insert(spec_.run_id);
      c_.max_running = std::max(c_.max_running, c_.running.size());
      if (mutating) {
        int now = ++c_.mutating_now[stack_key];
        c_.max_mutating_per_stack[stack_key] = std::max(c_.max_mutating_per_stack[stack_key], now);
      }
      lines = c_.lines;
    }
    c_.cv.notify_all();
    for (const std::string& l : lines)
      event(l);
    if (!lines.empty()) burst();
    RunOutcome out;
    {
      std::unique_lock lock(c_.mu);
      c_.cv.wait(lock, [&] { return cancelled_ || c_.release[spec_.run_id].has_value(); });
      if (cancelled_) {
        out.status = RunStatus::kCancelled;
        out.reason = "cancelled";
        out.exit_code = 8;
      } else {
        out = *c_.release[spec_.run_id];
      }
      c_.running.erase(spec_.run_id);
      if (mutating) --c_.mutating_now[stack_key];
    }
    c_.cv.notify_all();
    return out;
  }

  void cancel() override {
    {
      std::lock_guard lock(c_.mu);
      cancelled_ = true;
    }
    c_.cv.notify_all();
  }

 private:
  RunExecutionSpec spec_;
  Control& c_;
  bool cancelled_ = false;  // guarded by c_.mu
};

class RunServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store::SqliteStore::Options so;
    so.path = dir_.file("gw.db");
    auto opened = store::SqliteStore::open(so);
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    store_ = std::move(opened).value();
    audit_store_ = std::make_unique<audit::AuditStore>(*store_);
    writer_ = std::make_unique<audit::AuditWriter>(*audit_store_, *store_, clock_, log_,
                                                   audit::AuditWriter::Options{});
    ASSERT_TRUE(writer_->start().ok());
    auto loaded = policy::load_policy_text(kPolicy, "policy.yaml");
    ASSERT_NE(loaded.policy, nullptr);
    policy_ = std::make_unique<policy::PolicyHolder>(loaded.policy, true, clock_.now());
    config::ProjectConfig payments;
    payments.org = "acme";
    payments.name = "payments";
    payments.dir = dir_.file("payments");
    payments.stacks = {{"dev", {}, "", "", ""}, {"prod", {}, "", "", ""}};
    config::ProjectConfig web;
    web.org = "acme";
    web.name = "web";
    web.dir = dir_.file("web");
    web.stacks = {{"dev", {}, "", "", ""}};
    options_.projects = {payments, web};
    options_.runs_dir = dir_.path() / "runs";
    options_.max_concurrent_runs = 3;
    options_.approval_timeout = 1h;
    stacks_ =
        std::make_unique<catalog::StackRegistry>(catalog::stacks_from_config(options_.projects));
  }

  void TearDown() override {
    if (service_) service_->stop(1s);
    service_.reset();
    writer_->stop();
  }

  void start(CredentialSource creds = nullptr) {
    service_ = std::make_unique<RunService>(
        options_, *store_, *writer_, *policy_, *stacks_, clock_, log_,
        [this](const RunExecutionSpec& spec) {
          return std::make_unique<ScriptedExecution>(spec, control_);
        },
        std::move(creds));
    ASSERT_TRUE(service_->recover().ok());
    ASSERT_TRUE(service_->start().ok());
  }

  RunCaller as(const policy::Principal& who) {
    return RunCaller{who, audit::AuditRequest{"req-1", "10.0.0.1", std::nullopt}};
  }

  store::RunRecord create(const policy::Principal& who, std::string stack, std::string op,
                          std::string message = "") {
    auto r = service_->create(as(who), stack, op, message);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return r.ok() ? r->run : store::RunRecord{};
  }

  // Waits (at most 20 s on a loaded machine) until run `id` has `status`.
  store::RunRecord wait_status(const std::string& id, std::string_view status) {
    auto deadline = std::chrono::steady_clock::now() + 20s;
    for (;;) {
      auto r = store_->get_run(id);
      if (r.ok() && *r && (*r)->status == status) return **r;
      if (std::chrono::steady_clock::now() > deadline) {
        ADD_FAILURE() << "run " << id << " never became " << status << "; it is "
                      << (r.ok() && *r ? (*r)->status : "missing");
        return {};
      }
      service_->poke();
      std::this_thread::sleep_for(5ms);
    }
  }

  // Waits until the scripted execution of `id` is running.
  void wait_running(const std::string& id) {
    std::unique_lock lock(control_.mu);
    ASSERT_TRUE(control_.cv.wait_for(lock, 20s, [&] { return control_.running.count(id) > 0; }))
        << "run " << id << " never started";
  }

  void release(const std::string& id, RunStatus status, int exit_code = 0,
               std::string reason = "") {
    {
      std::lock_guard lock(control_.mu);
      RunOutcome o;
      o.status = status;
      o.exit_code = exit_code;
      o.reason = std::move(reason);
      o.summary = {{"result", status == RunStatus::kSucceeded ? "succeeded" : "failed"},
                   {"resource_changes", {{"create", 2}}},
                   {"duration_seconds", 1.5}};
      control_.release[id] = o;
    }
    control_.cv.notify_all();
  }

  std::vector<boost::json::object> audit_of(const std::string& run_id) {
    writer_->poke();
    store::AuditQuery q;
    q.limit = 1000;
    std::vector<boost::json::object> out;
    auto records = store_->read_audit(q);
    EXPECT_TRUE(records.ok());
    if (!records.ok()) return out;
    for (const auto& rec : *records) {
      auto v = boost::json::parse(rec.body).as_object();
      if (const auto* id = v.if_contains("run_id"); id && id->as_string() == run_id) {
        out.push_back(v);
      }
    }
    return out;
  }

  std::vector<std::string> types_of(const std::string& run_id) {
    std::vector<std::string> t;
    for (const auto& e : audit_of(run_id))
      t.emplace_back(e.at("type").as_string());
    return t;
  }

  store::testing::TempDir dir_;
  struct DevNull {
    int fd = ::open("/dev/null", O_WRONLY);
    ~DevNull() { ::close(fd); }
  } null_;
  Logger log_{null_.fd};
  SystemClock clock_;
  std::unique_ptr<store::SqliteStore> store_;
  std::unique_ptr<audit::AuditStore> audit_store_;
  std::unique_ptr<audit::AuditWriter> writer_;
  std::unique_ptr<policy::PolicyHolder> policy_;
  std::unique_ptr<catalog::StackRegistry> stacks_;
  RunServiceOptions options_;
  ScriptedExecution::Control control_;
  std::unique_ptr<RunService> service_;
};

TEST_F(RunServiceTest, AnAllowedRunIsQueuedStartedAndFinishedWithItsTrail) {
  start();
  policy::Principal jane = person("user:default/jane");
  store::RunRecord run = create(jane, "acme/payments/dev", "up", "ship it");
  EXPECT_EQ(run.status, "queued");
  EXPECT_EQ(run.operation, "up");
  EXPECT_EQ(run.requester, "user:default/jane");
  EXPECT_EQ(run.message, "ship it");
  wait_running(run.id);
  store::RunRecord running = wait_status(run.id, "running");
  EXPECT_EQ(running.pid, 4242);
  EXPECT_FALSE(running.started_at.empty());
  release(run.id, RunStatus::kSucceeded, 0);
  store::RunRecord done = wait_status(run.id, "succeeded");
  EXPECT_EQ(done.exit_code, 0);
  EXPECT_EQ(done.pid, 0);
  EXPECT_FALSE(done.finished_at.empty());
  EXPECT_EQ(boost::json::parse(done.summary).at("resource_changes").at("create").as_int64(), 2);
  {
    std::lock_guard lock(control_.mu);
    ASSERT_EQ(control_.specs.size(), 1U);
    EXPECT_EQ(control_.specs[0].stack_arg, "acme/payments/dev");
    EXPECT_EQ(control_.specs[0].message, "ship it");
    EXPECT_EQ(control_.specs[0].operation, Operation::kUp);
    EXPECT_EQ(control_.specs[0].run_dir, options_.runs_dir / run.id);
  }
  EXPECT_FALSE(std::filesystem::exists(options_.runs_dir / run.id)) << "the run dir is removed";
  auto events = audit_of(run.id);
  ASSERT_EQ(types_of(run.id),
            (std::vector<std::string>{"run.created", "run.started", "run.finished"}));
  EXPECT_EQ(events[0].at("decision").as_string(), "allow");
  EXPECT_EQ(events[0].at("action").as_string(), "update");
  EXPECT_EQ(events[0].at("actor").at("subject").as_string(), "user:default/jane");
  EXPECT_EQ(events[0].at("request").at("id").as_string(), "req-1");
  EXPECT_EQ(events[0].at("details").at("message").as_string(), "ship it");
  EXPECT_EQ(events[2].at("details").at("status").as_string(), "succeeded");
  EXPECT_EQ(events[2].at("details").at("summary").at("duration_ms").as_int64(), 1500);
}

TEST_F(RunServiceTest, ADeniedRunIsRefusedAndNeverStored) {
  start();
  auto r = service_->create(as(person("user:default/jane")), "acme/payments/prod", "destroy", "");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kForbidden);
  EXPECT_EQ(r.error().message.rfind("you may not destroy acme/payments/prod: ", 0), 0U)
      << r.error().message;
  store::RunQuery q;
  EXPECT_TRUE(store_->list_runs(q).value().empty());
  auto nobody = service_->create(as(person("user:default/nobody")), "acme/payments/dev", "up", "");
  EXPECT_EQ(nobody.error().code, Errc::kForbidden);
}

TEST_F(RunServiceTest, BadRequestsAreRefusedWithTheirReason) {
  start();
  policy::Principal jane = person("user:default/jane");
  EXPECT_EQ(service_->create(as(jane), "acme/payments/dev", "deploy", "").error().message,
            "operation: expected preview, up, refresh or destroy");
  EXPECT_EQ(
      service_->create(as(jane), "acme/payments/dev", "up", std::string(1025, 'x')).error().message,
      "message: at most 1024 bytes");
  EXPECT_EQ(service_->create(as(jane), "acme/payments/dev", "up", "a\x01").error().message,
            "message: control characters are not allowed");
  EXPECT_EQ(service_->create(as(jane), "acme/payments/dev", "up", "\xff").error().message,
            "message: not valid UTF-8");
  EXPECT_EQ(service_->create(as(jane), "acme/payments/staging", "up", "").error().code,
            Errc::kForbidden)
      << "a stack jane could not read if it existed is not revealed";
  policy::Principal ada = person("user:default/ada");
  EXPECT_EQ(service_->create(as(ada), "acme/payments/staging", "preview", "").error().message,
            "no stack acme/payments/staging");
}

TEST_F(RunServiceTest, ApprovalRequiredWaitsForAnApproverNeverTheRequester) {
  start();
  policy::Principal jane = person("user:default/jane", "jane@acme.test");
  store::RunRecord run = create(jane, "acme/payments/prod", "up");
  EXPECT_EQ(run.status, "awaiting_approval");
  EXPECT_FALSE(run.expires_at.empty());

  auto self = service_->approve(as(jane), run.id);
  EXPECT_EQ(self.error().code, Errc::kForbidden);
  EXPECT_EQ(self.error().message, "a requester cannot approve their own run");
  policy::Principal jane_elsewhere = person("jane-from-backstage", "JANE@acme.test");
  jane_elsewhere.issuer = "backstage";
  EXPECT_EQ(service_->approve(as(jane_elsewhere), run.id).error().code, Errc::kNotFound)
      << "another identity of jane cannot even see the run";

  policy::Principal joe = person("user:default/joe");
  auto not_approver = service_->approve(as(joe), run.id);
  EXPECT_EQ(not_approver.error().code, Errc::kForbidden);

  policy::Principal ada = person("user:default/ada");
  auto approved = service_->approve(as(ada), run.id);
  ASSERT_TRUE(approved) << approved.error().message;
  EXPECT_EQ(approved->run.status, "queued");
  EXPECT_EQ(service_->approve(as(ada), run.id).error().code, Errc::kConflict);

  wait_running(run.id);
  release(run.id, RunStatus::kSucceeded);
  wait_status(run.id, "succeeded");
  EXPECT_EQ(types_of(run.id), (std::vector<std::string>{"run.created", "run.approved",
                                                        "run.started", "run.finished"}));
  auto events = audit_of(run.id);
  EXPECT_EQ(events[0].at("decision").as_string(), "approval_required");
  EXPECT_EQ(events[1].at("actor").at("subject").as_string(), "user:default/ada");
  EXPECT_EQ(events[1].at("details").at("remaining").as_int64(), 0);
}

TEST_F(RunServiceTest, SelfApprovalIsRefusedEvenWhenTheRequesterHoldsTheApproverRole) {
  start();
  policy::Principal sam = person("user:default/sam");
  store::RunRecord run = create(sam, "acme/payments/prod", "up");
  ASSERT_EQ(run.status, "awaiting_approval");
  EXPECT_EQ(service_->approve(as(sam), run.id).error().message,
            "a requester cannot approve their own run");
}

TEST_F(RunServiceTest, ARejectedRunNeverRuns) {
  start();
  store::RunRecord run = create(person("user:default/jane"), "acme/payments/prod", "up");
  EXPECT_EQ(service_->reject(as(person("user:default/joe")), run.id, "no").error().code,
            Errc::kForbidden);
  auto rejected = service_->reject(as(person("user:default/ada")), run.id, "not on a Friday");
  ASSERT_TRUE(rejected) << rejected.error().message;
  EXPECT_EQ(rejected->run.status, "rejected");
  EXPECT_EQ(rejected->run.reason, "rejected by user:default/ada: not on a Friday");
  EXPECT_EQ(service_->approve(as(person("user:default/ada")), run.id).error().code,
            Errc::kConflict);
  EXPECT_EQ(types_of(run.id), (std::vector<std::string>{"run.created", "run.rejected"}));
  std::lock_guard lock(control_.mu);
  EXPECT_TRUE(control_.specs.empty());
}

TEST_F(RunServiceTest, AnApprovalRequestLapses) {
  options_.approval_timeout = 50ms;
  start();
  store::RunRecord run = create(person("user:default/jane"), "acme/payments/prod", "up");
  store::RunRecord lapsed = wait_status(run.id, "rejected");
  EXPECT_EQ(lapsed.reason, "the approval request expired");
  auto events = audit_of(run.id);
  ASSERT_EQ(events.size(), 2U);
  EXPECT_EQ(events[1].at("type").as_string(), "run.rejected");
  EXPECT_FALSE(events[1].contains("actor"));
}

TEST_F(RunServiceTest, CancellingAQueuedRunEndsItAtOnceAndARunningOneThroughTheChild) {
  start();
  policy::Principal jane = person("user:default/jane");
  store::RunRecord first = create(jane, "acme/payments/dev", "up");
  wait_running(first.id);
  store::RunRecord second = create(jane, "acme/payments/dev", "up");
  EXPECT_EQ(second.status, "queued");

  auto queued = service_->cancel(as(jane), second.id);
  ASSERT_TRUE(queued) << queued.error().message;
  EXPECT_FALSE(queued->accepted_only);
  EXPECT_EQ(queued->run.status, "cancelled");
  EXPECT_EQ(queued->run.reason, "cancelled by user:default/jane before it started");

  EXPECT_EQ(service_->cancel(as(person("user:default/ada")), first.id).error().code,
            Errc::kForbidden)
      << "ada may read but not cancel";
  auto running = service_->cancel(as(person("user:default/joe")), first.id);
  ASSERT_TRUE(running) << running.error().message;
  EXPECT_TRUE(running->accepted_only);
  store::RunRecord done = wait_status(first.id, "cancelled");
  EXPECT_EQ(done.reason, "cancelled by user:default/joe");
  EXPECT_EQ(done.cancel_requested_by, "user:default/joe");
  EXPECT_EQ(service_->cancel(as(jane), first.id).error().code, Errc::kConflict);
  EXPECT_EQ(types_of(first.id), (std::vector<std::string>{"run.created", "run.started",
                                                          "run.cancelled", "run.finished"}));
  EXPECT_EQ(types_of(second.id), (std::vector<std::string>{"run.created", "run.cancelled"}));
}

TEST_F(RunServiceTest, TwoUpdatesOfAStackSerialiseAndPreviewsRunBesideThem) {
  start();
  policy::Principal jane = person("user:default/jane");
  store::RunRecord up1 = create(jane, "acme/payments/dev", "up");
  store::RunRecord up2 = create(jane, "acme/payments/dev", "up");
  wait_running(up1.id);
  store::RunRecord p1 = create(jane, "acme/web/dev", "preview");
  wait_running(p1.id);
  EXPECT_EQ(wait_status(up2.id, "queued").status, "queued");
  release(up1.id, RunStatus::kSucceeded);
  wait_running(up2.id);
  release(up2.id, RunStatus::kFailed, 4, "update failed");
  release(p1.id, RunStatus::kSucceeded);
  store::RunRecord failed = wait_status(up2.id, "failed");
  EXPECT_EQ(failed.exit_code, 4);
  EXPECT_EQ(failed.reason, "update failed");
  wait_status(p1.id, "succeeded");
  std::lock_guard lock(control_.mu);
  EXPECT_EQ(control_.max_mutating_per_stack["acme/payments/dev"], 1);
}

TEST_F(RunServiceTest, TheGlobalLimitHolds) {
  start();
  policy::Principal jane = person("user:default/jane");
  std::vector<store::RunRecord> runs;
  for (int i = 0; i < 6; ++i)
    runs.push_back(create(jane, "acme/payments/dev", "preview"));
  for (int i = 0; i < 3; ++i)
    wait_running(runs[i].id);
  EXPECT_EQ(wait_status(runs[3].id, "queued").status, "queued");
  for (auto& r : runs)
    release(r.id, RunStatus::kSucceeded);
  for (auto& r : runs)
    wait_status(r.id, "succeeded");
  std::lock_guard lock(control_.mu);
  EXPECT_EQ(control_.max_running, 3U);
}

TEST_F(RunServiceTest, AFinishedRunWakesTheDispatcherForTheNextOne) {
  options_.dispatch_interval = 1h;  // nothing but a wake-up can start the second run
  options_.max_concurrent_runs = 1;
  start();
  policy::Principal jane = person("user:default/jane");
  store::RunRecord first = create(jane, "acme/payments/dev", "preview");
  wait_running(first.id);
  store::RunRecord second = create(jane, "acme/web/dev", "preview");
  release(first.id, RunStatus::kSucceeded);
  wait_running(second.id);
  release(second.id, RunStatus::kSucceeded);
}

TEST_F(RunServiceTest, EngineEventsAreStoredInOrderAndTheFeedWakesReaders) {
  const std::vector<std::string> lines{R"({"sequence":1,"timestamp":1,"preludeEvent":{}})",
                                       R"({"sequence":2,"timestamp":2,"cancelEvent":{}})"};
  control_.lines = lines;
  start();
  store::RunRecord run = create(person("user:default/jane"), "acme/payments/prod", "preview");
  wait_running(run.id);
  std::atomic<int> woken{0};
  service_->feed().wait(run.id, 2, [&] { ++woken; });
  EXPECT_EQ(woken.load(), 0) << "nothing after event 2 yet";
  release(run.id, RunStatus::kSucceeded);
  wait_status(run.id, "succeeded");
  // The feed is closed just after the final status is stored (readers then find it ended).
  auto deadline = std::chrono::steady_clock::now() + 20s;
  while (woken.load() == 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(1ms);
  }
  EXPECT_EQ(woken.load(), 1) << "the end of the run wakes the reader, once";
  auto events = service_->events(run.id, 0, 100);
  ASSERT_TRUE(events);
  ASSERT_EQ(events->size(), 2U);
  EXPECT_EQ((*events)[0], (store::RunEventRecord{1, lines[0]}));
  EXPECT_EQ((*events)[1], (store::RunEventRecord{2, lines[1]}));
  EXPECT_EQ(service_->events(run.id, 1, 100)->size(), 1U);
}

TEST_F(RunServiceTest, TheRequesterMustStillBeAllowedWhenTheRunStarts) {
  start();
  policy::Principal jane = person("user:default/jane");
  store::RunRecord busy = create(jane, "acme/payments/dev", "up");
  wait_running(busy.id);
  store::RunRecord waiting = create(jane, "acme/payments/dev", "up");
  auto narrower = policy::load_policy_text("roles: []\nbindings: []\n", "policy.yaml");
  ASSERT_NE(narrower.policy, nullptr);
  policy_->replace(narrower.policy, clock_.now());
  release(busy.id, RunStatus::kSucceeded);
  store::RunRecord failed = wait_status(waiting.id, "failed");
  EXPECT_EQ(
      failed.reason.rfind("the requester is no longer allowed to update acme/payments/dev", 0), 0U)
      << failed.reason;
  std::lock_guard lock(control_.mu);
  EXPECT_EQ(control_.specs.size(), 1U);
}

TEST_F(RunServiceTest, CredentialsAreGivenToTheChildAndTheirFailureFailsTheRun) {
  start([](const config::ProjectConfig&, const store::RunRecord& run, const policy::Principal&,
           const std::filesystem::path& dir, RunCredentials& c) -> Status {
    audit::AuditEvent issued;
    issued.type = "token.issued";
    issued.run_id = run.id;
    c.audit.push_back(issued);
    if (run.operation == "refresh") return Error{Errc::kUnavailable, "pulumi: down"};
    c.env.emplace_back("PULUMI_ACCESS_TOKEN", "pul-123");
    c.env.emplace_back("DIR", dir.string());
    return {};
  });
  policy::Principal jane = person("user:default/jane");
  store::RunRecord ok = create(jane, "acme/payments/dev", "preview");
  wait_running(ok.id);
  {
    std::lock_guard lock(control_.mu);
    ASSERT_EQ(control_.specs.size(), 1U);
    EXPECT_EQ(control_.specs[0].env, (std::vector<std::pair<std::string, std::string>>{
                                         {"PULUMI_ACCESS_TOKEN", "pul-123"},
                                         {"DIR", (options_.runs_dir / ok.id).string()}}));
  }
  release(ok.id, RunStatus::kSucceeded);
  wait_status(ok.id, "succeeded");
  EXPECT_EQ(types_of(ok.id), (std::vector<std::string>{"run.created", "token.issued", "run.started",
                                                       "run.finished"}));
  store::RunRecord bad = create(jane, "acme/payments/dev", "refresh");
  store::RunRecord failed = wait_status(bad.id, "failed");
  EXPECT_EQ(failed.reason, "credentials: pulumi: down");
  EXPECT_EQ(types_of(bad.id),
            (std::vector<std::string>{"run.created", "token.issued", "run.finished"}))
      << "a token issued before the failure is on the record";
}

TEST_F(RunServiceTest, RecoveryOrphansRunsLeftRunningAndTheQueueContinues) {
  policy::Principal jane = person("user:default/jane");
  store::RunRecord left;
  left.id = "0123456789abcdef0123456789abcdef";
  left.stack = "acme/payments/dev";
  left.operation = "up";
  left.status = "running";
  left.requester = jane.subject;
  left.principal = R"({"subject":"user:default/jane","issuer":"sso"})";
  left.created_at = left.updated_at = left.started_at = "2026-11-29T10:00:00.000Z";
  left.pid = 999999;
  ASSERT_TRUE(store_->create_run(left).ok());
  start();
  store::RunRecord orphaned = store_->get_run(left.id).value().value();
  EXPECT_EQ(orphaned.status, "orphaned");
  EXPECT_EQ(orphaned.pid, 0);
  EXPECT_EQ(orphaned.reason, "the gateway stopped while the run was in flight");
  EXPECT_EQ(types_of(left.id), (std::vector<std::string>{"run.orphaned"}));
  store::RunRecord next = create(jane, "acme/payments/dev", "up");
  wait_running(next.id);
  release(next.id, RunStatus::kSucceeded);
  wait_status(next.id, "succeeded");
}

TEST_F(RunServiceTest, ReadersSeeOnlyRunsTheyMayRead) {
  start();
  store::RunRecord run = create(person("user:default/jane"), "acme/payments/dev", "preview");
  EXPECT_TRUE(service_->get(person("user:default/joe"), run.id).ok());
  EXPECT_EQ(service_->get(person("user:default/stranger"), run.id).error().code, Errc::kNotFound);
  EXPECT_EQ(service_->get(person("user:default/jane"), "nope").error().code, Errc::kNotFound);
  RunFilter all;
  EXPECT_EQ(service_->list(person("user:default/stranger"), all)->first.size(), 0U);
  EXPECT_EQ(service_->list(person("user:default/joe"), all)->first.size(), 1U);
  RunFilter zero;
  zero.limit = 0;
  EXPECT_EQ(service_->list(person("user:default/joe"), zero).error().code, Errc::kInvalidArgument);
  wait_running(run.id);
  release(run.id, RunStatus::kSucceeded);
  wait_status(run.id, "succeeded");
}

}  // namespace
}  // namespace sg::runs
