#include "policy/glob.hpp"

#include <algorithm>
#include <vector>

namespace sg::policy {
namespace {

bool is_wild(char c) {
  return c == '*' || c == '?';
}

// The general matcher: on a mismatch, let the most recent `*` take one more character and retry
// from there. Earlier stars never need to be revisited, so this is the classic iterative match.
bool match_general(std::string_view p, std::string_view t) {
  std::size_t pi = 0, ti = 0;
  std::size_t star = std::string_view::npos, star_t = 0;
  while (ti < t.size()) {
    if (pi < p.size() && (p[pi] == '?' || (p[pi] != '*' && p[pi] == t[ti]))) {
      ++pi;
      ++ti;
    } else if (pi < p.size() && p[pi] == '*') {
      star = pi++;
      star_t = ti;
    } else if (star != std::string_view::npos) {
      pi = star + 1;
      ti = ++star_t;
    } else {
      return false;
    }
  }
  while (pi < p.size() && p[pi] == '*')
    ++pi;
  return pi == p.size();
}

}  // namespace

bool has_wildcard(std::string_view s) {
  return std::ranges::any_of(s, is_wild);
}

Result<Glob> Glob::compile(std::string_view pattern) {
  if (pattern.empty()) return make_error(Errc::kInvalidArgument, "a pattern cannot be empty");
  if (pattern.size() > kMaxGlobBytes) {
    return make_error(Errc::kInvalidArgument,
                      "a pattern is at most " + std::to_string(kMaxGlobBytes) + " bytes");
  }
  for (char c : pattern) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) {
      return make_error(Errc::kInvalidArgument, "a pattern cannot contain control characters");
    }
  }
  std::string text(pattern);
  std::size_t wild = std::ranges::count_if(pattern, is_wild);
  if (wild == 0) return Glob(std::move(text), Shape::kLiteral);
  if (std::ranges::all_of(pattern, [](char c) { return c == '*'; })) {
    return Glob(std::move(text), Shape::kAny);
  }
  if (wild == 1 && pattern.back() == '*') return Glob(std::move(text), Shape::kPrefix);
  if (wild == 1 && pattern.front() == '*') return Glob(std::move(text), Shape::kSuffix);
  return Glob(std::move(text), Shape::kGeneral);
}

bool Glob::matches(std::string_view t) const {
  std::string_view p = text_;
  switch (shape_) {
    case Shape::kLiteral:
      return t == p;
    case Shape::kAny:
      return true;
    case Shape::kPrefix:
      return t.starts_with(p.substr(0, p.size() - 1));
    case Shape::kSuffix:
      return t.ends_with(p.substr(1));
    case Shape::kGeneral:
      return match_general(p, t);
  }
  return false;
}

bool Glob::covers(const Glob& narrower) const {
  if (shape_ == Shape::kAny) return true;
  const std::string_view p = text_;
  const std::string_view q = narrower.text_;
  // can[j] for the current i: p[i..] covers q[j..]. Filled from the ends backwards.
  std::vector<char> next(q.size() + 1, 0);
  std::vector<char> cur(q.size() + 1, 0);
  next[q.size()] = 1;  // the empty pattern covers only the empty rest
  for (std::size_t i = p.size(); i-- > 0;) {
    cur.assign(q.size() + 1, 0);
    for (std::size_t j = q.size() + 1; j-- > 0;) {
      const bool more = j < q.size();
      if (p[i] == '*') {
        // `*` matches nothing, or absorbs q[j] whatever it is (wildcards included).
        cur[j] = static_cast<char>(next[j] != 0 || (more && cur[j + 1] != 0));
      } else if (p[i] == '?') {
        // `?` stands for one character: a literal or a `?` of q, never a `*` (any length).
        cur[j] = static_cast<char>(more && q[j] != '*' && next[j + 1] != 0);
      } else {
        cur[j] = static_cast<char>(more && q[j] == p[i] && next[j + 1] != 0);
      }
    }
    next.swap(cur);
  }
  return next[0] != 0;
}

std::string_view Glob::literal_prefix() const {
  std::string_view p = text_;
  auto it = std::ranges::find_if(p, is_wild);
  return p.substr(0, static_cast<std::size_t>(it - p.begin()));
}

}  // namespace sg::policy
