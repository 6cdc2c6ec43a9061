#include "config/fields.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace sg::config {
namespace {

struct SizeUnit {
  std::string_view name;
  std::uint64_t bytes;
};
constexpr std::array<SizeUnit, 3> kSizeUnits{
    {{"GiB", std::uint64_t{1} << 30}, {"MiB", std::uint64_t{1} << 20}, {"KiB", 1024}}};

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

bool all_of_chars(std::string_view s, bool (*allowed)(char)) {
  return !s.empty() && std::ranges::all_of(s, allowed);
}

bool all_digits(std::string_view s) {
  return all_of_chars(s, is_digit);
}

// Plain (unquoted) scalars are numbers and booleans in YAML; quoted ones are strings.
bool is_plain(const YAML::Node& n) {
  return n.IsScalar() && n.Tag() == "?";
}

std::string got(const YAML::Node& n) {
  std::string out = ", got " + describe(n);
  if (n.IsScalar() && !is_plain(n)) out += " (a quoted string)";
  return out;
}

// Decimal digits to a number; nothing on overflow.
std::optional<std::uint64_t> to_uint(std::string_view digits) {
  std::uint64_t n = 0;
  for (char c : digits) {
    std::uint64_t d = static_cast<std::uint64_t>(c - '0');
    if (n > (UINT64_MAX - d) / 10) return std::nullopt;
    n = n * 10 + d;
  }
  return n;
}

std::string format_size(std::uint64_t bytes) {
  for (const SizeUnit& u : kSizeUnits) {
    if (bytes >= u.bytes && bytes % u.bytes == 0)
      return std::to_string(bytes / u.bytes) + std::string(u.name);
  }
  return std::to_string(bytes);
}

std::string range_text(std::uint64_t min, std::uint64_t max, std::string (*format)(std::uint64_t)) {
  if (min == 0) return "at most " + format(max);
  return "from " + format(min) + " to " + format(max);
}

std::string plain_number(std::uint64_t n) {
  return std::to_string(n);
}

// Checks [min, max] for an already-parsed number and reports with `format`.
std::optional<std::uint64_t> in_range(Context& ctx, const Value& v, std::optional<std::uint64_t> n,
                                      std::uint64_t min, std::uint64_t max, std::string_view what,
                                      std::string (*format)(std::uint64_t)) {
  if (n && *n >= min && *n <= max) return n;
  ctx.error(v, "expected " + std::string(what) + " " + range_text(min, max, format) + got(v.node));
  return std::nullopt;
}

}  // namespace

bool is_identifier(std::string_view s) {
  auto first = [](char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; };
  auto rest = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  return !s.empty() && first(s[0]) && std::all_of(s.begin() + 1, s.end(), rest);
}

bool is_lower_name_char(char c) {
  return (c >= 'a' && c <= 'z') || is_digit(c) || c == '-';
}

bool is_name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
}

std::optional<std::string> as_string(Context& ctx, const Value& v) {
  if (v.node.IsScalar() && !v.node.Scalar().empty()) return v.node.Scalar();
  ctx.error(v, "expected a non-empty string" + got(v.node));
  return std::nullopt;
}

std::optional<bool> as_bool(Context& ctx, const Value& v) {
  if (is_plain(v.node) && v.node.Scalar() == "true") return true;
  if (is_plain(v.node) && v.node.Scalar() == "false") return false;
  ctx.error(v, "expected true or false" + got(v.node));
  return std::nullopt;
}

std::optional<std::uint64_t> read_uint(Context& ctx, const Value& v, std::uint64_t min,
                                       std::uint64_t max) {
  const std::string text = v.node.IsScalar() ? v.node.Scalar() : "";
  if (!is_plain(v.node) || !all_digits(text)) {
    ctx.error(v, "expected a non-negative integer" + got(v.node));
    return std::nullopt;
  }
  return in_range(ctx, v, to_uint(text), min, max, "an integer", plain_number);
}

std::optional<std::uint64_t> read_size(Context& ctx, const Value& v, std::uint64_t min,
                                       std::uint64_t max) {
  if (is_plain(v.node) && all_digits(v.node.Scalar())) return read_uint(ctx, v, min, max);
  const std::string text = v.node.IsScalar() ? v.node.Scalar() : "";
  for (const SizeUnit& u : kSizeUnits) {
    if (!text.ends_with(u.name)) continue;
    std::string_view digits = std::string_view(text).substr(0, text.size() - u.name.size());
    if (!all_digits(digits)) continue;
    auto n = to_uint(digits);
    if (n && *n > UINT64_MAX / u.bytes) n.reset();
    return in_range(ctx, v, n ? std::optional(*n * u.bytes) : n, min, max, "a size", format_size);
  }
  ctx.error(v, "expected a size in bytes like 16384 or 16KiB (units KiB, MiB, GiB)" + got(v.node));
  return std::nullopt;
}

std::optional<Duration> read_duration(Context& ctx, const Value& v, Duration min, Duration max) {
  if (!v.node.IsScalar() || v.node.Scalar().empty()) {
    ctx.error(v, "expected a duration like 30s" + got(v.node));
    return std::nullopt;
  }
  const std::string& text = v.node.Scalar();
  if (all_digits(text)) {
    ctx.error(v, "expected a duration like 30s, got " + text + " (a bare number has no unit)");
    return std::nullopt;
  }
  auto d = parse_duration(text);
  if (!d) {
    ctx.error(v, d.error().message + got(v.node));
    return std::nullopt;
  }
  if (*d < min) {
    std::string bound =
        min == Duration(1) ? "greater than 0s" : "of at least " + format_duration(min);
    ctx.error(v, "expected a duration " + bound + got(v.node));
    return std::nullopt;
  }
  if (*d > max) {
    ctx.error(v, "expected a duration of at most " + format_duration(max) + got(v.node));
    return std::nullopt;
  }
  return *d;
}

std::optional<std::string> read_name(Context& ctx, const Value& v, std::string_view pattern,
                                     bool (*allowed)(char)) {
  if (v.node.IsScalar() && all_of_chars(v.node.Scalar(), allowed)) return v.node.Scalar();
  ctx.error(v, "expected a name matching " + std::string(pattern) + got(v.node));
  return std::nullopt;
}

std::optional<std::vector<std::string>> as_string_list(Context& ctx, const Value& v) {
  if (v.node.IsScalar()) {
    auto s = as_string(ctx, v);
    return s ? std::optional(std::vector<std::string>{*s}) : std::nullopt;
  }
  if (!v.node.IsSequence() && !v.node.IsNull()) {
    ctx.error(v, "expected a string or a list of strings" + got(v.node));
    return std::nullopt;
  }
  std::vector<std::string> out;
  bool ok = true;
  for (const Value& item : list_items(ctx, v)) {
    auto s = as_string(ctx, item);
    ok = ok && s.has_value();
    if (s) out.push_back(std::move(*s));
  }
  return ok ? std::optional(std::move(out)) : std::nullopt;
}

std::optional<std::map<std::string, std::string>> as_string_map(Context& ctx, const Value& v) {
  ObjectReader r(ctx, v);
  std::map<std::string, std::string> out;
  bool ok = r.valid();
  r.each([&](const std::string& key, const Value& item, const YAML::Mark&) {
    auto s = as_string(ctx, item);
    ok = ok && s.has_value();
    if (s) out.emplace(key, std::move(*s));
  });
  return ok ? std::optional(std::move(out)) : std::nullopt;
}

}  // namespace sg::config
