#include "identity/curl_fetcher.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <string_view>
#include <utility>

#include "common/build_info.hpp"
#include "common/curl_handle.hpp"
#include "common/header_field.hpp"
#include "common/printable_url.hpp"

namespace sg::identity {
namespace {

constexpr std::chrono::seconds kMaxAgeCap{86400};

// What one transfer collects; the callbacks get a pointer to it.
struct Transfer {
  std::string body;
  std::size_t max_bytes = 0;
  bool too_large = false;
  std::string cache_control;  // the Cache-Control values of the current response, joined by ','
};

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const std::size_t n = size * count;
  if (n > t->max_bytes - t->body.size()) {
    t->too_large = true;
    return 0;  // anything but n aborts the transfer with CURLE_WRITE_ERROR
  }
  t->body.append(data, n);
  return n;
}

bool iequals(std::string_view a, std::string_view b) {
  return std::ranges::equal(
      a, b, [](unsigned char x, unsigned char y) { return std::tolower(x) == std::tolower(y); });
}

std::string_view trim(std::string_view s) {
  const auto ows = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && ows(s.front()))
    s.remove_prefix(1);
  while (!s.empty() && ows(s.back()))
    s.remove_suffix(1);
  return s;
}

// Called once per header line of every response, redirects included (each starts with its
// status line, so only the final response's Cache-Control is kept).
std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const std::size_t n = size * count;
  const std::string_view line(data, n);
  if (line.starts_with("HTTP/")) {
    t->cache_control.clear();
    return n;
  }
  const auto colon = line.find(':');
  if (colon != std::string_view::npos && iequals(line.substr(0, colon), "cache-control")) {
    if (!t->cache_control.empty()) t->cache_control += ',';
    t->cache_control += trim(line.substr(colon + 1));
  }
  return n;
}

Error failure(const std::string& url, std::string_view why) {
  return make_error(Errc::kIssuerUnavailable,
                    "GET " + printable_url(url) + " failed: " + std::string(why));
}

}  // namespace

std::optional<std::chrono::seconds> cache_max_age(std::string_view cache_control) {
  int seen = 0;
  std::string_view value;
  while (!cache_control.empty()) {
    const auto comma = cache_control.find(',');
    const std::string_view directive = trim(cache_control.substr(0, comma));
    cache_control = comma == std::string_view::npos ? "" : cache_control.substr(comma + 1);
    const auto eq = directive.find('=');
    if (!iequals(trim(directive.substr(0, eq)), "max-age")) continue;
    ++seen;
    value = eq == std::string_view::npos ? "" : trim(directive.substr(eq + 1));
  }
  if (seen != 1) return std::nullopt;  // absent, or duplicated (RFC 9111 §4.2.1: invalid)
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
    value = value.substr(1, value.size() - 2);
  }
  if (value.empty() || value.size() > 10 ||
      !std::ranges::all_of(value, [](unsigned char c) { return std::isdigit(c) != 0; })) {
    return std::nullopt;
  }
  long long secs = 0;
  for (char c : value)
    secs = secs * 10 + (c - '0');
  return std::min(std::chrono::seconds(secs), kMaxAgeCap);
}

CurlFetcher::CurlFetcher() : CurlFetcher(Limits{}) {}

CurlFetcher::CurlFetcher(Limits limits) : limits_(limits) {
  init_curl_once();
}

Result<FetchResponse> CurlFetcher::get(const std::string& url, const FetchOptions& options) {
  CurlEasy easy(curl_easy_init());
  if (!easy) return failure(url, "cannot create a libcurl handle");
  CURL* h = easy.get();

  CurlList headers;
  for (const auto& [name, value] : options.headers) {
    if (!is_header_field(name, value)) {
      return make_error(Errc::kInvalidArgument, "GET " + printable_url(url) +
                                                    ": a request header has a forbidden character");
    }
    // "Name;" is libcurl's spelling of a header with an empty value.
    const std::string line = value.empty() ? name + ";" : name + ": " + value;
    curl_slist* appended = curl_slist_append(headers.get(), line.c_str());
    if (appended == nullptr) return failure(url, "out of memory");
    (void)headers.release();
    headers.reset(appended);
  }

  Transfer t;
  t.max_bytes = options.max_bytes;
  char errbuf[CURL_ERROR_SIZE] = {};
  const long timeout_ms = std::max<long>(1, static_cast<long>(options.timeout.count()));
  const long connect_ms =
      std::clamp<long>(static_cast<long>(limits_.connect_timeout.count()), 1, timeout_ms);
  const std::string user_agent = std::string("stackgate/") + build_info().version;

  // Every option is checked: a libcurl that silently ignored, say, the protocol restriction
  // must not be used at all.
  CURLcode set = CURLE_OK;
  const auto option = [&](CURLoption o, auto value) {
    if (set == CURLE_OK) set = curl_easy_setopt(h, o, value);
  };
  option(CURLOPT_URL, url.c_str());
  option(CURLOPT_HTTPGET, 1L);
  option(CURLOPT_NOSIGNAL, 1L);
  option(CURLOPT_ERRORBUFFER, errbuf);
  option(CURLOPT_TIMEOUT_MS, timeout_ms);
  option(CURLOPT_CONNECTTIMEOUT_MS, connect_ms);
  option(CURLOPT_PROTOCOLS_STR, "http,https");
  option(CURLOPT_FOLLOWLOCATION, 1L);
  option(CURLOPT_MAXREDIRS, limits_.max_redirects);
  option(CURLOPT_REDIR_PROTOCOLS_STR, "https");
  option(CURLOPT_SSL_VERIFYPEER, 1L);
  option(CURLOPT_SSL_VERIFYHOST, 2L);
  option(CURLOPT_SSLVERSION, static_cast<long>(CURL_SSLVERSION_TLSv1_2));
  option(CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(options.max_bytes));
  option(CURLOPT_WRITEFUNCTION, on_body);
  option(CURLOPT_WRITEDATA, &t);
  option(CURLOPT_HEADERFUNCTION, on_header);
  option(CURLOPT_HEADERDATA, &t);
  option(CURLOPT_USERAGENT, user_agent.c_str());
  if (headers) option(CURLOPT_HTTPHEADER, headers.get());
  if (set != CURLE_OK) return failure(url, std::string("libcurl: ") + curl_easy_strerror(set));

  const CURLcode rc = curl_easy_perform(h);
  if (t.too_large || rc == CURLE_FILESIZE_EXCEEDED) {
    return failure(url, "response larger than " + std::to_string(options.max_bytes) + " bytes");
  }
  if (rc != CURLE_OK) {
    return failure(url, errbuf[0] != '\0' ? std::string_view(errbuf) : curl_easy_strerror(rc));
  }
  long status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  FetchResponse resp;
  resp.status = static_cast<int>(status);
  resp.body = std::move(t.body);
  resp.max_age = cache_max_age(t.cache_control);
  return resp;
}

}  // namespace sg::identity
