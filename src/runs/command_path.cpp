#include "runs/command_path.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <system_error>

namespace sg::runs {
namespace {

enum class FileCheck { kMissing, kNotExecutable, kExecutable };

FileCheck check_file(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return FileCheck::kMissing;
  if (!S_ISREG(st.st_mode)) return FileCheck::kNotExecutable;
  // By the effective ids, as execve(2) decides.
  if (::faccessat(AT_FDCWD, path.c_str(), X_OK, AT_EACCESS) != 0) return FileCheck::kNotExecutable;
  return FileCheck::kExecutable;
}

Error not_found(std::string_view command) {
  return make_error(Errc::kUnavailable, "pulumi command not found: " + std::string(command));
}

Error not_executable(std::string_view path) {
  return make_error(Errc::kUnavailable, "pulumi command is not executable: " + std::string(path));
}

}  // namespace

Result<std::string> resolve_command(std::string_view command, std::string_view path_env) {
  if (command.empty() || command.find('\0') != std::string_view::npos) {
    return make_error(Errc::kInvalidArgument, "pulumi command is empty or holds a NUL byte");
  }
  if (command.find('/') != std::string_view::npos) {
    std::error_code ec;
    const std::filesystem::path absolute = std::filesystem::absolute(command, ec);
    if (ec) return not_found(command);
    const std::string path = absolute.lexically_normal().string();
    switch (check_file(path)) {
      case FileCheck::kMissing:
        return not_found(command);
      case FileCheck::kNotExecutable:
        return not_executable(path);
      case FileCheck::kExecutable:
        return path;
    }
  }
  // The first executable wins; a match that is not executable is reported only when no later
  // directory holds an executable one (execvp(3) behaves alike).
  std::string not_executable_match;
  while (true) {
    const std::size_t colon = path_env.find(':');
    const std::string_view dir = path_env.substr(0, colon);
    if (!dir.empty() && dir.front() == '/') {
      std::string candidate(dir);
      if (candidate.back() != '/') candidate += '/';
      candidate += command;
      switch (check_file(candidate)) {
        case FileCheck::kMissing:
          break;
        case FileCheck::kNotExecutable:
          if (not_executable_match.empty()) not_executable_match = candidate;
          break;
        case FileCheck::kExecutable:
          return candidate;
      }
    }
    if (colon == std::string_view::npos) break;
    path_env.remove_prefix(colon + 1);
  }
  if (!not_executable_match.empty()) return not_executable(not_executable_match);
  return not_found(command);
}

}  // namespace sg::runs
