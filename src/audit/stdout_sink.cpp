#include "audit/stdout_sink.hpp"

#include "audit/json_lines.hpp"

namespace sg::audit {

Status StdoutSink::deliver(std::span<const store::AuditRecord> events) {
  Status written = write_json_lines(fd_, events, scratch_);
  if (!written) return make_error(written.code(), "audit sink stdout: " + written.error().message);
  return {};
}

}  // namespace sg::audit
