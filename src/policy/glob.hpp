// Glob is one compiled pattern of the policy language: `*` matches any run of characters (`/`
// included, possibly empty), `?` exactly one character, everything else itself. There is no
// escaping, no character class and no brace expansion: a pattern means what it shows.
//
// Matching is linear in practice and O(pattern × text) at worst (one backtracking point, no
// recursion), and both sides are bounded: patterns by kMaxGlobBytes here, texts by the claim and
// name bounds of their sources. compile() picks a specialised matcher for the common shapes
// (literal, `*`, `prefix*`, `*suffix`). Immutable value type; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace sg::policy {

inline constexpr std::size_t kMaxGlobBytes = 512;

// Whether `s` contains `*` or `?`.
bool has_wildcard(std::string_view s);

class Glob {
 public:
  // Errors (kInvalidArgument, message fit for a file:line diagnostic): empty, longer than
  // kMaxGlobBytes, or containing a control character.
  static Result<Glob> compile(std::string_view pattern);

  bool matches(std::string_view text) const;

  // Whether every text `narrower` matches is matched by this pattern too. Conservative: true is
  // always right; a few true inclusions read as false (e.g. "a?" does not cover "a*"), which only
  // ever refuses a request. O(this × narrower).
  bool covers(const Glob& narrower) const;

  const std::string& text() const { return text_; }
  bool is_literal() const { return shape_ == Shape::kLiteral; }
  bool matches_everything() const { return shape_ == Shape::kAny; }
  // The characters before the first wildcard (all of them for a literal).
  std::string_view literal_prefix() const;

  friend bool operator==(const Glob& a, const Glob& b) { return a.text_ == b.text_; }

 private:
  enum class Shape { kLiteral, kAny, kPrefix, kSuffix, kGeneral };
  Glob(std::string text, Shape shape) : text_(std::move(text)), shape_(shape) {}

  std::string text_;
  Shape shape_;
};

}  // namespace sg::policy
