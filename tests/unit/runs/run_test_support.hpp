// Helpers for the executor tests: a temporary folder per test, a child run to its end, and the
// Pulumi stand-in's path and record. Test-only; not thread-safe.
#pragma once

#include <gtest/gtest.h>
#include <poll.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "runs/process_spawner.hpp"

namespace sg::runs::testing {

inline const std::string kStandin = STACKGATE_SOURCE_DIR "/tests/pulumi-standin/pulumi";

// A fresh folder under $TMPDIR (or /tmp), removed with everything in it on destruction.
class TempDir {
 public:
  TempDir() {
    const char* base = std::getenv("TMPDIR");
    std::string pattern =
        std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/stackgate-runs-XXXXXX";
    char* made = ::mkdtemp(pattern.data());
    if (made == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = std::filesystem::path(made);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::permissions(path_, std::filesystem::perms::owner_all,
                                 std::filesystem::perm_options::add, ec);
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::string str(std::string_view relative = "") const {
    return relative.empty() ? path_.string() : (path_ / relative).string();
  }
  std::string write(std::string_view relative, std::string_view content) const {
    const std::filesystem::path p = path_ / relative;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << content;
    return p.string();
  }
  std::string mkdir(std::string_view relative) const {
    std::filesystem::create_directories(path_ / relative);
    return (path_ / relative).string();
  }

 private:
  std::filesystem::path path_;
};

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Every JSON line of a file (the stand-in's record).
inline std::vector<boost::json::object> read_json_lines(const std::string& path) {
  std::vector<boost::json::object> out;
  std::istringstream in(read_file(path));
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) out.push_back(boost::json::parse(line).as_object());
  }
  return out;
}

// Whether process `pid` is gone or a zombie (dead, waiting for its reaper).
inline bool process_is_dead(int pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text;
  if (!std::getline(stat, text)) return true;
  const std::size_t close = text.rfind(')');
  return close == std::string::npos || text.substr(close + 2, 1) == "Z" ||
         text.substr(close + 2, 1) == "X";
}

// Waits, generously, for `done`; the bound only keeps a broken test from hanging.
template <typename Predicate>
bool eventually(Predicate done, std::chrono::seconds bound = std::chrono::seconds(60)) {
  const auto end = std::chrono::steady_clock::now() + bound;
  while (!done()) {
    if (std::chrono::steady_clock::now() > end) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

struct Finished {
  std::string out;
  std::string err;
  ExitStatus status;
};

// Reads the child's output to EOF, then reaps it.
inline Finished run_to_end(ChildProcess& child) {
  Finished f;
  int fds[2] = {child.stdout_fd(), child.stderr_fd()};
  std::string* into[2] = {&f.out, &f.err};
  char buf[4096];
  while (fds[0] >= 0 || fds[1] >= 0) {
    pollfd p[2];
    nfds_t n = 0;
    int which[2];
    for (int i = 0; i < 2; ++i) {
      if (fds[i] >= 0) {
        which[n] = i;
        p[n++] = pollfd{fds[i], POLLIN, 0};
      }
    }
    if (::poll(p, n, 60'000) <= 0) break;
    for (nfds_t k = 0; k < n; ++k) {
      if (p[k].revents == 0) continue;
      const ssize_t got = ::read(p[k].fd, buf, sizeof buf);
      if (got > 0) {
        into[which[k]]->append(buf, static_cast<std::size_t>(got));
      } else if (got == 0 || errno != EAGAIN) {
        fds[which[k]] = -1;
      }
    }
  }
  eventually([&] {
    auto reaped = child.try_reap();
    if (reaped.ok() && reaped->has_value()) f.status = **reaped;
    return !reaped.ok() || reaped->has_value();
  });
  return f;
}

}  // namespace sg::runs::testing
