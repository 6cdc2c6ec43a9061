#include "audit/report_json.hpp"

namespace sg::audit {

boost::json::object report_to_json(const VerifyReport& report) {
  boost::json::object out;
  out["ok"] = report.ok();
  if (!report.ok()) {
    out["fault"] = fault_name(report.fault);
    out["seq"] = report.bad_seq;
    out["reason"] = report.reason;
  }
  out["events"] = report.events;
  out["checkpoints"] = report.checkpoints;
  out["signed_seq"] = report.signed_seq;
  out["head"] = boost::json::object{{"seq", report.head.seq}, {"hash", report.head.hash}};
  return out;
}

}  // namespace sg::audit
