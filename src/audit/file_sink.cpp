#include "audit/file_sink.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>
#include <utility>

#include "audit/json_lines.hpp"

namespace sg::audit {
namespace {

constexpr int kFlags = O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC;
constexpr mode_t kMode = 0600;

// The descriptor of `path` opened for appending, or an error naming the sink.
Result<int> open_for_append(const std::string& path, std::string_view name) {
  int fd = -1;
  do {
    fd = ::open(path.c_str(), kFlags, kMode);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) {
    return make_error(Errc::kIo, "audit sink " + std::string(name) +
                                     ": cannot open: " + std::generic_category().message(errno));
  }
  return fd;
}

}  // namespace

Result<std::unique_ptr<FileSink>> FileSink::open(std::string path) {
  auto fd = open_for_append(path, "file:" + path);
  if (!fd) return fd.error();
  return std::unique_ptr<FileSink>(new FileSink(std::move(path), *fd));
}

FileSink::FileSink(std::string path, int fd)
    : path_(std::move(path)), name_("file:" + path_), fd_(fd) {}

FileSink::~FileSink() {
  if (fd_ >= 0) ::close(fd_);
}

Status FileSink::open_file() {
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
  auto fd = open_for_append(path_, name_);
  if (!fd) return fd.error();
  fd_ = *fd;
  return {};
}

Status FileSink::deliver(std::span<const store::AuditRecord> events) {
  if (reopen_.exchange(false, std::memory_order_relaxed) || fd_ < 0) {
    if (Status opened = open_file(); !opened) return opened;
  }
  Status written = write_json_lines(fd_, events, scratch_);
  if (!written)
    return make_error(written.code(), "audit sink " + name_ + ": " + written.error().message);
  return {};
}

}  // namespace sg::audit
