// Helpers shared by the config loader tests: a temporary folder per test and assertions on
// diagnostics (exact line and column, message substrings). Test-only; not thread-safe.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <string_view>

#include "config/loader.hpp"

namespace sg::config::testing {

// A fresh folder under $TMPDIR (or /tmp), removed with everything in it on destruction.
class TempDir {
 public:
  TempDir() {
    const char* base = std::getenv("TMPDIR");
    std::string pattern =
        std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/stackgate-config-XXXXXX";
    char* made = ::mkdtemp(pattern.data());
    if (made == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = std::filesystem::path(made);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::string str(std::string_view relative = "") const { return (path_ / relative).string(); }

  // Writes `content` to `relative` (creating folders) and returns the absolute path.
  std::string write(std::string_view relative, std::string_view content) const {
    std::filesystem::path p = path_ / relative;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << content;
    return p.string();
  }

  std::string mkdir(std::string_view relative) const {
    std::filesystem::create_directories(path_ / relative);
    return (path_ / relative).string();
  }

  // Loads `yaml` as if it were <dir>/stackgate.yaml.
  LoadResult load(std::string_view yaml) const {
    return load_config_text(yaml, str("stackgate.yaml"));
  }

 private:
  std::filesystem::path path_;
};

// Asserts that `r` failed with exactly one diagnostic at line:column containing every substring.
inline void expect_single_error(const LoadResult& r, int line, int column,
                                std::initializer_list<std::string_view> substrings) {
  EXPECT_FALSE(r.config.has_value());
  ASSERT_EQ(r.diagnostics.size(), 1u)
      << (r.diagnostics.empty() ? "" : r.diagnostics[0].to_string());
  const Diagnostic& d = r.diagnostics[0];
  EXPECT_EQ(d.line, line) << d.to_string();
  EXPECT_EQ(d.column, column) << d.to_string();
  for (std::string_view s : substrings)
    EXPECT_THAT(d.message, ::testing::HasSubstr(std::string(s)));
}

// Asserts that `r` loaded without diagnostics; prints them otherwise.
inline void expect_loaded(const LoadResult& r) {
  for (const Diagnostic& d : r.diagnostics)
    ADD_FAILURE() << d.to_string();
  EXPECT_TRUE(r.config.has_value());
}

}  // namespace sg::config::testing
