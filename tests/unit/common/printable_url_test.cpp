#include "common/printable_url.hpp"

#include <gtest/gtest.h>

#include <string>

namespace sg {
namespace {

TEST(PrintableUrl, DropsUserinfoQueryAndFragment) {
  EXPECT_EQ(printable_url("https://u:p@idp.example/a/b?x=1#f"), "https://idp.example/a/b");
  EXPECT_EQ(printable_url("https://idp.example?x=1"), "https://idp.example");
  EXPECT_EQ(printable_url("https://idp.example#f"), "https://idp.example");
  EXPECT_EQ(printable_url("https://token@siem.example:8443/in"), "https://siem.example:8443/in");
  EXPECT_EQ(printable_url("http://127.0.0.1:8080/jwks"), "http://127.0.0.1:8080/jwks");
}

TEST(PrintableUrl, RefusesTextThatIsNotAUrl) {
  EXPECT_EQ(printable_url("not a url"), "(an invalid URL)");
  EXPECT_EQ(printable_url(""), "(an invalid URL)");
}

TEST(PrintableUrl, ReplacesControlCharacters) {
  EXPECT_EQ(printable_url("https://h/a\r\nb\x7f"), "https://h/a??b?");
}

TEST(PrintableUrl, CutsLongUrls) {
  const std::string url = "https://h/" + std::string(300, 'a');
  EXPECT_EQ(printable_url(url), url.substr(0, 200) + "…");
}

}  // namespace
}  // namespace sg
