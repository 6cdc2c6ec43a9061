#include "config/secret_ref.hpp"

#include <sys/stat.h>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>

namespace sg::config {
namespace {

constexpr std::size_t kMaxSecretFileBytes = 64 * 1024;

Error fail(const SecretRef& ref, std::string_view why) {
  return make_error(Errc::kInvalidConfig, "secret " + ref.describe() + " " + std::string(why));
}

Result<std::string> resolve_env(const SecretRef& ref) {
  const char* value = std::getenv(ref.name.c_str());  // NOLINT(concurrency-mt-unsafe)
  if (value == nullptr) return fail(ref, "is not set");
  if (*value == '\0') return fail(ref, "is empty");
  return std::string(value);
}

Result<std::string> resolve_file(const SecretRef& ref) {
  struct stat st {};
  if (::stat(ref.name.c_str(), &st) != 0) {
    return fail(ref, std::string("cannot be read: ") + std::strerror(errno));
  }
  if (!S_ISREG(st.st_mode)) return fail(ref, "is not a regular file");
  if (static_cast<std::size_t>(st.st_size) > kMaxSecretFileBytes) {
    return fail(ref, "is larger than 64 KiB");
  }
  std::ifstream in(ref.name, std::ios::binary);
  if (!in) return fail(ref, "cannot be read");
  std::string value;
  value.reserve(kMaxSecretFileBytes + 1);
  // Read at most one byte past the limit, in case the file grew since stat().
  std::istreambuf_iterator<char> it(in), end;
  while (it != end && value.size() <= kMaxSecretFileBytes)
    value.push_back(*it++);
  if (in.bad()) return fail(ref, "cannot be read");
  if (value.size() > kMaxSecretFileBytes) return fail(ref, "is larger than 64 KiB");
  if (value.ends_with("\r\n")) {
    value.resize(value.size() - 2);
  } else if (value.ends_with('\n')) {
    value.pop_back();
  }
  if (value.empty()) return fail(ref, "is empty");
  return value;
}

}  // namespace

std::string SecretRef::describe() const {
  return (source == Source::kEnv ? "env:" : "file:") + name;
}

Result<std::string> SecretRef::resolve() const {
  return source == Source::kEnv ? resolve_env(*this) : resolve_file(*this);
}

}  // namespace sg::config
