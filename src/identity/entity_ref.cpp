#include "identity/entity_ref.hpp"

namespace sg::identity {
namespace {

bool is_ref_part(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f || c == ':' || c == '/' || c == '"' || c == '\\') return false;
  }
  return true;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (x != b[i]) return false;
  }
  return true;
}

}  // namespace

bool is_user_entity_ref(std::string_view ref) {
  if (ref.size() > kMaxEntityRefBytes) return false;
  const auto colon = ref.find(':');
  if (colon == std::string_view::npos || !iequals(ref.substr(0, colon), "user")) return false;
  const std::string_view rest = ref.substr(colon + 1);
  const auto slash = rest.find('/');
  if (slash == std::string_view::npos) return false;
  return is_ref_part(rest.substr(0, slash)) && is_ref_part(rest.substr(slash + 1));
}

}  // namespace sg::identity
