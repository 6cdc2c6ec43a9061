// A Sink is a place beside the store where committed audit events are copied as they are written:
// standard output, an append-only file, an HTTP webhook (a SIEM's collector). Copies outside the
// database are what make a rewritten or truncated log visible (docs/audit.md, "Sinks").
//
// Each sink is owned by the SinkRunner (audit/sink_runner.hpp) that feeds it from one thread,
// in seq order, with at-least-once delivery: deliver() is called from that thread only, reopen()
// from any thread. Implementations must never put a secret (a webhook token) in name() or in an
// error message.
#pragma once

#include <span>
#include <string_view>

#include "common/result.hpp"
#include "store/audit_records.hpp"

namespace sg::audit {

class Sink {
 public:
  virtual ~Sink() = default;

  // For logs and metrics: "stdout", "file:/abs/path", "webhook:https://host/path" (never
  // credentials, never a query string).
  virtual std::string_view name() const = 0;

  // Writes `events` (seq order, each record's body is one canonical JSON line). OK = delivered; an
  // error = nothing may be assumed delivered and the runner retries the same events later (so an
  // event may arrive twice). Called from the runner's thread only.
  virtual Status deliver(std::span<const store::AuditRecord> events) = 0;

  // Reopen the output (file sinks: after log rotation). Thread-safe; may be called from any thread
  // (SIGHUP).
  virtual void reopen() {}

  // Whether the runner keeps a durable cursor in the store for this sink (file, webhook: yes;
  // stdout: no).
  virtual bool durable() const = 0;
};

}  // namespace sg::audit
