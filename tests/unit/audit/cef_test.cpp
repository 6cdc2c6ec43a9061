// The CEF line of an audit event: header, every mapped extension key in its order, severities and
// names, and the escaping of hostile values (pipes, equals signs, backslashes, line ends, controls,
// non-ASCII).
#include "audit/cef.hpp"

#include <gtest/gtest.h>

#include "audit/chain.hpp"
#include "audit_test_support.hpp"

namespace sg::audit {
namespace {

using test::kT0;

const std::string kHash(64, 'a');

AuditEvent sealed_sample() {
  AuditEvent e = test::sample_decision();
  EXPECT_TRUE(seal(e, {}).ok());
  return e;
}

// An event with only the members every event has.
AuditEvent bare(std::string type) {
  AuditEvent e;
  e.seq = 7;
  e.time = kT0;
  e.type = std::move(type);
  e.prev_hash = std::string(kGenesisHash);
  e.hash = kHash;
  return e;
}

TEST(AuditCef, WritesTheDocumentedExampleWithEveryPresentMember) {
  EXPECT_EQ(to_cef(sealed_sample(), "1.2.3"),
            "CEF:0|stackgate|stackgate|1.2.3|authz.decision|authorization deny|5|"
            "rt=1795926641123 externalId=1 suser=user:default/jane.doe act=update outcome=deny "
            "reason=no rule allows update src=10.0.0.7 cs1Label=stack cs1=acme/payments/prod "
            "cs3Label=hash "
            "cs3=99a4053b457375eb43f82ee84d59d46613b05af0b4d6a00b3d669a01c75dbe1b "
            "cs4Label=issuer cs4=corp-sso cs5Label=request_id cs5=req-1 cs6Label=act "
            "cs6=agent:ci-bot flexString1Label=details flexString1={\"policy_generation\":3}");
}

TEST(AuditCef, WritesRunIdUserAgentAndTheWholeDelegationChain) {
  AuditEvent e = bare("run.started");
  e.actor = AuditActor{"user:default/sam",
                       "corp-sso",
                       "user",
                       "Sam",
                       "sam@example.com",
                       {"agent:outer", "agent:inner"}};
  e.resource = AuditResource{"acme/web/dev"};
  e.action = "update";
  e.run_id = "run-42";
  e.request = AuditRequest{"req-9", std::nullopt, "stackgate-cli/0.1"};
  EXPECT_EQ(to_cef(e, "0.1.0"),
            "CEF:0|stackgate|stackgate|0.1.0|run.started|run started|1|"
            "rt=1795926641123 externalId=7 suser=user:default/sam act=update "
            "requestClientApplication=stackgate-cli/0.1 cs1Label=stack cs1=acme/web/dev "
            "cs2Label=run_id cs2=run-42 cs3Label=hash cs3=" +
                kHash +
                " cs4Label=issuer cs4=corp-sso cs5Label=request_id cs5=req-9 cs6Label=act "
                "cs6=agent:outer,agent:inner");
}

TEST(AuditCef, LeavesOutWhatAnEventDoesNotHave) {
  AuditEvent e = bare("auth.failed");
  e.reason = "expired";
  e.request = AuditRequest{"req-3", "::1", std::nullopt};
  EXPECT_EQ(to_cef(e, "0.1.0"),
            "CEF:0|stackgate|stackgate|0.1.0|auth.failed|authentication failed|5|"
            "rt=1795926641123 externalId=7 reason=expired src=::1 cs3Label=hash cs3=" +
                kHash + " cs5Label=request_id cs5=req-3");
}

TEST(AuditCef, SeverityIsFiveForDenyAndAuthFailuresThreeForApprovalOneOtherwise) {
  AuditEvent e = bare("authz.decision");
  e.decision = "deny";
  EXPECT_EQ(cef_severity(e), 5);
  e.decision = "approval_required";
  EXPECT_EQ(cef_severity(e), 3);
  e.decision = "allow";
  EXPECT_EQ(cef_severity(e), 1);
  EXPECT_EQ(cef_severity(bare("auth.failed")), 5);
  EXPECT_EQ(cef_severity(bare("policy.reloaded")), 1);
  EXPECT_EQ(cef_severity(bare("token.issued")), 1);
}

TEST(AuditCef, NamesDecisionsAndAuthFailuresAndSpellsOutOtherTypes) {
  AuditEvent e = bare("authz.decision");
  EXPECT_EQ(cef_name(e), "authorization decision");
  e.decision = "approval_required";
  EXPECT_EQ(cef_name(e), "authorization approval_required");
  EXPECT_EQ(cef_name(bare("auth.failed")), "authentication failed");
  EXPECT_EQ(cef_name(bare("policy.reloaded")), "policy reloaded");
  EXPECT_EQ(cef_name(bare("token.revoked")), "token revoked");
  EXPECT_EQ(cef_name(bare("some.future.type")), "some future type");
}

TEST(AuditCef, EscapesBackslashAndPipeInTheHeader) {
  EXPECT_EQ(cef_header_escape(R"(a|b\c=d)"), R"(a\|b\\c=d)");
  EXPECT_EQ(to_cef(bare("policy.reloaded"), R"(1.0|evil\)").substr(0, 47),
            R"(CEF:0|stackgate|stackgate|1.0\|evil\\|policy.re)");
}

TEST(AuditCef, NeverPutsALineEndOrControlCharacterInTheHeader) {
  EXPECT_EQ(cef_header_escape("a\r\nb\tc\x7F"
                              "d"),
            "a\xEF\xBF\xBD\xEF\xBF\xBD"
            "b\xEF\xBF\xBD"
            "c\xEF\xBF\xBD"
            "d");
}

TEST(AuditCef, EscapesBackslashEqualsAndLineEndsInExtensionValues) {
  EXPECT_EQ(cef_extension_escape("a=b\\c|d\r\ne"), R"(a\=b\\c|d\r\ne)");
}

TEST(AuditCef, ReplacesOtherControlCharactersAndC1ControlsInExtensionValues) {
  EXPECT_EQ(cef_extension_escape(std::string("a\0b\tc\x1B"
                                             "d\xC2\x85"
                                             "e\x7F",
                                             11)),
            "a\xEF\xBF\xBD"
            "b\xEF\xBF\xBD"
            "c\xEF\xBF\xBD"
            "d\xEF\xBF\xBD"
            "e\xEF\xBF\xBD");
}

TEST(AuditCef, KeepsNonAsciiAsUtf8) {
  // é (C3 A9), ☃ (E2 98 83), 😀 (F0 9F 98 80), and U+00A0 (C2 A0), which is not a control.
  const std::string text = "caf\xC3\xA9 \xE2\x98\x83 \xF0\x9F\x98\x80 \xC2\xA0";
  EXPECT_EQ(cef_extension_escape(text), text);
  EXPECT_EQ(cef_header_escape(text), text);
}

TEST(AuditCef, HostileValuesCannotForgeKeysOrLines) {
  AuditEvent e = bare("authz.decision");
  e.actor =
      AuditActor{"user:x cs1=acme/fake/stack", "corp|sso", "user", std::nullopt, std::nullopt, {}};
  e.decision = "deny";
  e.reason = "line one\nCEF:0|forged|x|1|a|b|10|suser=root";
  e.request = AuditRequest{"r=1", "10.0.0.1", "Mozilla/5.0 \\ (Z\xC3\xBCrich) = \r"};
  EXPECT_EQ(to_cef(e, "0.1.0"),
            "CEF:0|stackgate|stackgate|0.1.0|authz.decision|authorization deny|5|"
            "rt=1795926641123 externalId=7 suser=user:x cs1\\=acme/fake/stack outcome=deny "
            "reason=line one\\nCEF:0|forged|x|1|a|b|10|suser\\=root src=10.0.0.1 "
            "requestClientApplication=Mozilla/5.0 \\\\ (Z\xC3\xBCrich) \\= \\r "
            "cs3Label=hash cs3=" +
                kHash + " cs4Label=issuer cs4=corp|sso cs5Label=request_id cs5=r\\=1");
}

TEST(AuditCef, ALineHasNoLineEnd) {
  AuditEvent e = sealed_sample();
  e.reason = "a\nb\rc";
  const std::string line = to_cef(e, "0.1.0");
  EXPECT_EQ(line.find('\n'), std::string::npos);
  EXPECT_EQ(line.find('\r'), std::string::npos);
}

}  // namespace
}  // namespace sg::audit
