// "Did you mean" suggestions for misspelt configuration keys and enum values.
//
// Owned by the config loader; used wherever a name is checked against a closed set. A candidate is
// suggested when it equals the name ignoring case, or is within edit distance 2 of it (the closest
// wins; ties go to the earlier candidate). Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace sg::config {

// Levenshtein distance between `a` and `b` (insertions, deletions and substitutions cost 1).
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate closest to `name`, if one is close enough to be a likely typo.
std::optional<std::string> suggest(std::string_view name,
                                   std::span<const std::string_view> candidates);

// "; did you mean 'X'?" when there is a suggestion, else "".
std::string did_you_mean(std::string_view name, std::span<const std::string_view> candidates);

}  // namespace sg::config
