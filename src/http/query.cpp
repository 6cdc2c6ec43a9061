#include "http/query.hpp"

#include <algorithm>
#include <charconv>

namespace sg::http {
namespace {

int hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::string> decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '+') {
      out.push_back(' ');
    } else if (c == '%') {
      if (i + 2 >= s.size()) return std::nullopt;
      int hi = hex(s[i + 1]), lo = hex(s[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

// " 'name'" for a short printable parameter name, else "": names come from the caller.
std::string label(const std::string& n) {
  bool printable = !n.empty() && n.size() <= 40 && std::ranges::all_of(n, [](char c) {
    return c > 0x20 && c < 0x7f && c != '\'' && c != '"';
  });
  return printable ? " '" + n + "'" : std::string();
}

}  // namespace

Result<Query> Query::parse(std::string_view query) {
  Query q;
  std::size_t pos = 0;
  while (pos <= query.size() && !query.empty()) {
    std::size_t end = std::min(query.find('&', pos), query.size());
    std::string_view part = query.substr(pos, end - pos);
    pos = end + 1;
    if (part.empty()) {
      if (end == query.size()) break;
      continue;
    }
    if (q.params_.size() == kMaxQueryParams) {
      return make_error(Errc::kInvalidArgument, "too many query parameters");
    }
    std::size_t eq = part.find('=');
    auto name = decode(part.substr(0, eq));
    auto value = decode(eq == std::string_view::npos ? std::string_view() : part.substr(eq + 1));
    if (!name || !value)
      return make_error(Errc::kInvalidArgument, "bad percent-encoding in the query");
    if (name->empty()) return make_error(Errc::kInvalidArgument, "a query parameter has no name");
    if (q.get(*name)) {
      return make_error(Errc::kInvalidArgument, "query parameter" + label(*name) + " is repeated");
    }
    q.params_.emplace_back(std::move(*name), std::move(*value));
    if (end == query.size()) break;
  }
  return q;
}

std::optional<std::string_view> Query::get(std::string_view name) const {
  for (const auto& [n, v] : params_) {
    if (n == name) return std::string_view(v);
  }
  return std::nullopt;
}

Status Query::only(std::initializer_list<std::string_view> known) const {
  for (const auto& [n, v] : params_) {
    if (std::ranges::find(known, std::string_view(n)) == known.end()) {
      std::string list;
      for (std::string_view k : known)
        list += (list.empty() ? "" : ", ") + std::string(k);
      return make_error(Errc::kInvalidArgument, "unknown query parameter" + label(n) +
                                                    "; expected " + (list.empty() ? "none" : list));
    }
  }
  return {};
}

Result<std::int64_t> Query::integer(std::string_view name, std::int64_t min, std::int64_t max,
                                    std::int64_t fallback) const {
  auto text = get(name);
  if (!text) return fallback;
  std::int64_t n = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), n);
  if (ec != std::errc() || end != text->data() + text->size() || n < min || n > max) {
    return make_error(Errc::kInvalidArgument, std::string(name) + ": expected an integer from " +
                                                  std::to_string(min) + " to " +
                                                  std::to_string(max));
  }
  return n;
}

}  // namespace sg::http
