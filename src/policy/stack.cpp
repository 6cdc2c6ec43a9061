#include "policy/stack.hpp"

#include <algorithm>
#include <array>

namespace sg::policy {

bool is_stack_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

Result<StackRef> parse_stack_ref(std::string_view text) {
  constexpr std::string_view kShape = "a stack is written org/project/stack";
  std::array<std::string_view, 3> parts;
  std::size_t n = 0;
  std::size_t start = 0;
  while (true) {
    std::size_t slash = text.find('/', start);
    if (n == parts.size()) return make_error(Errc::kInvalidArgument, std::string(kShape));
    parts[n++] = text.substr(start, slash == std::string_view::npos ? slash : slash - start);
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  if (n != parts.size()) return make_error(Errc::kInvalidArgument, std::string(kShape));
  constexpr std::array<std::string_view, 3> kWhat = {"organisation", "project", "stack"};
  for (std::size_t i = 0; i < parts.size(); ++i) {
    std::string what(kWhat[i]);
    if (parts[i].empty()) {
      return make_error(Errc::kInvalidArgument,
                        std::string(kShape) + "; the " + what + " name is empty");
    }
    if (parts[i].size() > kMaxStackNameBytes) {
      return make_error(Errc::kInvalidArgument, "the " + what + " name is longer than " +
                                                    std::to_string(kMaxStackNameBytes) + " bytes");
    }
    if (!std::ranges::all_of(parts[i], is_stack_name_char)) {
      return make_error(Errc::kInvalidArgument,
                        "the " + what + " name may only contain letters, digits, '.', '_' and '-'");
    }
  }
  return StackRef{std::string(parts[0]), std::string(parts[1]), std::string(parts[2])};
}

Stack Stack::named(std::string org, std::string project, std::string name) {
  Stack s;
  s.ref = org + "/" + project + "/" + name;
  s.org = std::move(org);
  s.project = std::move(project);
  s.name = std::move(name);
  return s;
}

}  // namespace sg::policy
