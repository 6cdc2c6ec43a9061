#include "runs/child_environment.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace sg::runs {
namespace {

const RunPaths kPaths{"run-42", "/var/lib/stackgate/runs/run-42",
                      "/var/lib/stackgate/runs/run-42/home"};

const Environment kFixed = {
    {"HOME", "/var/lib/stackgate/runs/run-42"},
    {"PULUMI_HOME", "/var/lib/stackgate/runs/run-42/home"},
    {"PULUMI_DEBUG_COMMANDS", "true"},
    {"PULUMI_CI_SYSTEM", "stackgate"},
    {"PULUMI_CI_BUILD_ID", "run-42"},
    {"PULUMI_SKIP_UPDATE_CHECK", "true"},
};

Environment concat(Environment a, const Environment& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

TEST(ChildEnvironment, PassesOnlyTheAllowListFromTheGatewayInListOrder) {
  const Environment gateway = {
      {"HOME", "/home/stackgate"},
      {"STACKGATE_KEK", "kek-value"},
      {"no_proxy", "localhost"},
      {"PULUMI_ACCESS_TOKEN", "pul-gateway-token"},
      {"AWS_SECRET_ACCESS_KEY", "gateway-aws-secret"},
      {"PATH", "/usr/local/bin:/usr/bin:/bin"},
      {"LD_PRELOAD", "/tmp/evil.so"},
      {"LANG", "C.UTF-8"},
      {"SSL_CERT_FILE", "/etc/ssl/ca.pem"},
      {"Path", "/not/the/same"},
      {"HTTPS_PROXY", "http://proxy:3128"},
      {"PULUMI_HOME", "/home/stackgate/.pulumi"},
  };
  auto env = build_environment(gateway, kPaths, {});
  ASSERT_TRUE(env.ok()) << env.error().message;
  EXPECT_EQ(*env, concat(
                      {
                          {"PATH", "/usr/local/bin:/usr/bin:/bin"},
                          {"LANG", "C.UTF-8"},
                          {"HTTPS_PROXY", "http://proxy:3128"},
                          {"no_proxy", "localhost"},
                          {"SSL_CERT_FILE", "/etc/ssl/ca.pem"},
                      },
                      kFixed));
}

TEST(ChildEnvironment, EveryAllowListedVariableIsPassedAndNothingElseIsInherited) {
  Environment gateway;
  for (std::string_view name : kPassedThroughVariables)
    gateway.emplace_back(std::string(name), "v-" + std::string(name));
  auto env = build_environment(gateway, kPaths, {});
  ASSERT_TRUE(env.ok());
  ASSERT_EQ(env->size(), kPassedThroughVariables.size() + kFixed.size());
  for (std::size_t i = 0; i < kPassedThroughVariables.size(); ++i)
    EXPECT_EQ((*env)[i].first, kPassedThroughVariables[i]);
  EXPECT_EQ(*build_environment({}, kPaths, {}), kFixed);
}

TEST(ChildEnvironment, TheAllowListIsTheDocumentedOne) {
  const std::vector<std::string_view> documented = {
      "PATH",     "LANG",        "LC_ALL",     "TZ",       "HTTPS_PROXY",   "HTTP_PROXY",
      "NO_PROXY", "https_proxy", "http_proxy", "no_proxy", "SSL_CERT_FILE", "SSL_CERT_DIR"};
  EXPECT_EQ(
      std::vector<std::string_view>(kPassedThroughVariables.begin(), kPassedThroughVariables.end()),
      documented);
}

TEST(ChildEnvironment, CredentialsComeLastAndMayReplaceAPassedThroughVariable) {
  const Environment gateway = {{"PATH", "/usr/bin"}, {"HTTPS_PROXY", "http://gateway:3128"}};
  const Environment credentials = {
      {"PULUMI_ACCESS_TOKEN", "pul-run-token"},
      {"HTTPS_PROXY", "http://stack-proxy:3128"},
      {"AWS_REGION", "eu-west-1"},
  };
  auto env = build_environment(gateway, kPaths, credentials);
  ASSERT_TRUE(env.ok());
  EXPECT_EQ(*env, concat(concat({{"PATH", "/usr/bin"}}, kFixed), credentials));
}

TEST(ChildEnvironment, ACredentialMayNotSetAFixedVariable) {
  for (std::string_view name : kFixedVariables) {
    auto env = build_environment({}, kPaths, {{std::string(name), "credential-value"}});
    ASSERT_FALSE(env.ok()) << name;
    EXPECT_EQ(env.error(),
              make_error(Errc::kInvalidArgument, "a credential may not set " + std::string(name) +
                                                     ": the executor sets it"));
  }
}

TEST(ChildEnvironment, RefusesBadCredentialsWithoutEchoingValues) {
  auto env = build_environment({}, kPaths, {{"A", "1"}, {"1BAD", "secret-value-1"}});
  EXPECT_EQ(env.error(),
            make_error(Errc::kInvalidArgument,
                       "credential variable 1 has no valid name ([A-Za-z_][A-Za-z0-9_]*)"));
  for (const char* bad : {"", "A-B", "A=B", "A B", "\xc3\xa9"}) {
    EXPECT_EQ(build_environment({}, kPaths, {{bad, "v"}}).code(), Errc::kInvalidArgument) << bad;
  }
  env = build_environment({}, kPaths, {{"TOKEN", "a"}, {"TOKEN", "secret-value-2"}});
  EXPECT_EQ(env.error(),
            make_error(Errc::kInvalidArgument, "credential variable TOKEN is set twice"));
  env = build_environment({}, kPaths, {{"TOKEN", std::string("secret\0value", 12)}});
  EXPECT_EQ(env.error(),
            make_error(Errc::kInvalidArgument, "credential variable TOKEN holds a NUL"));
  EXPECT_TRUE(build_environment({}, kPaths, {{"_ok_1", ""}}).ok());
}

TEST(ChildEnvironment, RefusesAnEmptyRunIdOrPath) {
  for (RunPaths paths : {RunPaths{"", "/r", "/r/home"}, RunPaths{"id", "", "/r/home"},
                         RunPaths{"id", "/r", ""}, RunPaths{std::string("i\0d", 3), "/r", "/h"}}) {
    EXPECT_EQ(build_environment({}, paths, {}).code(), Errc::kInvalidArgument);
  }
}

TEST(ChildEnvironment, EntriesAreNameEqualsValue) {
  EXPECT_EQ(environment_entries({{"A", "1"}, {"B", ""}, {"C", "x=y"}}),
            (std::vector<std::string>{"A=1", "B=", "C=x=y"}));
}

TEST(ChildEnvironment, FindVariableIsExactAndCaseSensitive) {
  const Environment env = {{"http_proxy", "a"}, {"HTTP_PROXY", "b"}};
  ASSERT_NE(find_variable(env, "HTTP_PROXY"), nullptr);
  EXPECT_EQ(*find_variable(env, "HTTP_PROXY"), "b");
  EXPECT_EQ(find_variable(env, "HTTP"), nullptr);
}

TEST(ChildEnvironment, EnvironmentFromReadsAnEnvironArrayKeepingTheFirstOfTwins) {
  const char* envp[] = {"PATH=/bin", "EMPTY=",      "NOEQUALS", "=novalue",
                        "X=a=b",     "PATH=/other", nullptr};
  EXPECT_EQ(environment_from(envp), (Environment{{"PATH", "/bin"}, {"EMPTY", ""}, {"X", "a=b"}}));
  EXPECT_TRUE(environment_from(nullptr).empty());
}

}  // namespace
}  // namespace sg::runs
