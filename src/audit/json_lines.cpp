#include "audit/json_lines.hpp"

#include <unistd.h>

#include <cerrno>
#include <system_error>

namespace sg::audit {

void append_json_lines(std::string& out, std::span<const store::AuditRecord> events) {
  std::size_t size = out.size();
  for (const store::AuditRecord& e : events)
    size += e.body.size() + 1;
  out.reserve(size);
  for (const store::AuditRecord& e : events) {
    out += e.body;
    out += '\n';
  }
}

Status write_fully(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return make_error(Errc::kIo, "write failed: " + std::generic_category().message(errno));
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return {};
}

Status write_json_lines(int fd, std::span<const store::AuditRecord> events, std::string& scratch) {
  scratch.clear();
  append_json_lines(scratch, events);
  return write_fully(fd, scratch);
}

}  // namespace sg::audit
