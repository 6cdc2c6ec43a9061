// Test support for the run credential tests: a scripted HttpPoster that records what it is sent,
// a form-body decoder, a Minter over a real SQLite key ring in a temporary folder, and a private
// (0700) run directory. Test-only; each test owns its instances.
#pragma once

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <deque>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include <boost/json/object.hpp>

#include "audit/http_poster.hpp"
#include "jose/inspect.hpp"
#include "keys/key_ring.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "store/sqlite_test_support.hpp"
#include "tokens/minter.hpp"

namespace sg::runs::testing {

using namespace std::chrono_literals;

inline constexpr const char* kIssuer = "https://gw.example.test";
inline const Time kT0 = Time(std::chrono::seconds(1'800'000'000));

// Records every post and answers from a script (an empty 200 when the script is empty).
class FakePoster final : public audit::HttpPoster {
 public:
  struct Call {
    std::string url;
    std::string content_type;
    std::string body;
    audit::HttpHeaders headers;
    std::chrono::milliseconds timeout{};
  };

  Result<audit::HttpReply> post(const std::string& url, std::string_view content_type,
                                std::string_view body, const audit::HttpHeaders& headers,
                                std::chrono::milliseconds timeout) override {
    std::lock_guard lock(mu_);
    calls.push_back({url, std::string(content_type), std::string(body), headers, timeout});
    if (answers.empty()) return audit::HttpReply{200, "", false};
    Result<audit::HttpReply> answer = answers.front();
    answers.pop_front();
    return answer;
  }

  void answer(int status, std::string body, bool cut = false) {
    answers.emplace_back(audit::HttpReply{status, std::move(body), cut});
  }

  std::vector<Call> calls;
  std::deque<Result<audit::HttpReply>> answers;

 private:
  std::mutex mu_;
};

inline int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

inline std::string percent_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out.push_back(' ');
    } else if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 &&
               hex_value(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2])));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

// The fields of a form body, in order, decoded.
inline std::vector<std::pair<std::string, std::string>> form_fields(std::string_view body) {
  std::vector<std::pair<std::string, std::string>> out;
  while (!body.empty()) {
    const auto amp = body.find('&');
    const std::string_view field = body.substr(0, amp);
    const auto eq = field.find('=');
    out.emplace_back(percent_decode(field.substr(0, eq)),
                     eq == std::string_view::npos ? "" : percent_decode(field.substr(eq + 1)));
    body = amp == std::string_view::npos ? "" : body.substr(amp + 1);
  }
  return out;
}

// The header and claims of a token, unverified (the tokens tests cover the signatures).
struct Decoded {
  boost::json::object header;
  boost::json::object claims;
};
inline Decoded decode(const std::string& token) {
  auto d = jose::decode_unverified(token);
  EXPECT_TRUE(d.ok()) << (d.ok() ? "" : d.error().message);
  if (!d.ok() || !d->unverified_claims) return {};
  return {d->unverified_header, *d->unverified_claims};
}

// A Minter over a real key ring, and a private run directory.
class MinterFixture {
 public:
  MinterFixture() {
    store::SqliteStore::Options options;
    options.path = store_dir_.file("gw.db");
    auto opened = store::SqliteStore::open(options);
    EXPECT_TRUE(opened.ok()) << (opened.ok() ? "" : opened.error().message);
    store_ = std::move(opened).value();
    keys::KeyRingOptions ko;
    ko.purpose = std::string(keys::kTokenKeyPurpose);
    ring_ = std::make_unique<keys::KeyRing>(*store_, ko);
    EXPECT_TRUE(ring_->load(kT0).ok());
    tokens::MinterSettings ms;
    ms.issuer = kIssuer;
    ms.default_ttl = 15min;
    ms.max_ttl = 1h;
    minter_ = std::make_unique<tokens::Minter>(ms, *ring_);
    run_dir_ = run_parent_.path() / "run";
    std::filesystem::create_directory(run_dir_);
    std::filesystem::permissions(run_dir_, std::filesystem::perms::owner_all,
                                 std::filesystem::perm_options::replace);
  }

  tokens::Minter& minter() { return *minter_; }
  const std::filesystem::path& run_dir() const { return run_dir_; }
  std::string file(const char* name) const { return (run_dir_ / name).string(); }

  // The names of the files in the run directory, sorted.
  std::vector<std::string> files() const {
    std::vector<std::string> out;
    for (const auto& e : std::filesystem::directory_iterator(run_dir_))
      out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
  }

 private:
  store::testing::TempDir store_dir_;
  store::testing::TempDir run_parent_;
  std::unique_ptr<store::SqliteStore> store_;
  std::unique_ptr<keys::KeyRing> ring_;
  std::unique_ptr<tokens::Minter> minter_;
  std::filesystem::path run_dir_;
};

}  // namespace sg::runs::testing
