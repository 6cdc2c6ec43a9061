// The shape of the document: YAML syntax errors, unknown and duplicate keys, wrong node types, and
// several problems reported together.
#include "config_test_support.hpp"

namespace sg::config {
namespace {

using testing::expect_single_error;
using ::testing::HasSubstr;
using testing::TempDir;

TEST(ConfigSyntax, YamlSyntaxErrorReportsItsPositionAndEndsTheLoad) {
  TempDir dir;
  auto r = dir.load("server:\n  threads: 1\n    bad: 2\nserevr: {}\n");
  expect_single_error(r, 3, 8, {"invalid YAML", "illegal map value"});
  EXPECT_EQ(r.diagnostics[0].file, dir.str("stackgate.yaml"));
}

TEST(ConfigSyntax, UnclosedFlowSequenceIsASyntaxError) {
  TempDir dir;
  auto r = dir.load("server:\n  listen: [1, 2\nstore: x\n");
  expect_single_error(r, 3, 6, {"invalid YAML: end of sequence flow not found"});
}

TEST(ConfigSyntax, EmptyFileLoadsWithEveryDefault) {
  TempDir dir;
  auto r = dir.load("");
  testing::expect_loaded(r);
  EXPECT_EQ(r.config->server.listen_port, 7070);
}

TEST(ConfigSyntax, DocumentThatIsNotAMappingIsRejected) {
  TempDir dir;
  expect_single_error(dir.load("- server\n"), 1, 1, {"expected a mapping, got a list"});
}

TEST(ConfigKeys, UnknownKeySuggestsTheClosestKnownKey) {
  TempDir dir;
  expect_single_error(dir.load("server:\n  thread: 4\n"), 2, 3,
                      {"server.thread: unknown key; did you mean 'threads'?"});
}

TEST(ConfigKeys, UnknownKeyMatchingIgnoringCaseIsSuggested) {
  TempDir dir;
  expect_single_error(dir.load("server:\n  Access_Log: true\n"), 2, 3,
                      {"server.Access_Log: unknown key; did you mean 'access_log'?"});
}

TEST(ConfigKeys, UnknownKeyFarFromEveryKnownKeyHasNoSuggestion) {
  TempDir dir;
  auto r = dir.load("pulumi:\n  colour: blue\n");
  expect_single_error(r, 2, 3, {"pulumi.colour: unknown key"});
  EXPECT_THAT(r.diagnostics[0].message, ::testing::Not(HasSubstr("did you mean")));
}

TEST(ConfigKeys, UnknownSectionIsAnErrorWithSuggestion) {
  TempDir dir;
  expect_single_error(dir.load("serevr:\n  threads: 2\n"), 1, 1,
                      {"serevr: unknown section; did you mean 'server'?"});
}

TEST(ConfigKeys, UnknownSectionWithoutSuggestion) {
  TempDir dir;
  expect_single_error(dir.load("logging: {}\n"), 1, 1, {"logging: unknown section"});
}

TEST(ConfigKeys, UnknownKeyInsideAListElementUsesItsIndexInThePath) {
  TempDir dir;
  auto r = dir.load(
      "issuers:\n"
      "  - name: a\n"
      "    kind: backstage\n"
      "    issuer: \"http://localhost:7007/api/auth\"\n"
      "    leway: 10s\n");
  expect_single_error(r, 5, 5, {"issuers[0].leway: unknown key; did you mean 'leeway'?"});
}

TEST(ConfigKeys, DuplicateKeyInAMappingIsReported) {
  TempDir dir;
  expect_single_error(dir.load("server:\n  threads: 2\n  threads: 3\n"), 3, 3,
                      {"server.threads: duplicate key (first set at line 2)"});
}

TEST(ConfigKeys, DuplicateSectionIsReported) {
  TempDir dir;
  expect_single_error(dir.load("pulumi: {}\nserver: {}\npulumi: {}\n"), 3, 1,
                      {"pulumi: duplicate key (first set at line 1)"});
}

TEST(ConfigTypes, SectionThatIsAScalarIsRejected) {
  TempDir dir;
  expect_single_error(dir.load("server: fast\n"), 1, 9,
                      {"server: expected a mapping, got \"fast\""});
}

TEST(ConfigTypes, StringWhereAListIsExpectedIsRejected) {
  TempDir dir;
  expect_single_error(dir.load("projects: acme\n"), 1, 11,
                      {"projects: expected a list, got \"acme\""});
}

TEST(ConfigTypes, ListWhereAStringIsExpectedIsRejected) {
  TempDir dir;
  expect_single_error(dir.load("pulumi:\n  command: [pulumi]\n"), 2, 12,
                      {"pulumi.command: expected a non-empty string, got a list"});
}

TEST(ConfigTypes, EmptyValueIsReportedAtItsKey) {
  TempDir dir;
  expect_single_error(dir.load("pulumi:\n  command:\n"), 2, 3,
                      {"pulumi.command: expected a non-empty string, got nothing"});
}

TEST(ConfigErrors, EveryProblemIsReportedInOneLoadInFileOrder) {
  TempDir dir;
  auto r = dir.load(
      "server:\n"
      "  threads: many\n"     // 1: bad integer
      "  read_timeout: 30\n"  // 2: bare number
      "  colour: red\n"       // 3: unknown key
      "tokens:\n"
      "  algorithm: RS256\n"  // 4: bad enum
      "pulumi:\n"
      "  max_concurrent_runs: 0\n"  // 5: out of range
      "catalog: {}\n"               // 6: missing backstage_url
      "extra: 1\n");                // 7: unknown section
  EXPECT_FALSE(r.config.has_value());
  ASSERT_EQ(r.diagnostics.size(), 7u);
  std::vector<int> lines;
  for (const Diagnostic& d : r.diagnostics)
    lines.push_back(d.line);
  EXPECT_EQ(lines, (std::vector<int>{2, 3, 4, 6, 8, 9, 10}));
  EXPECT_THAT(r.diagnostics[3].message,
              HasSubstr("tokens.algorithm: expected one of ES256 or EdDSA"));
  EXPECT_THAT(r.diagnostics[5].message, HasSubstr("catalog: missing required key 'backstage_url'"));
}

TEST(ConfigErrors, DiagnosticPrintsAsFileLineColumnMessage) {
  Diagnostic d{"stackgate.yaml", 4, 12,
               "server.threads: expected a non-negative integer, got \"many\""};
  EXPECT_EQ(d.to_string(),
            "stackgate.yaml:4:12: server.threads: expected a non-negative integer, got \"many\"");
  EXPECT_EQ((Diagnostic{"a.yaml", 3, 0, "m"}.to_string()), "a.yaml:3: m");
  EXPECT_EQ((Diagnostic{"a.yaml", 0, 0, "m"}.to_string()), "a.yaml: m");
}

TEST(ConfigErrors, UnreadableFileIsOneDiagnosticWithoutPosition) {
  TempDir dir;
  auto r = load_config_file(dir.str("missing.yaml"));
  expect_single_error(r, 0, 0, {"cannot read the file: No such file or directory"});
}

TEST(ConfigErrors, OversizedFileIsRefused) {
  TempDir dir;
  std::string path = dir.write("big.yaml", "# " + std::string(1024 * 1024 + 10, 'x') + "\n");
  expect_single_error(load_config_file(path), 0, 0, {"larger than 1 MiB"});
}

}  // namespace
}  // namespace sg::config
