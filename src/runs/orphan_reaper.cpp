#include "runs/orphan_reaper.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <string>
#include <system_error>

namespace sg::runs {
namespace {

constexpr std::size_t kMaxEnvironBytes = 1 << 20;

// Reads /proc/<pid>/environ (at most kMaxEnvironBytes); empty when it cannot be read.
std::string read_environ(const std::filesystem::path& file) {
  std::string out;
  int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) return out;
  char buf[8192];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
    if (out.size() > kMaxEnvironBytes) break;
  }
  ::close(fd);
  return out;
}

bool holds_entry(std::string_view environ, std::string_view entry) {
  std::size_t start = 0;
  while (start < environ.size()) {
    std::size_t end = environ.find('\0', start);
    if (end == std::string_view::npos) end = environ.size();
    if (environ.substr(start, end - start) == entry) return true;
    start = end + 1;
  }
  return false;
}

}  // namespace

std::string run_marker(std::string_view run_id) {
  return "PULUMI_CI_BUILD_ID=" + std::string(run_id);
}

std::size_t kill_run_processes(std::string_view run_id, const std::filesystem::path& proc_root) {
  const std::string marker = run_marker(run_id);
  const pid_t self = ::getpid();
  std::size_t killed = 0;
  std::error_code ec;
  std::filesystem::directory_iterator it(proc_root, ec);
  for (; !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    const std::string name = it->path().filename().string();
    pid_t pid = 0;
    auto [end, parse_ec] = std::from_chars(name.data(), name.data() + name.size(), pid);
    if (parse_ec != std::errc() || end != name.data() + name.size() || pid <= 1 || pid == self) {
      continue;
    }
    if (!holds_entry(read_environ(it->path() / "environ"), marker)) continue;
    if (::kill(pid, SIGKILL) == 0) ++killed;
  }
  return killed;
}

}  // namespace sg::runs
