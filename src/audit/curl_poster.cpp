#include "audit/curl_poster.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <memory>
#include <utility>

#include "common/build_info.hpp"
#include "common/curl_handle.hpp"
#include "common/header_field.hpp"
#include "common/printable_url.hpp"

namespace sg::audit {
namespace {

// What one transfer collects; the body callback gets a pointer to it.
struct Transfer {
  std::string body;
  std::size_t max_bytes = 0;
  bool too_large = false;
};

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const std::size_t n = size * count;
  if (n > t->max_bytes - t->body.size()) {
    t->body.append(data, t->max_bytes - t->body.size());
    t->too_large = true;
    return 0;  // anything but n aborts the transfer with CURLE_WRITE_ERROR
  }
  t->body.append(data, n);
  return n;
}

Error failure(const std::string& url, std::string_view why) {
  return make_error(Errc::kUnavailable,
                    "POST " + printable_url(url) + " failed: " + std::string(why));
}

bool append_line(CurlList& list, const std::string& line) {
  curl_slist* appended = curl_slist_append(list.get(), line.c_str());
  if (appended == nullptr) return false;
  (void)list.release();
  list.reset(appended);
  return true;
}

// "Name: value"; libcurl spells a header with an empty value "Name;" ("Name:" would remove it).
std::string header_line(std::string_view name, std::string_view value) {
  std::string line(name);
  if (value.empty()) return line + ';';
  line += ": ";
  line += value;
  return line;
}

}  // namespace

CurlPoster::CurlPoster() : CurlPoster(Limits{}) {}

CurlPoster::CurlPoster(Limits limits) : limits_(limits) {
  init_curl_once();
}

Result<HttpReply> CurlPoster::post(const std::string& url, std::string_view content_type,
                                   std::string_view body, const HttpHeaders& headers,
                                   std::chrono::milliseconds timeout) {
  if (!is_header_field("Content-Type", content_type) ||
      std::ranges::any_of(headers,
                          [](const auto& h) { return !is_header_field(h.first, h.second); })) {
    return make_error(Errc::kInvalidArgument, "POST " + printable_url(url) +
                                                  ": a request header has a forbidden character");
  }
  CurlEasy easy(curl_easy_init());
  if (!easy) return failure(url, "cannot create a libcurl handle");
  CURL* h = easy.get();

  CurlList list;
  // "Expect:" removes the header libcurl would add to large bodies (and its 1 s wait for 100).
  bool listed =
      append_line(list, header_line("Content-Type", content_type)) && append_line(list, "Expect:");
  for (const auto& [name, value] : headers)
    listed = listed && append_line(list, header_line(name, value));
  if (!listed) return failure(url, "out of memory");

  Transfer t;
  t.max_bytes = limits_.max_response_bytes;
  char errbuf[CURL_ERROR_SIZE] = {};
  const long timeout_ms = std::max<long>(1, static_cast<long>(timeout.count()));
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
  option(CURLOPT_POST, 1L);
  // Never null: with no POSTFIELDS libcurl would read the body from stdin.
  const char* fields = body.empty() ? "" : body.data();
  option(CURLOPT_POSTFIELDS, fields);
  option(CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  option(CURLOPT_NOSIGNAL, 1L);
  option(CURLOPT_ERRORBUFFER, errbuf);
  option(CURLOPT_TIMEOUT_MS, timeout_ms);
  option(CURLOPT_CONNECTTIMEOUT_MS, connect_ms);
  option(CURLOPT_PROTOCOLS_STR, "http,https");
  option(CURLOPT_FOLLOWLOCATION, 0L);
  option(CURLOPT_SSL_VERIFYPEER, 1L);
  option(CURLOPT_SSL_VERIFYHOST, 2L);
  option(CURLOPT_SSLVERSION, static_cast<long>(CURL_SSLVERSION_TLSv1_2));
  option(CURLOPT_WRITEFUNCTION, on_body);
  option(CURLOPT_WRITEDATA, &t);
  option(CURLOPT_USERAGENT, user_agent.c_str());
  option(CURLOPT_HTTPHEADER, list.get());
  if (set != CURLE_OK) return failure(url, std::string("libcurl: ") + curl_easy_strerror(set));

  const CURLcode rc = curl_easy_perform(h);
  long status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  if (rc != CURLE_OK && !(t.too_large && status != 0)) {
    return failure(url, errbuf[0] != '\0' ? std::string_view(errbuf) : curl_easy_strerror(rc));
  }
  HttpReply reply;
  reply.status = static_cast<int>(status);
  reply.body = std::move(t.body);
  reply.body_cut = t.too_large;
  return reply;
}

}  // namespace sg::audit
