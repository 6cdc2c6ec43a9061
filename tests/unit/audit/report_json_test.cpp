// The JSON form of a verification report, as `audit verify --json` prints it.
#include "audit/report_json.hpp"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

namespace sg::audit {
namespace {

TEST(AuditReportJson, AnIntactLogHasNoFaultSeqOrReason) {
  VerifyReport r;
  r.events = 12;
  r.checkpoints = 2;
  r.signed_seq = 10;
  r.head = ChainHead{12, std::string(64, 'c')};
  EXPECT_EQ(boost::json::serialize(report_to_json(r)),
            R"({"ok":true,"events":12,"checkpoints":2,"signed_seq":10,"head":{"seq":12,"hash":")" +
                std::string(64, 'c') + R"("}})");
}

TEST(AuditReportJson, ABrokenLogNamesTheFaultTheSeqAndTheReasonAfterOk) {
  VerifyReport r;
  r.fault = Fault::kBrokenLink;
  r.bad_seq = 7;
  r.reason = "event 7: prev_hash is not the hash of event 6 (…)";
  r.events = 6;
  r.checkpoints = 1;
  r.signed_seq = 5;
  r.head = ChainHead{6, std::string(64, 'b')};
  EXPECT_EQ(boost::json::serialize(report_to_json(r)),
            R"({"ok":false,"fault":"broken_link","seq":7,)"
            R"j("reason":"event 7: prev_hash is not the hash of event 6 (…)","events":6,)j"
            R"("checkpoints":1,"signed_seq":5,"head":{"seq":6,"hash":")" +
                std::string(64, 'b') + R"("}})");
}

TEST(AuditReportJson, AnEmptyLogHasTheGenesisHead) {
  EXPECT_EQ(boost::json::serialize(report_to_json(VerifyReport{})),
            R"({"ok":true,"events":0,"checkpoints":0,"signed_seq":0,"head":{"seq":0,"hash":")" +
                std::string(kGenesisHash) + R"("}})");
}

}  // namespace
}  // namespace sg::audit
