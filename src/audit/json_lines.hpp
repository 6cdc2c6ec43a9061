// json_lines writes audit events as JSON lines — each stored body (canonical JSON, which never
// holds a raw newline) followed by '\n' — the format of the stdout and file sinks and of the
// webhook's request body.
//
// Used by the sinks only. Pure apart from the file descriptor written to; thread-safe as long as
// callers do not share the `scratch` buffer.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "store/audit_records.hpp"

namespace sg::audit {

// Appends each event's body and '\n' to `out`.
void append_json_lines(std::string& out, std::span<const store::AuditRecord> events);

// Writes all of `bytes` to `fd`, retrying after EINTR and partial writes. Errors: kIo, "write
// failed: <strerror>" (EPIPE included: callers make sure SIGPIPE does not end the process).
Status write_fully(int fd, std::string_view bytes);

// append_json_lines into `scratch` (cleared first), then write_fully: one write() for the batch
// unless the kernel takes less. Errors: as write_fully.
Status write_json_lines(int fd, std::span<const store::AuditRecord> events, std::string& scratch);

}  // namespace sg::audit
