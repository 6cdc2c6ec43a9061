// A log the Pulumi stand-in (tests/pulumi-standin/pulumi) wrote for `up` with three steps, one of
// which fails, program output and two diagnostics — timestamps fixed at 1700000000. Shared by the
// reader and summary tests.
#pragma once

#include <string_view>

namespace sg::runs::testing {

inline constexpr std::string_view kStandinLog =
    R"log({"sequence":0,"timestamp":1700000000,"preludeEvent":{"config":{}}}
{"sequence":1,"timestamp":1700000000,"stdoutEvent":{"message":"hi\n","color":"never"}}
{"sequence":2,"timestamp":1700000000,"resourcePreEvent":{"metadata":{"op":"same","urn":"urn:pulumi:dev::payments::pulumi:pulumi:Stack::payments-dev","type":"pulumi:pulumi:Stack","old":{"type":"pulumi:pulumi:Stack","urn":"urn:pulumi:dev::payments::pulumi:pulumi:Stack::payments-dev","id":"","parent":"","inputs":{},"outputs":{},"provider":""},"new":{"type":"pulumi:pulumi:Stack","urn":"urn:pulumi:dev::payments::pulumi:pulumi:Stack::payments-dev","id":"","parent":"","inputs":{},"outputs":{},"provider":""},"detailedDiff":null,"logical":true,"provider":""}}}
{"sequence":3,"timestamp":1700000000,"resOutputsEvent":{"metadata":{"op":"same","urn":"urn:pulumi:dev::payments::pulumi:pulumi:Stack::payments-dev","type":"pulumi:pulumi:Stack","old":{"type":"pulumi:pulumi:Stack","urn":"urn:pulumi:dev::payments::pulumi:pulumi:Stack::payments-dev","id":"","parent":"","inputs":{},"outputs":{},"provider":""},"new":{"type":"pulumi:pulumi:Stack","urn":"urn:pulumi:dev::payments::pulumi:pulumi:Stack::payments-dev","id":"","parent":"","inputs":{},"outputs":{},"provider":""},"detailedDiff":null,"logical":true,"provider":""}}}
{"sequence":4,"timestamp":1700000000,"resourcePreEvent":{"metadata":{"op":"create","urn":"urn:pulumi:dev::payments::aws:s3/bucket:Bucket::logs","type":"aws:s3/bucket:Bucket","old":null,"new":{"type":"aws:s3/bucket:Bucket","urn":"urn:pulumi:dev::payments::aws:s3/bucket:Bucket::logs","id":"","parent":"","inputs":{},"outputs":{},"provider":""},"detailedDiff":null,"logical":true,"provider":""}}}
{"sequence":5,"timestamp":1700000000,"resOutputsEvent":{"metadata":{"op":"create","urn":"urn:pulumi:dev::payments::aws:s3/bucket:Bucket::logs","type":"aws:s3/bucket:Bucket","old":null,"new":{"type":"aws:s3/bucket:Bucket","urn":"urn:pulumi:dev::payments::aws:s3/bucket:Bucket::logs","id":"","parent":"","inputs":{},"outputs":{},"provider":""},"detailedDiff":null,"logical":true,"provider":""}}}
{"sequence":6,"timestamp":1700000000,"resourcePreEvent":{"metadata":{"op":"update","urn":"urn:pulumi:dev::payments::aws:s3/bucket:Bucket::bad","type":"aws:s3/bucket:Bucket","old":{"type":"aws:s3/bucket:Bucket","urn":"urn:pulumi:dev::payments::aws:s3/bucket:Bucket::bad","id":"","parent":"","inputs":{},"outputs":{},"provider":""},"new":{"type":"aws:s3/bucket:Bucket","urn":"urn:pulumi:dev::payments::aws:s3/bucket:Bucket::bad","id":"","parent":"","inputs":{},"outputs":{},"provider":""},"detailedDiff":null,"logical":true,"provider":""}}}
{"sequence":7,"timestamp":1700000000,"diagnosticEvent":{"urn":"urn:pulumi:dev::payments::aws:s3/bucket:Bucket::bad","prefix":"error: ","message":"update of bad failed (stand-in)\n","color":"never","severity":"error"}}
{"sequence":8,"timestamp":1700000000,"resOpFailedEvent":{"metadata":{"op":"update","urn":"urn:pulumi:dev::payments::aws:s3/bucket:Bucket::bad","type":"aws:s3/bucket:Bucket","old":{"type":"aws:s3/bucket:Bucket","urn":"urn:pulumi:dev::payments::aws:s3/bucket:Bucket::bad","id":"","parent":"","inputs":{},"outputs":{},"provider":""},"new":{"type":"aws:s3/bucket:Bucket","urn":"urn:pulumi:dev::payments::aws:s3/bucket:Bucket::bad","id":"","parent":"","inputs":{},"outputs":{},"provider":""},"detailedDiff":null,"logical":true,"provider":""},"status":0,"steps":0}}
{"sequence":9,"timestamp":1700000000,"diagnosticEvent":{"prefix":"warning: ","message":"deprecated\n","color":"never","severity":"warning"}}
{"sequence":10,"timestamp":1700000000,"diagnosticEvent":{"prefix":"info#err: ","message":"npm WARN\n","color":"never","severity":"info#err"}}
{"sequence":11,"timestamp":1700000000,"summaryEvent":{"maybeCorrupt":false,"durationSeconds":0,"resourceChanges":{"same":1,"create":1},"PolicyPacks":{},"isPreview":false,"result":"failed"}}
{"sequence":12,"timestamp":1700000000,"cancelEvent":{}}
)log";

}  // namespace sg::runs::testing
