#include "runs/engine_event.hpp"

#include <array>
#include <utility>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "common/json_text.hpp"
#include "jose/json_reader.hpp"

namespace sg::runs {
namespace {

namespace bj = boost::json;

constexpr std::array<std::pair<std::string_view, EventKind>, 11> kKinds{{
    {"preludeEvent", EventKind::kPrelude},
    {"stdoutEvent", EventKind::kStdout},
    {"diagnosticEvent", EventKind::kDiagnostic},
    {"resourcePreEvent", EventKind::kResourcePre},
    {"resOutputsEvent", EventKind::kResOutputs},
    {"resOpFailedEvent", EventKind::kResOpFailed},
    {"summaryEvent", EventKind::kSummary},
    {"policyEvent", EventKind::kPolicy},
    {"progressEvent", EventKind::kProgress},
    {"errorEvent", EventKind::kError},
    {"cancelEvent", EventKind::kCancel},
}};

Error invalid(std::string message) {
  return make_error(Errc::kInvalidArgument, "engine event " + std::move(message));
}

// A member name from the input, quoted and shortened for an error message.
std::string quoted_name(std::string_view name) {
  constexpr std::size_t kMax = 64;
  if (name.size() <= kMax) return json_quote(name);
  std::size_t cut = kMax;
  while (cut > 0 && (static_cast<unsigned char>(name[cut]) & 0xC0) == 0x80)
    --cut;
  return json_quote(name.substr(0, cut)) + "...";
}

std::string string_field(const bj::object& o, std::string_view key) {
  const bj::value* v = o.if_contains(key);
  if (v == nullptr || !v->is_string()) return {};
  return std::string(v->get_string());
}

bool bool_field(const bj::object& o, std::string_view key) {
  const bj::value* v = o.if_contains(key);
  return v != nullptr && v->is_bool() && v->get_bool();
}

std::optional<std::int64_t> integer_of(const bj::value& v) {
  if (v.is_int64()) return v.get_int64();
  if (v.is_uint64() && v.get_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
    return static_cast<std::int64_t>(v.get_uint64());
  }
  return std::nullopt;
}

Result<std::int64_t> frame_integer(const bj::object& o, std::string_view key) {
  const bj::value* v = o.if_contains(key);
  if (v == nullptr) return invalid("has no \"" + std::string(key) + "\"");
  auto n = integer_of(*v);
  if (!n) return invalid("\"" + std::string(key) + "\" is not an integer");
  return *n;
}

Step step_of(const bj::object& body) {
  Step step;
  step.planning = bool_field(body, "planning");
  const bj::value* metadata = body.if_contains("metadata");
  if (metadata != nullptr && metadata->is_object()) {
    const bj::object& m = metadata->get_object();
    step.op = string_field(m, "op");
    step.urn = string_field(m, "urn");
    step.type = string_field(m, "type");
  }
  return step;
}

Diagnostic diagnostic_of(const bj::object& body) {
  Diagnostic d;
  d.severity_text = string_field(body, "severity");
  d.severity = severity_of(d.severity_text);
  d.message = string_field(body, "message");
  d.urn = string_field(body, "urn");
  return d;
}

Summary summary_of(const bj::object& body) {
  Summary s;
  if (const bj::value* changes = body.if_contains("resourceChanges");
      changes != nullptr && changes->is_object()) {
    for (const auto& member : changes->get_object()) {
      if (auto n = integer_of(member.value())) s.resource_changes[std::string(member.key())] = *n;
    }
  }
  if (const bj::value* d = body.if_contains("durationSeconds"); d != nullptr && d->is_number()) {
    s.duration_seconds = d->to_number<double>();
  }
  if (const bj::value* p = body.if_contains("isPreview"); p != nullptr && p->is_bool()) {
    s.is_preview = p->get_bool();
  }
  if (const bj::value* r = body.if_contains("result"); r != nullptr && r->is_string()) {
    s.result = std::string(r->get_string());
  }
  s.maybe_corrupt = bool_field(body, "maybeCorrupt");
  return s;
}

}  // namespace

std::string_view kind_name(EventKind kind) {
  for (const auto& [name, k] : kKinds) {
    if (k == kind) return name;
  }
  return "unknown";
}

Severity severity_of(std::string_view text) {
  if (text == "info") return Severity::kInfo;
  if (text == "info#err") return Severity::kInfoErr;
  if (text == "warning") return Severity::kWarning;
  if (text == "error") return Severity::kError;
  if (text == "debug") return Severity::kDebug;
  return Severity::kUnknown;
}

Result<EngineEvent> parse_engine_event(std::string_view line, const EventLimits& limits) {
  if (line.size() > limits.max_line_bytes) {
    return make_error(Errc::kPayloadTooLarge, "engine event is longer than " +
                                                  std::to_string(limits.max_line_bytes) + " bytes");
  }
  auto parsed = jose::parse_strict_object(line, {line.size(), limits.max_depth}, "engine event",
                                          Errc::kInvalidArgument);
  if (!parsed) return parsed.error();
  const bj::object& top = *parsed;

  EngineEvent event;
  auto sequence = frame_integer(top, "sequence");
  if (!sequence) return sequence.error();
  auto timestamp = frame_integer(top, "timestamp");
  if (!timestamp) return timestamp.error();
  event.sequence = *sequence;
  event.timestamp = *timestamp;

  const bj::value* body = nullptr;
  for (const auto& member : top) {
    const std::string_view name(member.key().data(), member.key().size());
    if (!name.ends_with("Event") || member.value().is_null()) continue;
    if (body != nullptr) {
      return invalid("has two kinds, " + quoted_name(event.kind_text) + " and " +
                     quoted_name(name));
    }
    if (!member.value().is_object()) return invalid(quoted_name(name) + " is not an object");
    body = &member.value();
    event.kind_text = std::string(name);
  }
  if (body == nullptr) return invalid("has no kind (no member named \"…Event\")");

  for (const auto& [name, k] : kKinds) {
    if (name == event.kind_text) event.kind = k;
  }
  const bj::object& o = body->get_object();
  switch (event.kind) {
    case EventKind::kResourcePre:
    case EventKind::kResOutputs:
    case EventKind::kResOpFailed:
      event.step = step_of(o);
      break;
    case EventKind::kDiagnostic:
      event.diagnostic = diagnostic_of(o);
      break;
    case EventKind::kSummary:
      event.summary = summary_of(o);
      break;
    case EventKind::kError:
      event.error_message = string_field(o, "error");
      break;
    default:
      break;
  }
  return event;
}

std::string strip_colors(std::string_view message) {
  std::string out;
  out.reserve(message.size());
  std::size_t i = 0;
  while (i < message.size()) {
    if (message.substr(i, 3) == "<{%") {
      const std::size_t end = message.find("%}>", i + 3);
      if (end != std::string_view::npos) {
        i = end + 3;
        continue;
      }
    }
    out.push_back(message[i++]);
  }
  return out;
}

}  // namespace sg::runs
