#include "http/error_status.hpp"

#include <gtest/gtest.h>

namespace sg::http {
namespace {

TEST(ErrorStatus, MapsEachGroupOfCodesToItsStatus) {
  EXPECT_EQ(status_of(Errc::kInvalidArgument), 400);
  EXPECT_EQ(status_of(Errc::kMalformedRequest), 400);
  EXPECT_EQ(status_of(Errc::kUnauthenticated), 401);
  EXPECT_EQ(status_of(Errc::kExpired), 401);
  EXPECT_EQ(status_of(Errc::kWrongAudience), 401);
  EXPECT_EQ(status_of(Errc::kUnknownKey), 401);
  EXPECT_EQ(status_of(Errc::kForbidden), 403);
  EXPECT_EQ(status_of(Errc::kNotFound), 404);
  EXPECT_EQ(status_of(Errc::kMethodNotAllowed), 405);
  EXPECT_EQ(status_of(Errc::kConflict), 409);
  EXPECT_EQ(status_of(Errc::kPayloadTooLarge), 413);
  EXPECT_EQ(status_of(Errc::kUnsupportedMediaType), 415);
  EXPECT_EQ(status_of(Errc::kTooManyRequests), 429);
  EXPECT_EQ(status_of(Errc::kUnavailable), 503);
  EXPECT_EQ(status_of(Errc::kHeadersTooLarge), 431);
  EXPECT_EQ(status_of(Errc::kStoreUnavailable), 503);
  EXPECT_EQ(status_of(Errc::kIssuerUnavailable), 503);
  EXPECT_EQ(status_of(Errc::kTimeout), 504);
  EXPECT_EQ(status_of(Errc::kInternal), 500);
  EXPECT_EQ(status_of(Errc::kIo), 500);
}

TEST(ErrorStatus, ErrorBodyHasCodeAndEscapedMessage) {
  Response r = error_response({Errc::kForbidden, "no rule allows \"update\""});
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.content_type, kJson);
  EXPECT_EQ(r.body, R"({"error":{"code":"forbidden","message":"no rule allows \"update\""}})");
}

TEST(ErrorStatus, InternalErrorsNeverShowTheirMessage) {
  for (Errc c : {Errc::kInternal, Errc::kIo, Errc::kStoreTooNew}) {
    Response r = error_response({c, "/var/lib/stackgate/db: permission denied"});
    EXPECT_EQ(r.status, 500);
    EXPECT_EQ(r.body, R"({"error":{"code":"internal","message":"internal error"}})");
  }
}

}  // namespace
}  // namespace sg::http

namespace sg::http {
namespace {

std::string header_of(const Response& r, std::string_view name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return v;
  }
  return "<absent>";
}

TEST(ErrorStatus, MissingTokenChallengeNamesOnlyTheRealm) {
  Response r = error_response({Errc::kUnauthenticated, "no bearer token"});
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(header_of(r, "WWW-Authenticate"), R"(Bearer realm="stackgate")");
}

TEST(ErrorStatus, FailedTokenChallengeSaysInvalidTokenAndWhy) {
  Response r = error_response({Errc::kExpired, "token expired"});
  EXPECT_EQ(
      header_of(r, "WWW-Authenticate"),
      R"(Bearer realm="stackgate", error="invalid_token", error_description="token expired")");
}

TEST(ErrorStatus, ChallengeDescriptionCannotBreakOutOfItsQuotes) {
  Response r = error_response({Errc::kWrongIssuer, "issuer \"x\\\" \r\nSet-Cookie: a=b"});
  EXPECT_EQ(
      header_of(r, "WWW-Authenticate"),
      R"(Bearer realm="stackgate", error="invalid_token", error_description="issuer  x     Set-Cookie: a=b")");
}

TEST(ErrorStatus, OnlyUnauthorizedResponsesCarryAChallenge) {
  EXPECT_EQ(header_of(error_response({Errc::kForbidden, "no"}), "WWW-Authenticate"), "<absent>");
}

}  // namespace
}  // namespace sg::http

namespace sg::http {
namespace {

TEST(OAuthError, MapsCodesToRfc6749Names) {
  EXPECT_EQ(oauth_code(Errc::kInvalidScope), "invalid_scope");
  EXPECT_EQ(oauth_code(Errc::kInvalidTarget), "invalid_target");
  EXPECT_EQ(oauth_code(Errc::kUnsupportedGrantType), "unsupported_grant_type");
  EXPECT_EQ(oauth_code(Errc::kInvalidArgument), "invalid_request");
  EXPECT_EQ(oauth_code(Errc::kPayloadTooLarge), "invalid_request");
  EXPECT_EQ(oauth_code(Errc::kExpired), "invalid_token");
  EXPECT_EQ(oauth_code(Errc::kRevoked), "invalid_token");
  EXPECT_EQ(oauth_code(Errc::kForbidden), "insufficient_scope");
  EXPECT_EQ(oauth_code(Errc::kStoreUnavailable), "temporarily_unavailable");
  EXPECT_EQ(oauth_code(Errc::kInternal), "server_error");
  EXPECT_EQ(status_of(Errc::kInvalidScope), 400);
  EXPECT_EQ(status_of(Errc::kRevoked), 401);
}

TEST(OAuthError, BodyHeadersAndHiddenInternals) {
  Response r = oauth_error_response({Errc::kInvalidScope, "scope item 1 asks for \"update\""});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body,
            R"({"error":"invalid_scope","error_description":"scope item 1 asks for \"update\""})");
  ASSERT_EQ(r.headers.size(), 1U);
  EXPECT_EQ(r.headers[0].first, "Pragma");
  EXPECT_EQ(r.headers[0].second, "no-cache");

  Response unauth = oauth_error_response({Errc::kRevoked, "token revoked"});
  EXPECT_EQ(unauth.status, 401);
  ASSERT_EQ(unauth.headers.size(), 2U);
  EXPECT_EQ(
      unauth.headers[1].second,
      R"(Bearer realm="stackgate", error="invalid_token", error_description="token revoked")");

  Response internal = oauth_error_response({Errc::kInternal, "/var/lib/x: EIO"});
  EXPECT_EQ(internal.body, R"({"error":"server_error","error_description":"internal error"})");
}

}  // namespace
}  // namespace sg::http
