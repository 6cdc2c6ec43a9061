// `stackgate audit verify`, `audit keys` and `audit export`: the audit log from the command line,
// read straight from the store the configuration names (the gateway may be running or not). The
// work is in audit/ (verification, the public JWKS, CEF); this file reads the arguments, pages
// through the store and prints.
//
// Exit status, for every audit subcommand: 0 done (and, for verify, the log is intact); 1 the log
// is broken (verify found a fault; export met a stored event that is not valid); 2 the command
// could not do its work (usage, configuration, store, keys file, output). As with grep and diff,
// 1 is an answer and 2 is trouble, so a script can tell tampering from a wrong path.
#include <iostream>

#include <boost/json/serialize.hpp>

#include "audit/audit_store.hpp"
#include "audit/canonical_json.hpp"
#include "audit/cef.hpp"
#include "audit/checkpoint_keys.hpp"
#include "audit/report_json.hpp"
#include "cli/commands.hpp"
#include "cli/configured_store.hpp"
#include "cli/json_print.hpp"
#include "common/build_info.hpp"
#include "common/small_file.hpp"
#include "jose/jwks.hpp"
#include "policy/stack.hpp"

namespace sg::cli {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitBroken = 1;
constexpr int kExitError = 2;

constexpr std::size_t kMaxKeysFileBytes = 1024 * 1024;
constexpr std::size_t kExportPage = 1000;

constexpr const char* kExitFooter =
    "Exit status: 0 done, 1 the audit log is broken, 2 the command could not do its work\n"
    "(usage, configuration, store, keys file). docs/cli-audit.md has the details.";

struct VerifyOptions {
  std::string config_path;
  std::string keys_path;
  bool json = false;
};

struct KeysOptions {
  std::string config_path;
};

struct ExportOptions {
  std::string config_path;
  std::string format = "jsonl";
  std::string since;
  std::string until;
  std::int64_t after_seq = 0;
  std::string type;
  std::string actor;
  std::string stack;
  std::string decision;
};

int fail(std::string_view command, std::string_view message) {
  std::cerr << "stackgate audit " << command << ": " << message << "\n";
  return kExitError;
}

std::string prefix(std::string_view command) {
  return "stackgate audit " + std::string(command);
}

std::string plural(std::int64_t n, std::string_view word) {
  return std::to_string(n) + " " + std::string(word) + (n == 1 ? "" : "s");
}

// The checkpoint keys pinned in a JWKS file. Keys the file holds but that cannot verify anything
// are reported on stderr; a file with no usable key is an error.
Result<jose::KeySet> pinned_keys(const std::string& path) {
  Result<std::string> text = read_small_file(path, kMaxKeysFileBytes);
  if (!text) return make_error(text.code(), path + ": " + text.error().message);
  Result<jose::ParsedJwks> parsed = jose::parse_jwks(*text);
  if (!parsed) return make_error(parsed.code(), path + ": " + parsed.error().message);
  for (const jose::SkippedKey& skipped : parsed->skipped) {
    std::cerr << "stackgate audit verify: warning: " << path << ": key " << skipped.index
              << (skipped.kid ? " (kid " + *skipped.kid + ")" : std::string())
              << " is skipped: " << skipped.reason << "\n";
  }
  if (parsed->keys.empty()) {
    return make_error(Errc::kInvalidArgument, path + ": no usable key in the JWKS");
  }
  return std::move(parsed->keys);
}

void print_report(const audit::VerifyReport& r) {
  if (!r.ok()) {
    std::cout << "audit log broken at seq " << r.bad_seq << ": " << audit::fault_name(r.fault)
              << ": " << r.reason << "\n";
    return;
  }
  std::cout << "audit log ok: " << plural(r.events, "event") << ", "
            << plural(r.checkpoints, "checkpoint") << ", head seq " << r.head.seq << " (hash "
            << r.head.hash << ")\n";
  if (r.head.seq > r.signed_seq) {
    const std::string unsigned_events =
        r.head.seq == r.signed_seq + 1
            ? "event " + std::to_string(r.head.seq) +
                  " comes after the last checkpoint: no signature covers it yet"
            : "events " + std::to_string(r.signed_seq + 1) + " to " + std::to_string(r.head.seq) +
                  " come after the last checkpoint: no signature covers them yet";
    std::cerr << "note: " << unsigned_events << " (docs/audit.md)\n";
  }
}

int run_verify(const VerifyOptions& o) {
  std::optional<jose::KeySet> pinned;
  if (!o.keys_path.empty()) {
    Result<jose::KeySet> keys = pinned_keys(o.keys_path);
    if (!keys) return fail("verify", keys.error().message);
    pinned = std::move(*keys);
  }
  std::unique_ptr<store::Store> store =
      open_configured_store(o.config_path, prefix("verify"), std::cerr);
  if (!store) return kExitError;
  if (!pinned) {
    Result<jose::KeySet> stored = audit::checkpoint_verification_keys(*store);
    if (!stored) return fail("verify", stored.error().message);
    pinned = std::move(*stored);
  }
  audit::AuditStore audit_store(*store);
  Result<audit::VerifyReport> report = audit_store.verify(*pinned);
  if (!report) return fail("verify", report.error().message);
  if (o.json) {
    std::cout << pretty_json(audit::report_to_json(*report)) << "\n";
  } else {
    print_report(*report);
  }
  if (!report->ok()) {
    std::cerr << "stackgate audit verify: FAILED: the audit log was altered or damaged\n";
    return kExitBroken;
  }
  return kExitOk;
}

int run_keys(const KeysOptions& o) {
  std::unique_ptr<store::Store> store =
      open_configured_store(o.config_path, prefix("keys"), std::cerr);
  if (!store) return kExitError;
  Result<boost::json::object> jwks = audit::checkpoint_public_jwks(*store);
  if (!jwks) return fail("keys", jwks.error().message);
  if (jwks->at("keys").as_array().empty()) {
    std::cerr << "note: the store has no checkpoint key yet (the gateway makes one with its first "
                 "checkpoint)\n";
  }
  std::cout << pretty_json(*jwks) << "\n";
  return kExitOk;
}

// The store query the export options ask for, or an error naming the option.
Result<store::AuditQuery> export_query(const ExportOptions& o) {
  store::AuditQuery q;
  q.limit = kExportPage;
  q.after_seq = o.after_seq;
  if (!o.since.empty()) {
    Result<Time> t = parse_rfc3339(o.since);
    if (!t) return make_error(Errc::kInvalidArgument, "--since: " + t.error().message);
    q.since = *t;
  }
  if (!o.until.empty()) {
    Result<Time> t = parse_rfc3339(o.until);
    if (!t) return make_error(Errc::kInvalidArgument, "--until: " + t.error().message);
    q.until = *t;
  }
  if (q.since && q.until && *q.since >= *q.until) {
    return make_error(Errc::kInvalidArgument, "--since must be earlier than --until");
  }
  if (!o.type.empty()) q.type = o.type;
  if (!o.actor.empty()) q.actor_subject = o.actor;
  if (!o.stack.empty()) q.stack = o.stack;
  if (!o.decision.empty()) q.decision = o.decision;
  return q;
}

// One output line for `event`.
Result<std::string> export_line(const audit::AuditEvent& event, bool cef) {
  if (cef) return audit::to_cef(event, build_info().version);
  // For an intact log this is byte for byte the stored body (verification checks that).
  return audit::canonical_json(audit::to_json(event));
}

int run_export(const ExportOptions& o) {
  Result<store::AuditQuery> query = export_query(o);
  if (!query) return fail("export", query.error().message);
  std::unique_ptr<store::Store> store =
      open_configured_store(o.config_path, prefix("export"), std::cerr);
  if (!store) return kExitError;
  const bool cef = o.format == "cef";
  // Page by page after a seq cursor: memory stays bounded however long the log is.
  for (;;) {
    Result<std::vector<store::AuditRecord>> rows = store->read_audit(*query);
    if (!rows) return fail("export", rows.error().message);
    for (const store::AuditRecord& row : *rows) {
      Result<audit::AuditEvent> event = audit::parse_event(row.body);
      if (!event) {
        std::cout.flush();
        std::cerr << "stackgate audit export: event " << row.seq
                  << " in the store is not a valid audit event (" << event.error().message
                  << "); the events before it were written; run stackgate audit verify\n";
        return kExitBroken;
      }
      Result<std::string> line = export_line(*event, cef);
      if (!line)
        return fail("export", "event " + std::to_string(row.seq) + ": " + line.error().message);
      std::cout << *line << '\n';
    }
    if (rows->size() < query->limit) break;
    query->after_seq = rows->back().seq;
  }
  std::cout.flush();
  if (!std::cout) return fail("export", "cannot write the output");
  return kExitOk;
}

// CLI11 validators for the export filters: the values a stored event can have.
std::string check_event_type(const std::string& s) {
  return audit::is_event_type(s) ? "" : "expected an event type such as authz.decision";
}

std::string check_stack(const std::string& s) {
  Result<policy::StackRef> ref = policy::parse_stack_ref(s);
  return ref ? "" : ref.error().message;
}

void add_verify(CLI::App& audit, int& exit_code) {
  auto o = std::make_shared<VerifyOptions>();
  CLI::App* cmd = audit.add_subcommand(
      "verify",
      "Verify the whole audit log: the hash chain of every event and the signature of every "
      "checkpoint; print one line (ok, or the first bad seq, the fault and why)");
  cmd->add_option("--config,-c", o->config_path, "Path of stackgate.yaml (its store)")->required();
  cmd->add_option("--keys", o->keys_path,
                  "A JWKS file of pinned checkpoint public keys (from `stackgate audit keys`) to "
                  "verify against instead of the keys kept in the store");
  cmd->add_flag("--json", o->json,
                "Print {\"ok\",\"fault\",\"seq\",\"reason\",\"events\",\"checkpoints\","
                "\"signed_seq\",\"head\"}");
  cmd->footer(kExitFooter);
  cmd->callback([o, &exit_code] { exit_code = run_verify(*o); });
}

void add_audit_keys(CLI::App& audit, int& exit_code) {
  auto o = std::make_shared<KeysOptions>();
  CLI::App* cmd = audit.add_subcommand(
      "keys",
      "Print the public JWKS of the audit checkpoint keys (never a private key): keep it "
      "outside the store and pass it to `audit verify --keys` later");
  cmd->add_option("--config,-c", o->config_path, "Path of stackgate.yaml (its store)")->required();
  cmd->footer(kExitFooter);
  cmd->callback([o, &exit_code] { exit_code = run_keys(*o); });
}

void add_export(CLI::App& audit, int& exit_code) {
  auto o = std::make_shared<ExportOptions>();
  CLI::App* cmd = audit.add_subcommand(
      "export",
      "Write the audit events that match every filter given, in seq order, one per line: "
      "JSON lines (the stored events, hashes included) or CEF for SIEMs");
  cmd->add_option("--config,-c", o->config_path, "Path of stackgate.yaml (its store)")->required();
  cmd->add_option("--format", o->format, "jsonl (default) or cef")
      ->check(CLI::IsMember({"jsonl", "cef"}));
  cmd->add_option("--since", o->since, "Events at or after this RFC 3339 time");
  cmd->add_option("--until", o->until, "Events before this RFC 3339 time");
  cmd->add_option("--after-seq", o->after_seq,
                  "Events after this seq (for incremental exports: the last seq exported)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--type", o->type, "Only events of this type, e.g. authz.decision")
      ->check(CLI::Validator(check_event_type, "TYPE"));
  cmd->add_option("--actor", o->actor, "Only events by this subject (actor.subject)");
  cmd->add_option("--stack", o->stack, "Only events about this org/project/stack")
      ->check(CLI::Validator(check_stack, "STACK"));
  cmd->add_option("--decision", o->decision, "Only events with this decision")
      ->check(CLI::IsMember({"allow", "deny", "approval_required"}));
  cmd->footer(kExitFooter);
  cmd->callback([o, &exit_code] { exit_code = run_export(*o); });
}

}  // namespace

void add_audit(CLI::App& root, int& exit_code) {
  CLI::App* audit = root.add_subcommand(
      "audit",
      "Verify the audit log (verify), print its public checkpoint keys (keys), export it "
      "(export)");
  audit->require_subcommand(1);
  add_verify(*audit, exit_code);
  add_audit_keys(*audit, exit_code);
  add_export(*audit, exit_code);
}

}  // namespace sg::cli
