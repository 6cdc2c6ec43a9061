#include "config/suggest.hpp"

#include <algorithm>
#include <cctype>
#include <vector>

namespace sg::config {
namespace {

constexpr std::size_t kMaxDistance = 2;

bool equal_ignoring_case(std::string_view a, std::string_view b) {
  return std::ranges::equal(a, b, [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  });
}

}  // namespace

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j)
    row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t above = row[j];
      std::size_t substitute = diagonal + (a[i - 1] == b[j - 1] ? 0 : 1);
      row[j] = std::min({above + 1, row[j - 1] + 1, substitute});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::optional<std::string> suggest(std::string_view name,
                                   std::span<const std::string_view> candidates) {
  for (std::string_view c : candidates) {
    if (equal_ignoring_case(name, c)) return std::string(c);
  }
  std::optional<std::string> best;
  std::size_t best_distance = kMaxDistance + 1;
  for (std::string_view c : candidates) {
    std::size_t d = edit_distance(name, c);
    // A one-letter name is "close" to every short key; require the edit to leave something shared.
    if (d < best_distance && d < std::max(name.size(), c.size())) {
      best = std::string(c);
      best_distance = d;
    }
  }
  return best;
}

std::string did_you_mean(std::string_view name, std::span<const std::string_view> candidates) {
  auto s = suggest(name, candidates);
  return s ? "; did you mean '" + *s + "'?" : std::string();
}

}  // namespace sg::config
