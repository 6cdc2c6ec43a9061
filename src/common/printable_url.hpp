// printable_url turns a URL into the form that log lines and error messages may show: without
// userinfo (user names and passwords), query and fragment (which often carry tokens), cut to a
// bounded length, with control characters replaced.
//
// Used wherever stackgate names an outbound HTTP endpoint: identity's fetcher, the audit webhook.
// Pure function; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace sg {

// "https://u:p@host:8443/a/b?token=x#f" → "https://host:8443/a/b". At most 200 bytes (then "…"
// appended); bytes below 0x20 and 0x7f become '?'. Text without "://" gives "(an invalid URL)".
std::string printable_url(std::string_view url);

}  // namespace sg
