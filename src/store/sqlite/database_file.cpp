#include "store/sqlite/database_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <system_error>
#include <vector>

namespace sg::store {
namespace {

constexpr mode_t kFolderMode = 0700;
constexpr mode_t kFileMode = 0600;

Error file_error(std::string_view what, const std::string& path, int err) {
  return make_error(Errc::kStoreUnavailable,
                    std::string(what) + " " + path + ": " + std::generic_category().message(err));
}

bool is_folder(const std::filesystem::path& p) {
  struct stat st {};
  return ::stat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

// Creates `folder` and every missing ancestor, deepest last.
Status create_missing_folders(const std::filesystem::path& folder) {
  std::vector<std::filesystem::path> missing;
  for (std::filesystem::path p = folder; !p.empty(); p = p.parent_path()) {
    struct stat st {};
    if (::stat(p.c_str(), &st) == 0) {
      if (!S_ISDIR(st.st_mode)) {
        return make_error(Errc::kStoreUnavailable,
                          "cannot create the database folder: " + p.string() + " is not a folder");
      }
      break;
    }
    if (errno != ENOENT) return file_error("cannot inspect folder", p.string(), errno);
    missing.push_back(p);
    if (p == p.parent_path()) break;
  }
  for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
    if (::mkdir(it->c_str(), kFolderMode) != 0) {
      const int err = errno;
      if (err == EEXIST && is_folder(*it)) continue;  // made meanwhile by someone else: not ours
      return file_error("cannot create folder", it->string(), err);
    }
    if (::chmod(it->c_str(), kFolderMode) != 0) {
      return file_error("cannot set the mode of folder", it->string(), errno);
    }
  }
  return {};
}

// Creates `path` empty with mode 0600 unless it exists.
Status create_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, kFileMode);
  if (fd < 0) {
    if (errno == EEXIST) return {};
    return file_error("cannot create database file", path, errno);
  }
  const int chmod_rc = ::fchmod(fd, kFileMode);
  const int chmod_err = errno;
  ::close(fd);
  if (chmod_rc != 0) return file_error("cannot set the mode of database file", path, chmod_err);
  return {};
}

}  // namespace

Status prepare_database_file(const std::string& path) {
  if (Status folders = create_missing_folders(std::filesystem::path(path).parent_path());
      !folders) {
    return folders;
  }
  return create_file(path);
}

}  // namespace sg::store
