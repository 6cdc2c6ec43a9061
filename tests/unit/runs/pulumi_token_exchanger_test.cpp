// PulumiTokenExchanger with a fake poster: the exact request Pulumi Cloud's token exchange
// expects, how its answers are read, and that no token reaches an error.
#include "runs/pulumi_token_exchanger.hpp"

#include <gtest/gtest.h>

#include "runs/credential_test_support.hpp"

namespace sg::runs {
namespace {

using testing::FakePoster;
using testing::form_fields;

// Looks like a JWT; never to appear in a message.
const std::string kSubjectToken =
    "eyJhbGciOiJFUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJzdGFjayJ9." + std::string(86, 'S');
constexpr const char* kAccessToken = "pul-0123456789abcdef0123456789abcdef01234567";

PulumiExchangeRequest team_request() {
  PulumiExchangeRequest r;
  r.api = "https://api.pulumi.com/";
  r.org = "acme";
  r.token_type = "team";
  r.scope = "team:pay ments";
  r.expiration = std::chrono::seconds(1800);
  r.subject_token = kSubjectToken;
  return r;
}

std::string ok_body() {
  return std::string(R"({"access_token":")") + kAccessToken +
         R"(","issued_token_type":"urn:pulumi:token-type:access_token:team",)"
         R"("token_type":"token","expires_in":1800,"scope":"team:pay ments"})";
}

void expect_no_token(const std::string& message) {
  EXPECT_EQ(message.find(kSubjectToken.substr(0, 20)), std::string::npos) << message;
  EXPECT_EQ(message.find(kSubjectToken.substr(kSubjectToken.size() - 20)), std::string::npos)
      << message;
  EXPECT_EQ(message.find("pul-0123"), std::string::npos) << message;
}

class PulumiTokenExchangerTest : public ::testing::Test {
 protected:
  FakePoster poster_;
  PulumiTokenExchanger exchanger_{poster_};
};

TEST_F(PulumiTokenExchangerTest, PostsTheFormPulumiCloudExpects) {
  poster_.answer(200, ok_body());
  auto token = exchanger_.exchange(team_request());
  ASSERT_TRUE(token.ok()) << token.error().message;
  ASSERT_EQ(poster_.calls.size(), 1u);
  const FakePoster::Call& call = poster_.calls[0];
  EXPECT_EQ(call.url, "https://api.pulumi.com/api/oauth/token");
  EXPECT_EQ(call.content_type, "application/x-www-form-urlencoded");
  EXPECT_EQ(call.headers, (audit::HttpHeaders{{"Accept", "application/json"}}));
  EXPECT_EQ(call.timeout, std::chrono::milliseconds(20'000));
  EXPECT_EQ(call.body,
            "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange"
            "&audience=urn%3Apulumi%3Aorg%3Aacme"
            "&subject_token_type=urn%3Aietf%3Aparams%3Aoauth%3Atoken-type%3Aid_token"
            "&subject_token=" +
                kSubjectToken +
                "&requested_token_type=urn%3Apulumi%3Atoken-type%3Aaccess_token%3Ateam"
                "&scope=team%3Apay%20ments&expiration=1800");
  EXPECT_EQ(form_fields(call.body),
            (std::vector<std::pair<std::string, std::string>>{
                {"grant_type", "urn:ietf:params:oauth:grant-type:token-exchange"},
                {"audience", "urn:pulumi:org:acme"},
                {"subject_token_type", "urn:ietf:params:oauth:token-type:id_token"},
                {"subject_token", kSubjectToken},
                {"requested_token_type", "urn:pulumi:token-type:access_token:team"},
                {"scope", "team:pay ments"},
                {"expiration", "1800"}}));
}

TEST_F(PulumiTokenExchangerTest, AnOrganizationTokenAsksForNoScope) {
  poster_.answer(200, std::string(R"({"access_token":")") + kAccessToken + R"("})");
  PulumiExchangeRequest r = team_request();
  r.token_type = "organization";
  r.scope.clear();
  ASSERT_TRUE(exchanger_.exchange(r).ok());
  const auto fields = form_fields(poster_.calls.at(0).body);
  ASSERT_EQ(fields.size(), 6u);
  EXPECT_EQ(fields[4],
            (std::pair<std::string, std::string>{
                "requested_token_type", "urn:pulumi:token-type:access_token:organization"}));
  EXPECT_EQ(fields[5].first, "expiration");
}

TEST_F(PulumiTokenExchangerTest, ReadsTheAnswer) {
  poster_.answer(200, ok_body());
  auto token = exchanger_.exchange(team_request());
  ASSERT_TRUE(token.ok()) << token.error().message;
  EXPECT_EQ(token->access_token, kAccessToken);
  EXPECT_EQ(token->issued_token_type, "urn:pulumi:token-type:access_token:team");
  EXPECT_EQ(token->expires_in, 1800);
  EXPECT_EQ(token->scope, "team:pay ments");
}

TEST_F(PulumiTokenExchangerTest, ARefusalQuotesPulumiCloudWithoutAnyToken) {
  poster_.answer(403, R"({"error":"invalid_grant","error_description":"token )" + kSubjectToken +
                          R"( matched no policy; try )" + kAccessToken + R"("})");
  auto token = exchanger_.exchange(team_request());
  ASSERT_FALSE(token.ok());
  EXPECT_EQ(token.code(), Errc::kForbidden);
  EXPECT_EQ(token.error().message,
            "Pulumi Cloud at https://api.pulumi.com refused the token exchange: 403 "
            "(invalid_grant: token [redacted] matched no policy; try [redacted])");
  expect_no_token(token.error().message);
}

TEST_F(PulumiTokenExchangerTest, ARestStyleErrorMessageIsQuotedToo) {
  poster_.answer(400, R"({"code":400,"message":"Bad Request: unknown team 'pay'"})");
  auto token = exchanger_.exchange(team_request());
  EXPECT_EQ(token.code(), Errc::kForbidden);
  EXPECT_EQ(token.error().message,
            "Pulumi Cloud at https://api.pulumi.com refused the token exchange: 400 "
            "(Bad Request: unknown team 'pay')");
}

TEST_F(PulumiTokenExchangerTest, ServerErrorsAndThrottlingAreUnavailable) {
  poster_.answer(503, R"({"message":"down\nfor\tmaintenance"})");
  poster_.answer(429, "slow down");
  poster_.answer(302, "");
  auto down = exchanger_.exchange(team_request());
  EXPECT_EQ(down.code(), Errc::kUnavailable);
  EXPECT_EQ(down.error().message,
            "Pulumi Cloud at https://api.pulumi.com failed the token exchange: 503 "
            "(down for maintenance)");
  auto slow = exchanger_.exchange(team_request());
  EXPECT_EQ(slow.code(), Errc::kUnavailable);
  EXPECT_EQ(slow.error().message,
            "Pulumi Cloud at https://api.pulumi.com failed the token exchange: 429");
  EXPECT_EQ(exchanger_.exchange(team_request()).code(), Errc::kUnavailable);
}

TEST_F(PulumiTokenExchangerTest, ALongRefusalIsCutAndANonJsonOneIsNotQuoted) {
  poster_.answer(401, R"({"error":")" + std::string(1000, 'x') + R"( y"})");
  poster_.answer(401, "<html>" + kSubjectToken + "</html>");
  auto long_one = exchanger_.exchange(team_request());
  EXPECT_EQ(long_one.code(), Errc::kForbidden);
  const std::string prefix =
      "Pulumi Cloud at https://api.pulumi.com refused the token exchange: 401 (";
  EXPECT_EQ(long_one.error().message,
            prefix + "[redacted] y)");  // a 1000-character word could be a token
  auto html = exchanger_.exchange(team_request());
  EXPECT_EQ(html.error().message,
            "Pulumi Cloud at https://api.pulumi.com refused the token exchange: 401");

  std::string words;
  for (int i = 0; i < 100; ++i)
    words += "word ";
  poster_.answer(401, R"({"error_description":")" + words + R"("})");
  auto cut = exchanger_.exchange(team_request());
  EXPECT_EQ(cut.error().message,
            prefix + words.substr(0, PulumiTokenExchanger::kMaxDetailBytes) + ")");
}

TEST_F(PulumiTokenExchangerTest, AMalformedAnswerIsUnavailable) {
  const std::string prefix =
      "Pulumi Cloud at https://api.pulumi.com answered the token exchange with ";
  struct Case {
    std::string body;
    bool cut;
    std::string why;
  };
  for (const Case& c : std::vector<Case>{
           {"not json", false, "a body that is not a JSON object"},
           {R"(["access_token"])", false, "a body that is not a JSON object"},
           {R"({"access_token":"a","access_token":"b"})", false,
            "a body that is not a JSON object"},
           {R"({"token_type":"token"})", false, "no access_token"},
           {R"({"access_token":""})", false, "no access_token"},
           {R"({"access_token":42})", false, "no access_token"},
           {R"({"access_token":"pul-a\nb"})", false,
            "an access_token that is not a printable token"},
           {R"({"access_token":")" + std::string(5000, 'a') + R"("})", false,
            "an access_token that is not a printable token"},
           {R"({"access_token":"pul-a","issued_token_type":)"
            R"("urn:pulumi:token-type:access_token:organization"})",
            false,
            "a token of another type than urn:pulumi:token-type:access_token:team: "
            "urn:pulumi:token-type:access_token:organization"},
           {R"({"access_token":"pul-a","expires_in":"soon"})", false,
            "an expires_in that is not a whole number"},
           {ok_body(), true, "a body larger than the bound"},
       }) {
    poster_.answer(200, c.body, c.cut);
    auto token = exchanger_.exchange(team_request());
    ASSERT_FALSE(token.ok()) << c.body;
    EXPECT_EQ(token.code(), Errc::kUnavailable) << c.body;
    EXPECT_EQ(token.error().message, prefix + c.why) << c.body;
    expect_no_token(token.error().message);
  }
}

TEST_F(PulumiTokenExchangerTest, ATransportFailureSaysSoWithoutTheForm) {
  poster_.answers.emplace_back(make_error(
      Errc::kUnavailable, "POST https://api.pulumi.com/api/oauth/token failed: timed out"));
  auto token = exchanger_.exchange(team_request());
  EXPECT_EQ(token.code(), Errc::kUnavailable);
  EXPECT_EQ(token.error().message,
            "Pulumi Cloud's token exchange cannot be reached: POST "
            "https://api.pulumi.com/api/oauth/token failed: timed out");
}

}  // namespace
}  // namespace sg::runs
