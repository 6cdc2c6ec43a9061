// Scalar values: durations, integers, sizes, booleans and enumerations, each with its error.
#include "config_test_support.hpp"

namespace sg::config {
namespace {

using namespace std::chrono_literals;
using testing::expect_loaded;
using testing::expect_single_error;
using testing::TempDir;

TEST(ConfigDurations, ReadsCompoundDurations) {
  TempDir dir;
  auto r =
      dir.load("server:\n  read_timeout: 1m30s\n  idle_timeout: 250ms\n  shutdown_grace: 1h\n");
  expect_loaded(r);
  EXPECT_EQ(r.config->server.read_timeout, 90s);
  EXPECT_EQ(r.config->server.idle_timeout, 250ms);
  EXPECT_EQ(r.config->server.shutdown_grace, 1h);
}

TEST(ConfigDurations, BareNumberIsRefusedAskingForAUnit) {
  TempDir dir;
  expect_single_error(dir.load("server:\n  read_timeout: 30\n"), 2, 17,
                      {"server.read_timeout: expected a duration like 30s, got 30"});
}

TEST(ConfigDurations, UnknownUnitIsRefused) {
  TempDir dir;
  expect_single_error(dir.load("server:\n  write_timeout: 5x\n"), 2, 18,
                      {"server.write_timeout:", "unknown unit 'x'", "got \"5x\""});
}

TEST(ConfigDurations, ZeroIsRefusedWhereADurationMustBePositive) {
  TempDir dir;
  expect_single_error(dir.load("pulumi:\n  run_timeout: 0s\n"), 2, 16,
                      {"pulumi.run_timeout: expected a duration greater than 0s, got \"0s\""});
}

TEST(ConfigDurations, AboveTheMaximumIsRefused) {
  TempDir dir;
  expect_single_error(dir.load("tokens:\n  max_ttl: 25h\n"), 2, 12,
                      {"tokens.max_ttl: expected a duration of at most 1d, got \"25h\""});
}

TEST(ConfigDurations, ListIsRefused) {
  TempDir dir;
  expect_single_error(dir.load("pulumi:\n  cancel_grace: [1s]\n"), 2, 17,
                      {"pulumi.cancel_grace: expected a duration like 30s, got a list"});
}

TEST(ConfigIntegers, ReadsInRangeValues) {
  TempDir dir;
  auto r = dir.load("server:\n  threads: 8\n  max_connections: 500\n");
  expect_loaded(r);
  EXPECT_EQ(r.config->server.threads, 8u);
  EXPECT_EQ(r.config->server.max_connections, 500u);
}

TEST(ConfigIntegers, WordIsRefused) {
  TempDir dir;
  expect_single_error(dir.load("server:\n  threads: many\n"), 2, 12,
                      {"server.threads: expected a non-negative integer, got \"many\""});
}

TEST(ConfigIntegers, NegativeIsRefused) {
  TempDir dir;
  expect_single_error(dir.load("server:\n  threads: -3\n"), 2, 12,
                      {"server.threads: expected a non-negative integer, got \"-3\""});
}

TEST(ConfigIntegers, FractionIsRefused) {
  TempDir dir;
  expect_single_error(dir.load("server:\n  threads: 1.5\n"), 2, 12,
                      {"expected a non-negative integer, got \"1.5\""});
}

TEST(ConfigIntegers, QuotedNumberIsAString) {
  TempDir dir;
  expect_single_error(dir.load("server:\n  threads: \"4\"\n"), 2, 12,
                      {"expected a non-negative integer, got \"4\" (a quoted string)"});
}

TEST(ConfigIntegers, AboveTheMaximumIsRefused) {
  TempDir dir;
  expect_single_error(dir.load("server:\n  threads: 5000\n"), 2, 12,
                      {"server.threads: expected an integer at most 1024, got \"5000\""});
}

TEST(ConfigIntegers, BelowTheMinimumIsRefused) {
  TempDir dir;
  expect_single_error(dir.load("audit:\n  checkpoint_every: 0\n"), 2, 21,
                      {"audit.checkpoint_every: expected an integer from 1 to 1000000, got \"0\""});
}

TEST(ConfigIntegers, BeyondSixtyFourBitsIsOutOfRange) {
  TempDir dir;
  expect_single_error(dir.load("server:\n  max_connections: 99999999999999999999999\n"), 2, 20,
                      {"expected an integer from 1 to 1000000"});
}

TEST(ConfigSizes, AcceptsBytesAndBinaryUnits) {
  TempDir dir;
  auto r = dir.load("server:\n  max_header_bytes: 32KiB\n  max_body_bytes: 2097152\n");
  expect_loaded(r);
  EXPECT_EQ(r.config->server.max_header_bytes, 32u * 1024);
  EXPECT_EQ(r.config->server.max_body_bytes, 2u * 1024 * 1024);
}

TEST(ConfigSizes, UnknownUnitIsRefused) {
  TempDir dir;
  expect_single_error(dir.load("server:\n  max_body_bytes: 1MB\n"), 2, 19,
                      {"server.max_body_bytes: expected a size in bytes like 16384 or 16KiB"});
}

TEST(ConfigSizes, AboveTheMaximumIsRefused) {
  TempDir dir;
  expect_single_error(dir.load("server:\n  max_header_bytes: 2MiB\n"), 2, 21,
                      {"server.max_header_bytes: expected a size from 1KiB to 1MiB, got \"2MiB\""});
}

TEST(ConfigBooleans, ReadsTrueAndFalse) {
  TempDir dir;
  auto r = dir.load("server:\n  access_log: false\naudit:\n  fail_closed: true\n");
  expect_loaded(r);
  EXPECT_FALSE(r.config->server.access_log);
  EXPECT_TRUE(r.config->audit.fail_closed);
}

TEST(ConfigBooleans, YesIsRefused) {
  TempDir dir;
  expect_single_error(dir.load("server:\n  access_log: yes\n"), 2, 15,
                      {"server.access_log: expected true or false, got \"yes\""});
}

TEST(ConfigBooleans, QuotedTrueIsRefused) {
  TempDir dir;
  expect_single_error(dir.load("audit:\n  fail_closed: \"true\"\n"), 2, 16,
                      {"expected true or false, got \"true\" (a quoted string)"});
}

TEST(ConfigEnums, UnknownValueListsTheChoicesAndSuggests) {
  TempDir dir;
  expect_single_error(
      dir.load("tokens:\n  algorithm: es256\n"), 2, 14,
      {"tokens.algorithm: expected one of ES256 or EdDSA, got \"es256\"", "did you mean 'ES256'?"});
}

}  // namespace
}  // namespace sg::config
