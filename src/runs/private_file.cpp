#include "runs/private_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace sg::runs {
namespace {

Error dir_error(const std::filesystem::path& dir, std::string_view why) {
  return make_error(Errc::kIo, "the run directory " + dir.string() + " " + std::string(why));
}

Error file_error(std::string_view what, const std::filesystem::path& path, int err) {
  return make_error(Errc::kIo, std::string(what) + " " + path.string() + ": " + std::strerror(err));
}

}  // namespace

Status check_private_dir(const std::filesystem::path& dir) {
  struct stat st {};
  if (::lstat(dir.c_str(), &st) != 0) {
    return dir_error(dir, std::string("cannot be read: ") + std::strerror(errno));
  }
  if (S_ISLNK(st.st_mode)) return dir_error(dir, "is a symbolic link");
  if (!S_ISDIR(st.st_mode)) return dir_error(dir, "is not a directory");
  if (st.st_uid != ::geteuid()) return dir_error(dir, "belongs to another user");
  if ((st.st_mode & 077) != 0) return dir_error(dir, "is open to group or others (want 0700)");
  return {};
}

Status write_private_file(const std::filesystem::path& path, std::string_view content) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) return file_error("cannot create", path, errno);
  int err = 0;
  if (::fchmod(fd, 0600) != 0) err = errno;  // the umask may have taken bits away; never adds
  for (std::size_t done = 0; err == 0 && done < content.size();) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      err = errno;
    } else {
      done += static_cast<std::size_t>(n);
    }
  }
  if (::close(fd) != 0 && err == 0) err = errno;
  if (err != 0) {
    ::unlink(path.c_str());
    return file_error("cannot write", path, err);
  }
  return {};
}

}  // namespace sg::runs
