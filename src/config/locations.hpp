// Converters for values that point somewhere: URLs, listen addresses and file paths.
//
// URLs are checked for shape only (scheme://host[:port][/…]); userinfo passwords are removed before
// a URL is stored or quoted in a message. Paths are resolved against the configuration file's
// folder. Internal to src/config/. Reads file metadata only; not thread-safe (reports into a
// Context).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "config/yaml_reader.hpp"

namespace sg::config {

struct Url {
  std::string scheme;  // lower case
  std::string host;    // without IPv6 brackets
  std::optional<std::uint16_t> port;
};

// scheme://[userinfo@]host[:port][/path][?query][#fragment], or nothing.
std::optional<Url> parse_url(std::string_view text);

// localhost, 127.0.0.1 or ::1.
bool is_loopback_host(std::string_view host);

// `text` with the password of any userinfo removed ("postgres://u:pw@h/db" → "postgres://u@h/db").
std::string redact_url(std::string_view text);

struct ListenAddress {
  std::string host;  // without IPv6 brackets
  std::uint16_t port = 0;
};

// "host:port", "[v6]:port"; port 0 means any free port.
std::optional<ListenAddress> as_listen(Context& ctx, const Value& v);

// An http or https URL.
std::optional<std::string> as_http_url(Context& ctx, const Value& v);
// An https URL, or http when the host is loopback.
std::optional<std::string> as_secure_url(Context& ctx, const Value& v);
// Any scheme://… URL (backends such as s3://bucket or file:///path).
std::optional<std::string> as_any_url(Context& ctx, const Value& v);

// A path made absolute against the configuration file's folder.
std::optional<std::string> as_path(Context& ctx, const Value& v);
// The same, and it must be a readable regular file.
std::optional<std::string> as_existing_file(Context& ctx, const Value& v);
// The same, and it must be a directory.
std::optional<std::string> as_existing_dir(Context& ctx, const Value& v);

}  // namespace sg::config
