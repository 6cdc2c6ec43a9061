// The libcurl plumbing shared by the two outbound HTTP clients (identity's CurlFetcher, audit's
// CurlPoster): one process-wide curl_global_init, and owning handles for an easy handle and a
// header list. Header-only, so the common layer itself does not link libcurl; the layers that
// include it do. init_curl_once() is thread-safe; a handle belongs to one transfer.
#pragma once

#include <curl/curl.h>

#include <memory>
#include <mutex>

namespace sg {

inline void init_curl_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct CurlEasyDeleter {
  void operator()(CURL* h) const { curl_easy_cleanup(h); }
};
struct CurlListDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

using CurlEasy = std::unique_ptr<CURL, CurlEasyDeleter>;
using CurlList = std::unique_ptr<curl_slist, CurlListDeleter>;

}  // namespace sg
