// ValuePattern is one value on the right of a `when` condition: a literal, a glob, or a template
// `{principal.<attribute>}` with optional literal text around it
// ("group:default/{principal.team}").
//
// A template is replaced by each value of the principal's attribute and compared *literally*: a
// principal whose team is "*" matches only the text "*", never everything. A template whose
// attribute is missing (or empty) matches nothing. At most one template per value, and no glob
// characters beside it. Immutable value type; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "policy/attribute.hpp"
#include "policy/glob.hpp"
#include "policy/principal.hpp"

namespace sg::policy {

class ValuePattern {
 public:
  // Errors: kInvalidArgument saying what is wrong with the text — a bad glob, an unbalanced or
  // unknown template, two templates, a template beside glob characters, or any template when
  // `allow_templates` is false.
  static Result<ValuePattern> compile(std::string_view text, bool allow_templates);

  // Whether `candidate` matches, templates resolved against `who`.
  bool matches(std::string_view candidate, const Principal& who) const;

  bool is_template() const { return attribute_.has_value(); }
  const std::string& text() const { return text_; }
  // The values a template stands for with `who` (the text itself for literals and globs); empty
  // when the attribute is missing.
  std::vector<std::string> resolve(const Principal& who) const;

 private:
  explicit ValuePattern(std::string text) : text_(std::move(text)) {}

  std::string text_;
  std::optional<Glob> glob_;                     // literal or glob
  std::optional<PrincipalAttribute> attribute_;  // template
  std::string prefix_, suffix_;                  // around the template
};

}  // namespace sg::policy
