#include "policy/scope.hpp"

#include <algorithm>

#include "policy/stack.hpp"

namespace sg::policy {
namespace {

bool is_scope_glob_char(char c) {
  return is_stack_name_char(c) || c == '/' || c == '*' || c == '?';
}

Error bad_item(std::size_t index, std::string_view why) {
  return make_error(Errc::kInvalidArgument,
                    "scope item " + std::to_string(index + 1) + ": " + std::string(why));
}

Result<ScopeItem> parse_item(std::string_view item, std::size_t index) {
  constexpr std::string_view kPrefix = "stack:";
  if (!item.starts_with(kPrefix)) {
    return bad_item(index, "expected stack:<glob>:<action>[,<action>]");
  }
  item.remove_prefix(kPrefix.size());
  std::size_t colon = item.rfind(':');
  if (colon == std::string_view::npos) {
    return bad_item(index, "expected stack:<glob>:<action>[,<action>]");
  }
  std::string_view glob_text = item.substr(0, colon);
  std::string_view actions_text = item.substr(colon + 1);
  if (!std::ranges::all_of(glob_text, is_scope_glob_char)) {
    return bad_item(index,
                    "a stack glob may only contain letters, digits, '.', '_', '-', '/', "
                    "'*' and '?'");
  }
  auto glob = Glob::compile(glob_text);
  if (!glob) return bad_item(index, glob.error().message);
  ScopeItem out{std::move(*glob), {}};
  while (true) {
    std::size_t comma = actions_text.find(',');
    std::string_view name = actions_text.substr(0, comma);
    auto action = parse_action(name);
    if (!action) {
      return bad_item(index, name.empty() ? "an action is empty"
                                          : "unknown action (expected read, preview, update, "
                                            "refresh, destroy, cancel, approve, admin or audit)");
    }
    if (is_global(*action) && !out.stacks.matches_everything()) {
      return bad_item(index, std::string(action_name(*action)) +
                                 " is not about one stack; scope it as stack:*:" +
                                 std::string(action_name(*action)));
    }
    out.actions.add(*action);
    if (comma == std::string_view::npos) break;
    actions_text.remove_prefix(comma + 1);
  }
  return out;
}

}  // namespace

Result<Scope> Scope::parse(std::string_view text) {
  if (text.size() > kMaxScopeBytes) {
    return make_error(Errc::kInvalidArgument,
                      "a scope is at most " + std::to_string(kMaxScopeBytes) + " bytes");
  }
  Scope scope;
  std::size_t pos = 0;
  while (pos < text.size()) {
    if (text[pos] == ' ') {
      ++pos;
      continue;
    }
    std::size_t end = std::min(text.find(' ', pos), text.size());
    if (scope.items_.size() == kMaxScopeItems) {
      return make_error(Errc::kInvalidArgument,
                        "a scope has at most " + std::to_string(kMaxScopeItems) + " items");
    }
    auto item = parse_item(text.substr(pos, end - pos), scope.items_.size());
    if (!item) return item.error();
    scope.items_.push_back(std::move(*item));
    pos = end;
  }
  return scope;
}

bool Scope::permits(Action action, std::string_view stack_ref) const {
  for (const ScopeItem& item : items_) {
    if (!item.actions.has(action)) continue;
    if (is_global(action) ? item.stacks.matches_everything() : item.stacks.matches(stack_ref)) {
      return true;
    }
  }
  return false;
}

ActionSet Scope::actions_on(std::string_view stack_ref) const {
  ActionSet out;
  for (const ScopeItem& item : items_) {
    if (item.stacks.matches(stack_ref)) out.add(item.actions);
  }
  return out;
}

bool Scope::covers(const Scope& narrower) const {
  // Each pair of globs is compared once (bounded by kMaxScopeBytes² steps in all), then the
  // actions the covering items grant together must include every action asked for.
  for (const ScopeItem& wanted : narrower.items_) {
    ActionSet granted;
    for (const ScopeItem& mine : items_) {
      if (!granted.contains(mine.actions) && mine.stacks.covers(wanted.stacks)) {
        granted.add(mine.actions);
      }
    }
    if (!granted.contains(wanted.actions)) return false;
  }
  return true;
}

std::string Scope::to_string() const {
  std::string out;
  for (const ScopeItem& item : items_) {
    if (!out.empty()) out += ' ';
    out += "stack:" + item.stacks.text() + ":";
    bool first = true;
    for (const std::string& n : item.actions.names()) {
      if (!first) out += ',';
      out += n;
      first = false;
    }
  }
  return out;
}

}  // namespace sg::policy
