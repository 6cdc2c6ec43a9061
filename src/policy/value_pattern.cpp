#include "policy/value_pattern.hpp"

namespace sg::policy {
namespace {

constexpr std::string_view kOpen = "{principal.";

}  // namespace

Result<ValuePattern> ValuePattern::compile(std::string_view text, bool allow_templates) {
  ValuePattern out{std::string(text)};
  std::size_t open = text.find('{');
  if (open == std::string_view::npos) {
    if (text.find('}') != std::string_view::npos) {
      return make_error(Errc::kInvalidArgument, "'}' without a '{' before it");
    }
    auto glob = Glob::compile(text);
    if (!glob) return glob.error();
    out.glob_ = std::move(*glob);
    return out;
  }
  if (!allow_templates) {
    return make_error(Errc::kInvalidArgument,
                      "templates like {principal.team} belong in rule conditions, where a stack "
                      "attribute is compared with the principal; here values are fixed");
  }
  std::size_t close = text.find('}', open);
  if (close == std::string_view::npos) {
    return make_error(Errc::kInvalidArgument, "'{' without a closing '}'");
  }
  std::string_view inner = text.substr(open, close + 1 - open);
  if (!inner.starts_with(kOpen)) {
    return make_error(Errc::kInvalidArgument,
                      "a template is written {principal.<attribute>}, e.g. {principal.team}");
  }
  auto attribute =
      PrincipalAttribute::parse(inner.substr(kOpen.size(), inner.size() - kOpen.size() - 1));
  if (!attribute)
    return make_error(Errc::kInvalidArgument, "template: " + attribute.error().message);
  std::string_view prefix = text.substr(0, open);
  std::string_view suffix = text.substr(close + 1);
  if (suffix.find_first_of("{}") != std::string_view::npos) {
    return make_error(Errc::kInvalidArgument, "a value holds at most one template");
  }
  if (has_wildcard(prefix) || has_wildcard(suffix)) {
    return make_error(Errc::kInvalidArgument,
                      "a value is either a glob or a template, not both: the template's values are "
                      "compared literally");
  }
  if (text.size() > kMaxGlobBytes) {
    return make_error(Errc::kInvalidArgument,
                      "a value is at most " + std::to_string(kMaxGlobBytes) + " bytes");
  }
  out.attribute_ = std::move(*attribute);
  out.prefix_ = std::string(prefix);
  out.suffix_ = std::string(suffix);
  return out;
}

bool ValuePattern::matches(std::string_view candidate, const Principal& who) const {
  if (glob_) return glob_->matches(candidate);
  if (candidate.size() <= prefix_.size() + suffix_.size()) return false;
  if (!candidate.starts_with(prefix_) || !candidate.ends_with(suffix_)) return false;
  std::string_view middle =
      candidate.substr(prefix_.size(), candidate.size() - prefix_.size() - suffix_.size());
  return attribute_->any_value(who, [middle](std::string_view v) { return v == middle; });
}

std::vector<std::string> ValuePattern::resolve(const Principal& who) const {
  std::vector<std::string> out;
  if (glob_) {
    out.push_back(text_);
    return out;
  }
  attribute_->any_value(who, [&](std::string_view v) {
    if (!v.empty()) out.push_back(prefix_ + std::string(v) + suffix_);
    return false;
  });
  return out;
}

}  // namespace sg::policy
