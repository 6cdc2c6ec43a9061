#include "runs/file_tree.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace sg::runs {
namespace {

class TreeRemover {
 public:
  void remove(int dir_fd, const std::string& name, const std::string& shown, int depth) {
    if (::unlinkat(dir_fd, name.c_str(), 0) == 0 || errno == ENOENT) return;
    if (errno != EISDIR && errno != EPERM) return fail(shown, std::strerror(errno));
    if (depth >= kMaxTreeDepth) {
      return fail(shown, "nested deeper than " + std::to_string(kMaxTreeDepth) + " levels");
    }
    const int flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
    int fd = ::openat(dir_fd, name.c_str(), flags);
    if (fd < 0 && errno == EACCES) {
      // A directory its writer made unreadable; AT_SYMLINK_NOFOLLOW keeps a link's target safe.
      ::fchmodat(dir_fd, name.c_str(), 0700, AT_SYMLINK_NOFOLLOW);
      fd = ::openat(dir_fd, name.c_str(), flags);
    }
    if (fd < 0) {
      if (errno == ENOENT) return;
      if (errno == ELOOP || errno == ENOTDIR) {  // replaced by a link or a file meanwhile
        if (::unlinkat(dir_fd, name.c_str(), 0) == 0 || errno == ENOENT) return;
      }
      return fail(shown, std::strerror(errno));
    }
    ::fchmod(fd, 0700);  // entries of a read-only directory cannot be removed
    DIR* dir = ::fdopendir(fd);
    if (dir == nullptr) {
      ::close(fd);
      return fail(shown, std::strerror(errno));
    }
    std::vector<std::string> entries;
    errno = 0;
    while (const dirent* entry = ::readdir(dir)) {
      const std::string child = entry->d_name;
      if (child != "." && child != "..") entries.push_back(child);
    }
    if (errno != 0) fail(shown, std::strerror(errno));
    for (const auto& child : entries)
      remove(::dirfd(dir), child, shown + "/" + child, depth + 1);
    ::closedir(dir);
    if (::unlinkat(dir_fd, name.c_str(), AT_REMOVEDIR) != 0 && errno != ENOENT) {
      fail(shown, std::strerror(errno));
    }
  }

  Status status() const {
    if (first_error_.empty()) return {};
    return make_error(Errc::kIo, first_error_);
  }

 private:
  void fail(const std::string& shown, const std::string& why) {
    if (first_error_.empty()) first_error_ = "cannot remove " + shown + ": " + why;
  }

  std::string first_error_;
};

}  // namespace

Status make_private_dir(int dir_fd, const std::string& name) {
  if (::mkdirat(dir_fd, name.c_str(), 0700) != 0) {
    return make_error(Errc::kIo, "cannot create " + name + ": " + std::strerror(errno));
  }
  // mkdir applied the umask: set the mode exactly, on the directory just made, never a link in
  // its place. glibc does AT_SYMLINK_NOFOLLOW through /proc; without /proc, open and fchmod
  // (which needs the umask to have left the owner's read bit).
  if (::fchmodat(dir_fd, name.c_str(), 0700, AT_SYMLINK_NOFOLLOW) == 0) return {};
  if (errno != EOPNOTSUPP && errno != ENOTSUP) {
    return make_error(Errc::kIo, "cannot make " + name + " private: " + std::strerror(errno));
  }
  const int fd = ::openat(dir_fd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0 || ::fchmod(fd, 0700) != 0) {
    const int err = errno;
    if (fd >= 0) ::close(fd);
    return make_error(Errc::kIo, "cannot make " + name + " private: " + std::strerror(err));
  }
  ::close(fd);
  return {};
}

Status remove_tree(int dir_fd, const std::string& name) {
  TreeRemover remover;
  remover.remove(dir_fd, name, name, 0);
  return remover.status();
}

}  // namespace sg::runs
