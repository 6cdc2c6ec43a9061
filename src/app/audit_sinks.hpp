// make_audit_sinks builds the audit sinks stackgate.yaml lists (`audit.sinks`), each inside the
// SinkRunner that will feed it: stdout, append-only files and HTTP webhooks (docs/audit.md,
// "Sinks").
//
// Files are opened (created, mode 0600) here, so a wrong path stops the start; webhook tokens are
// read from their secret references here, so a missing one does too; the runners are returned not
// started — the app starts them with the stored head and hands them to the audit writer. Two sinks
// writing to the same place are refused (they would share a cursor). Called once by the app at
// start-up; thread-safe (no shared state).
#pragma once

#include <memory>
#include <vector>

#include "audit/sink_runner.hpp"
#include "common/logger.hpp"
#include "common/result.hpp"
#include "config/config.hpp"
#include "store/store.hpp"

namespace sg::app {

// Errors: kInvalidConfig naming the sink ("audit.sinks[1]: …"): a file that cannot be opened, a
// webhook token that cannot be read (the message names the reference, never the value) or holds a
// control character, the same sink twice.
Result<std::vector<std::unique_ptr<audit::SinkRunner>>> make_audit_sinks(
    const config::AuditConfig& config, store::Store& store, Logger& log);

}  // namespace sg::app
