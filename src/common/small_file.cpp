#include "common/small_file.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>

namespace sg {

Result<std::string> read_small_file(const std::string& path, std::size_t max_bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return make_error(Errc::kIo, std::string("cannot read the file: ") + std::strerror(errno));
  std::string text;
  char buf[8192];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    text.append(buf, static_cast<std::size_t>(in.gcount()));
    if (text.size() > max_bytes) {
      constexpr std::size_t kMiB = 1024 * 1024;
      std::string bound = max_bytes % kMiB == 0 ? std::to_string(max_bytes / kMiB) + " MiB"
                                                : std::to_string(max_bytes / 1024) + " KiB";
      return make_error(Errc::kIo, "the file is larger than " + bound);
    }
  }
  if (in.bad()) return make_error(Errc::kIo, "cannot read the file");
  return text;
}

}  // namespace sg
