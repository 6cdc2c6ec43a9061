// AuditEvent is one entry of the audit log: who did what to which stack, what the gateway decided
// and why, and where the event sits in the hash chain (seq, prev_hash, hash).
//
// The JSON form (to_json/from_json) is the contract auditors and SIEMs read: docs/audit.md lists
// every member. Optional members that are absent are omitted, never null; `act` and `details` are
// omitted when empty. from_json is strict: unknown members, members of the wrong type, empty
// required strings, a malformed `type` or time, and hashes that are not 64 lower-case hex
// characters are refused. `details` holds the few type-specific fields (a token's `jti`, a policy
// generation…) as integers, strings, booleans, arrays and objects, never doubles and never a token
// value or a secret. Events are built by the services that record them, sealed into the chain by
// audit/chain.hpp and written by the audit writer. Plain value type; not synchronised.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "common/clock.hpp"
#include "common/result.hpp"

namespace sg::audit {

// The event types stackgate records. A type is lower-case words joined by dots; a reader must
// accept types it does not know (later versions add more).
namespace event_type {
inline constexpr std::string_view kAuthFailed = "auth.failed";
inline constexpr std::string_view kAuthzDecision = "authz.decision";
inline constexpr std::string_view kPolicyReloaded = "policy.reloaded";
inline constexpr std::string_view kTokenIssued = "token.issued";
inline constexpr std::string_view kTokenRevoked = "token.revoked";
inline constexpr std::string_view kRunCreated = "run.created";
inline constexpr std::string_view kRunApproved = "run.approved";
inline constexpr std::string_view kRunRejected = "run.rejected";
inline constexpr std::string_view kRunStarted = "run.started";
inline constexpr std::string_view kRunFinished = "run.finished";
inline constexpr std::string_view kRunCancelled = "run.cancelled";
inline constexpr std::string_view kRunOrphaned = "run.orphaned";
inline constexpr std::string_view kCatalogSynced = "catalog.synced";
}  // namespace event_type

// Who acted: the verified principal, never an unverified claim.
struct AuditActor {
  std::string subject;  // `sub`
  std::string issuer;   // the configured issuer's name
  std::string kind;     // "user" or "machine"
  std::optional<std::string> name;
  std::optional<std::string> email;
  std::vector<std::string> act;  // agents acting for the subject, outermost (current) first

  friend bool operator==(const AuditActor&, const AuditActor&) = default;
};

struct AuditResource {
  std::string stack;  // "org/project/stack"

  friend bool operator==(const AuditResource&, const AuditResource&) = default;
};

struct AuditRequest {
  std::string id;
  std::optional<std::string> ip;
  std::optional<std::string> user_agent;

  friend bool operator==(const AuditRequest&, const AuditRequest&) = default;
};

struct AuditEvent {
  std::int64_t seq = 0;  // set by seal(): 1, 2, 3…
  Time time{};           // kept to the millisecond (seal() truncates)
  std::string type;      // see event_type
  std::optional<AuditActor> actor;
  std::optional<AuditResource> resource;
  std::optional<std::string> action;    // "read", "preview", "update", …
  std::optional<std::string> decision;  // "allow", "deny", "approval_required"
  std::optional<std::string> reason;
  std::optional<std::string> run_id;
  std::optional<AuditRequest> request;
  boost::json::object details;
  std::string prev_hash;  // set by seal()
  std::string hash;       // set by seal()

  friend bool operator==(const AuditEvent&, const AuditEvent&) = default;
};

// Bound on one event's JSON, in bytes.
inline constexpr std::size_t kMaxEventBytes = 64 * 1024;

// Whether `type` is lower-case words ([a-z][a-z0-9_]*) joined by dots, at least two, ≤ 64 bytes.
bool is_event_type(std::string_view type);

// Whether `time` is one an event may carry: from 1970 to 2255 (what survives format_rfc3339 and
// parse_rfc3339 with a margin).
bool is_event_time(Time time);

// The checks from_json makes on what an event says (not on seq, prev_hash and hash, which seal()
// sets). Errors: kInvalidArgument naming the member.
Status validate_content(const AuditEvent& event);

// The JSON object of `event`, every member included as it is (seq 0 and empty hashes for an
// event not sealed yet).
boost::json::object to_json(const AuditEvent& event);

// Reads a sealed event. Errors: kInvalidArgument naming the member at fault.
Result<AuditEvent> from_json(const boost::json::object& json);

// Parses `text` as strict JSON (no duplicate member names; at most kMaxEventBytes), then
// from_json. Errors: kInvalidArgument.
Result<AuditEvent> parse_event(std::string_view text);

// `text` made fit for an event: every byte that is not part of valid UTF-8 replaced by U+FFFD, then
// cut at a character boundary to at most `max_bytes`. For values from requests (user agents,
// reasons quoting input), which must never make an event impossible to record.
std::string clean_text(std::string_view text, std::size_t max_bytes);

}  // namespace sg::audit
