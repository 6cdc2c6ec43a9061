// WebhookSink with a fake poster: the exact requests it makes, how it reads statuses, and that its
// token never reaches a name or an error.
#include "audit/webhook_sink.hpp"

#include <gtest/gtest.h>

#include <deque>
#include <string>
#include <vector>

#include "audit_test_support.hpp"

namespace sg::audit {
namespace {

using std::chrono::milliseconds;

constexpr const char* kToken = "s3cr3t-webhook-token";

// Records every post and answers from a script (200 when the script is empty).
class FakePoster final : public HttpPoster {
 public:
  struct Call {
    std::string url;
    std::string content_type;
    std::string body;
    HttpHeaders headers;
    milliseconds timeout{};
  };

  Result<HttpReply> post(const std::string& url, std::string_view content_type,
                         std::string_view body, const HttpHeaders& headers,
                         milliseconds timeout) override {
    calls.push_back({url, std::string(content_type), std::string(body), headers, timeout});
    if (answers.empty()) return HttpReply{200, "", false};
    Result<int> answer = answers.front();
    answers.pop_front();
    if (!answer) return answer.error();
    return HttpReply{*answer, "", false};
  }

  std::vector<Call> calls;
  std::deque<Result<int>> answers;
};

class WebhookSinkTest : public ::testing::Test {
 protected:
  WebhookSink make(WebhookSink::Options options) {
    auto poster = std::make_unique<FakePoster>();
    poster_ = poster.get();
    return WebhookSink(std::move(options), std::move(poster));
  }
  static WebhookSink::Options options() {
    WebhookSink::Options o;
    o.url = "https://siem.example.com/in?index=audit";
    o.token = kToken;
    o.batch = 100;
    o.timeout = milliseconds(2500);
    return o;
  }

  const std::vector<store::AuditRecord> records_ = test::records_of(test::sealed_chain(5));
  FakePoster* poster_ = nullptr;
};

std::string lines(std::span<const store::AuditRecord> records) {
  std::string out;
  for (const auto& r : records)
    out += r.body + "\n";
  return out;
}

TEST_F(WebhookSinkTest, PostsOneNdjsonRequestWithTheTokenAndTheSeqRange) {
  WebhookSink sink = make(options());
  ASSERT_TRUE(sink.deliver(records_).ok());
  ASSERT_EQ(poster_->calls.size(), 1u);
  const FakePoster::Call& call = poster_->calls[0];
  EXPECT_EQ(call.url, "https://siem.example.com/in?index=audit");
  EXPECT_EQ(call.content_type, "application/x-ndjson");
  EXPECT_EQ(call.body, lines(records_));
  EXPECT_EQ(call.headers, (HttpHeaders{{"Authorization", std::string("Bearer ") + kToken},
                                       {"X-Stackgate-First-Seq", "1"},
                                       {"X-Stackgate-Last-Seq", "5"}}));
  EXPECT_EQ(call.timeout, milliseconds(2500));
}

TEST_F(WebhookSinkTest, SendsNoAuthorizationWithoutAToken) {
  WebhookSink::Options o = options();
  o.token.reset();
  WebhookSink sink = make(o);
  ASSERT_TRUE(sink.deliver(std::span(records_).subspan(1, 2)).ok());
  ASSERT_EQ(poster_->calls.size(), 1u);
  EXPECT_EQ(poster_->calls[0].headers,
            (HttpHeaders{{"X-Stackgate-First-Seq", "2"}, {"X-Stackgate-Last-Seq", "3"}}));
}

TEST_F(WebhookSinkTest, SplitsALargerDeliveryIntoBatches) {
  WebhookSink::Options o = options();
  o.batch = 2;
  WebhookSink sink = make(o);
  ASSERT_TRUE(sink.deliver(records_).ok());
  ASSERT_EQ(poster_->calls.size(), 3u);
  const std::span<const store::AuditRecord> all(records_);
  EXPECT_EQ(poster_->calls[0].body, lines(all.subspan(0, 2)));
  EXPECT_EQ(poster_->calls[1].body, lines(all.subspan(2, 2)));
  EXPECT_EQ(poster_->calls[2].body, lines(all.subspan(4, 1)));
  EXPECT_EQ(poster_->calls[2].headers[1],
            (std::pair<std::string, std::string>{"X-Stackgate-First-Seq", "5"}));
}

TEST_F(WebhookSinkTest, KeepsEachBodyWithinTheByteBoundUnlessOneEventIsLarger) {
  WebhookSink::Options o = options();
  o.max_body_bytes = records_[0].body.size() + records_[1].body.size() + 2;  // events 1 and 2
  WebhookSink sink = make(o);
  ASSERT_TRUE(sink.deliver(records_).ok());
  ASSERT_GE(poster_->calls.size(), 2u);
  EXPECT_EQ(poster_->calls[0].body, lines(std::span(records_).subspan(0, 2)));
  std::string all;
  for (const auto& call : poster_->calls) {
    EXPECT_LE(call.body.size(), o.max_body_bytes);
    all += call.body;
  }
  EXPECT_EQ(all, lines(records_));

  o.max_body_bytes = 1;  // smaller than any event: one event per request
  WebhookSink tiny = make(o);
  ASSERT_TRUE(tiny.deliver(records_).ok());
  ASSERT_EQ(poster_->calls.size(), 5u);
  EXPECT_EQ(poster_->calls[4].body, records_[4].body + "\n");
}

TEST_F(WebhookSinkTest, EveryTwoHundredStatusIsDelivered) {
  WebhookSink sink = make(options());
  poster_->answers = {200, 201, 202, 204, 299};
  for (int i = 0; i < 5; ++i)
    EXPECT_TRUE(sink.deliver(std::span(records_).subspan(0, 1)).ok()) << i;
}

TEST_F(WebhookSinkTest, AnyOtherStatusIsAnErrorNamingTheEventsButNotTheToken) {
  WebhookSink sink = make(options());
  for (int status : {100, 199, 300, 302, 400, 401, 429, 500, 503}) {
    poster_->answers = {status};
    Status s = sink.deliver(records_);
    ASSERT_FALSE(s.ok()) << status;
    EXPECT_EQ(s.code(), Errc::kUnavailable);
    EXPECT_EQ(s.error().message,
              "audit sink webhook:https://siem.example.com/in: events 1..5: "
              "the endpoint answered " +
                  std::to_string(status));
    EXPECT_EQ(s.error().message.find(kToken), std::string::npos);
  }
}

TEST_F(WebhookSinkTest, ATransportErrorKeepsItsCodeAndNamesTheSink) {
  WebhookSink sink = make(options());
  poster_->answers = {make_error(Errc::kUnavailable,
                                 "POST https://siem.example.com/in failed: Connection refused")};
  Status s = sink.deliver(records_);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), Errc::kUnavailable);
  EXPECT_EQ(s.error().message,
            "audit sink webhook:https://siem.example.com/in: events 1..5: POST "
            "https://siem.example.com/in failed: Connection refused");
}

TEST_F(WebhookSinkTest, StopsAtTheFirstFailedBatch) {
  WebhookSink::Options o = options();
  o.batch = 2;
  WebhookSink sink = make(o);
  poster_->answers = {200, 500, 200};
  Status s = sink.deliver(records_);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(
      s.error().message,
      "audit sink webhook:https://siem.example.com/in: events 3..4: the endpoint answered 500");
  EXPECT_EQ(poster_->calls.size(), 2u);
}

TEST_F(WebhookSinkTest, ItsNameLeavesOutUserinfoQueryAndToken) {
  WebhookSink::Options o = options();
  o.url = "https://collector:pw@siem.example.com:8443/in/audit?key=abc#x";
  WebhookSink sink = make(o);
  EXPECT_EQ(sink.name(), "webhook:https://siem.example.com:8443/in/audit");
  EXPECT_TRUE(sink.durable());
}

}  // namespace
}  // namespace sg::audit
