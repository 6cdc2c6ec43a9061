#include "config/locations.hpp"

#include <arpa/inet.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "common/json_text.hpp"
#include "config/fields.hpp"

namespace sg::config {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kLoopbackHint =
    " unless the host is loopback (localhost, 127.0.0.1, [::1])";

bool is_hostname_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_';
}

bool is_ip_literal(int family, const std::string& text) {
  unsigned char buf[16];
  return ::inet_pton(family, text.c_str(), buf) == 1;
}

// A host as written in a URL or listen address: [v6], a.b.c.d, or a host name. Brackets removed.
std::optional<std::string> parse_host(std::string_view text) {
  if (text.size() > 2 && text.front() == '[' && text.back() == ']') {
    std::string v6(text.substr(1, text.size() - 2));
    return is_ip_literal(AF_INET6, v6) ? std::optional(v6) : std::nullopt;
  }
  if (text.empty() || !std::ranges::all_of(text, is_hostname_char)) return std::nullopt;
  bool numeric =
      std::ranges::all_of(text, [](char c) { return c == '.' || (c >= '0' && c <= '9'); });
  if (numeric && !is_ip_literal(AF_INET, std::string(text))) return std::nullopt;
  return std::string(text);
}

std::optional<std::uint16_t> parse_port(std::string_view text) {
  if (text.empty() || text.size() > 5) return std::nullopt;
  unsigned n = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + static_cast<unsigned>(c - '0');
  }
  return n <= 65535 ? std::optional(static_cast<std::uint16_t>(n)) : std::nullopt;
}

// Splits "host:port" where host may be "[v6]".
std::optional<std::pair<std::string_view, std::string_view>> split_host_port(std::string_view s) {
  std::size_t colon = s.rfind(':');
  if (colon == std::string_view::npos) return std::nullopt;
  std::string_view host = s.substr(0, colon);
  if (host.find(':') != std::string_view::npos && !host.starts_with('[')) return std::nullopt;
  return std::pair{host, s.substr(colon + 1)};
}

std::string quoted_url(std::string_view text) {
  return json_quote(redact_url(text));
}

enum class UrlRule { kAny, kHttp, kSecure };

std::optional<std::string> read_url(Context& ctx, const Value& v, UrlRule rule) {
  if (!v.node.IsScalar()) {
    ctx.error(v, "expected a URL, got " + describe(v.node));
    return std::nullopt;
  }
  const std::string& text = v.node.Scalar();
  auto url = parse_url(text);
  bool http = url && (url->scheme == "http" || url->scheme == "https");
  if (!url || (rule != UrlRule::kAny && !http)) {
    std::string expected =
        rule == UrlRule::kAny ? "a URL like scheme://host/path" : "an http or https URL";
    ctx.error(v, "expected " + expected + ", got " + quoted_url(text));
    return std::nullopt;
  }
  if (rule == UrlRule::kSecure && url->scheme != "https" && !is_loopback_host(url->host)) {
    ctx.error(v, "must use https" + std::string(kLoopbackHint) + ", got " + quoted_url(text));
    return std::nullopt;
  }
  return redact_url(text);
}

// Resolves `v` and checks that it names something `ok` accepts; `kind` names it in messages.
std::optional<std::string> read_existing(Context& ctx, const Value& v, std::string_view kind,
                                         bool (*ok)(const fs::file_status&)) {
  auto path = as_path(ctx, v);
  if (!path) return std::nullopt;
  std::error_code ec;
  fs::file_status st = fs::status(*path, ec);
  std::string where = json_quote(v.node.Scalar()) + " (" + *path + ")";
  if (!fs::exists(st)) {
    ctx.error(v, std::string(kind) + " " + where + " does not exist");
  } else if (!ok(st)) {
    ctx.error(v, where + " is not a " + std::string(kind));
  } else if (::access(path->c_str(), R_OK) != 0) {
    ctx.error(v, std::string(kind) + " " + where + " is not readable");
  } else {
    return path;
  }
  return std::nullopt;
}

}  // namespace

std::optional<Url> parse_url(std::string_view text) {
  std::size_t sep = text.find("://");
  if (sep == 0 || sep == std::string_view::npos) return std::nullopt;
  Url url;
  for (char c : text.substr(0, sep)) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') {
      return std::nullopt;
    }
    url.scheme.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  std::string_view rest = text.substr(sep + 3);
  std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  if (std::size_t at = authority.rfind('@'); at != std::string_view::npos) {
    authority = authority.substr(at + 1);
  }
  if (authority.empty()) return url.scheme == "file" ? std::optional(url) : std::nullopt;
  std::string_view host = authority;
  if (auto hp = split_host_port(authority); hp && !authority.ends_with(']')) {
    url.port = parse_port(hp->second);
    if (!url.port) return std::nullopt;
    host = hp->first;
  }
  auto parsed = parse_host(host);
  if (!parsed) return std::nullopt;
  url.host = *parsed;
  return url;
}

bool is_loopback_host(std::string_view host) {
  return host == "localhost" || host == "127.0.0.1" || host == "::1";
}

std::string redact_url(std::string_view text) {
  std::size_t sep = text.find("://");
  if (sep == std::string_view::npos) return std::string(text);
  std::size_t start = sep + 3;
  std::size_t end = text.find_first_of("/?#", start);
  std::string_view authority =
      text.substr(start, end == std::string_view::npos ? end : end - start);
  std::size_t at = authority.rfind('@');
  std::size_t colon = authority.substr(0, at == std::string_view::npos ? 0 : at).find(':');
  if (at == std::string_view::npos || colon == std::string_view::npos) return std::string(text);
  std::string out(text);
  out.erase(start + colon, at - colon);
  return out;
}

std::optional<ListenAddress> as_listen(Context& ctx, const Value& v) {
  const std::string text = v.node.IsScalar() ? v.node.Scalar() : "";
  auto hp = split_host_port(text);
  auto host = hp ? parse_host(hp->first) : std::nullopt;
  auto port = hp ? parse_port(hp->second) : std::nullopt;
  if (host && port) return ListenAddress{*host, *port};
  ctx.error(v, "expected host:port (like 127.0.0.1:7070 or [::1]:7070; port 0 to 65535), got " +
                   describe(v.node));
  return std::nullopt;
}

std::optional<std::string> as_http_url(Context& ctx, const Value& v) {
  return read_url(ctx, v, UrlRule::kHttp);
}

std::optional<std::string> as_secure_url(Context& ctx, const Value& v) {
  return read_url(ctx, v, UrlRule::kSecure);
}

std::optional<std::string> as_any_url(Context& ctx, const Value& v) {
  return read_url(ctx, v, UrlRule::kAny);
}

std::optional<std::string> as_path(Context& ctx, const Value& v) {
  auto text = as_string(ctx, v);
  return text ? std::optional(ctx.absolute(*text)) : std::nullopt;
}

std::optional<std::string> as_existing_file(Context& ctx, const Value& v) {
  return read_existing(ctx, v, "file",
                       [](const fs::file_status& st) { return fs::is_regular_file(st); });
}

std::optional<std::string> as_existing_dir(Context& ctx, const Value& v) {
  return read_existing(ctx, v, "directory",
                       [](const fs::file_status& st) { return fs::is_directory(st); });
}

}  // namespace sg::config
