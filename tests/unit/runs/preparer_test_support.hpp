// Test support for the credential provider and preparer tests: a run, secrets in test-only
// environment variables, and a fixture with a CredentialPreparer over a real minter and a fake
// Pulumi Cloud. Test-only; each test owns its fixture.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "runs/credential_preparer.hpp"
#include "runs/credential_test_support.hpp"

namespace sg::runs::testing {

using Env = std::vector<std::pair<std::string, std::string>>;

inline constexpr const char* kRunId = "0123456789abcdef0123456789abcdef";
inline constexpr const char* kTokenVar = "SG_RUNCREDS_TEST_PULUMI_TOKEN";
inline constexpr const char* kPassphraseVar = "SG_RUNCREDS_TEST_PASSPHRASE";
inline constexpr const char* kTokenValue = "pul-stored-0123456789abcdef";
inline constexpr const char* kPassphrase = "correct horse battery staple";
inline constexpr const char* kAccessToken = "pul-exchanged-0123456789abcdef";

inline RunIdentity run() {
  RunIdentity r;
  r.run_id = kRunId;
  r.org = "acme";
  r.project = "payments";
  r.stack = "dev";
  r.operation = "up";
  r.requester.subject = "user:default/jane";
  r.requester.issuer = "corp-sso";
  r.requester.email = "jane@example.test";
  r.requester.name = "Jane";
  r.requester.groups = {"engineering"};
  return r;
}

inline config::SecretRef env_ref(const char* name) {
  return config::SecretRef{config::SecretRef::Source::kEnv, name};
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline std::string pulumi_answer(const char* type = "team") {
  return std::string(R"({"access_token":")") + kAccessToken +
         R"(","issued_token_type":"urn:pulumi:token-type:access_token:)" + type +
         R"(","token_type":"token","expires_in":1800})";
}

class PreparerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ::setenv(kTokenVar, kTokenValue, 1);
    ::setenv(kPassphraseVar, kPassphrase, 1);
  }
  void TearDown() override {
    ::unsetenv(kTokenVar);
    ::unsetenv(kPassphraseVar);
  }

  Status prepare(const config::CredentialsConfig& creds, const RunIdentity& r = run()) {
    out_ = PreparedCredentials{};
    return preparer_.prepare(creds, r, fx_.run_dir(), kT0, out_);
  }

  std::string path(const char* name) const { return fx_.file(name); }

  MinterFixture fx_;
  FakePoster poster_;
  PulumiTokenExchanger exchanger_{poster_};
  CredentialPreparer preparer_{fx_.minter(), exchanger_};
  PreparedCredentials out_;
};

}  // namespace sg::runs::testing
