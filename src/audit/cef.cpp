#include "audit/cef.hpp"

#include <chrono>

#include "audit/canonical_json.hpp"

namespace sg::audit {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

enum class Field { kHeader, kExtension };

// Appends `text` escaped for `field` to `out`.
void append_escaped(std::string& out, std::string_view text, Field field) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '|' && field == Field::kHeader) {
      out += "\\|";
    } else if (c == '=' && field == Field::kExtension) {
      out += "\\=";
    } else if (c == '\r' && field == Field::kExtension) {
      out += "\\r";
    } else if (c == '\n' && field == Field::kExtension) {
      out += "\\n";
    } else if (c < 0x20 || c == 0x7F) {
      out += kReplacement;
    } else if (c == 0xC2 && i + 1 < text.size() &&
               static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
               static_cast<unsigned char>(text[i + 1]) <= 0x9F) {
      out += kReplacement;  // a C1 control, U+0080..U+009F (NEL is a line end to some readers)
      ++i;
    } else {
      out += static_cast<char>(c);
    }
  }
}

// Appends " key=value" (no leading space for the first pair).
void add(std::string& ext, std::string_view key, std::string_view value) {
  if (!ext.empty()) ext += ' ';
  ext += key;
  ext += '=';
  append_escaped(ext, value, Field::kExtension);
}

void add_custom(std::string& ext, std::string_view key, std::string_view label,
                std::string_view value) {
  add(ext, std::string(key) + "Label", label);
  add(ext, key, value);
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& s : items)
    out += (out.empty() ? "" : ",") + s;
  return out;
}

std::string extension(const AuditEvent& e) {
  std::string ext;
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(e.time.time_since_epoch());
  add(ext, "rt", std::to_string(ms.count()));
  add(ext, "externalId", std::to_string(e.seq));
  if (e.actor) add(ext, "suser", e.actor->subject);
  if (e.action) add(ext, "act", *e.action);
  if (e.decision) add(ext, "outcome", *e.decision);
  if (e.reason) add(ext, "reason", *e.reason);
  if (e.request && e.request->ip) add(ext, "src", *e.request->ip);
  if (e.request && e.request->user_agent) {
    add(ext, "requestClientApplication", *e.request->user_agent);
  }
  if (e.resource) add_custom(ext, "cs1", "stack", e.resource->stack);
  if (e.run_id) add_custom(ext, "cs2", "run_id", *e.run_id);
  add_custom(ext, "cs3", "hash", e.hash);
  if (e.actor) add_custom(ext, "cs4", "issuer", e.actor->issuer);
  if (e.request) add_custom(ext, "cs5", "request_id", e.request->id);
  if (e.actor && !e.actor->act.empty()) add_custom(ext, "cs6", "act", joined(e.actor->act));
  if (!e.details.empty()) {
    // A valid event's details always canonicalise; one that does not is left out, not guessed.
    if (Result<std::string> details = canonical_json(e.details)) {
      add_custom(ext, "flexString1", "details", *details);
    }
  }
  return ext;
}

}  // namespace

int cef_severity(const AuditEvent& event) {
  if (event.type == event_type::kAuthFailed || event.decision == "deny") return 5;
  if (event.decision == "approval_required") return 3;
  return 1;
}

std::string cef_name(const AuditEvent& event) {
  if (event.type == event_type::kAuthFailed) return "authentication failed";
  if (event.type == event_type::kAuthzDecision) {
    return "authorization " + event.decision.value_or("decision");
  }
  std::string name = event.type;
  for (char& c : name) {
    if (c == '.') c = ' ';
  }
  return name;
}

std::string cef_header_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  append_escaped(out, text, Field::kHeader);
  return out;
}

std::string cef_extension_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  append_escaped(out, text, Field::kExtension);
  return out;
}

std::string to_cef(const AuditEvent& event, std::string_view version) {
  std::string line = "CEF:0|stackgate|stackgate|";
  append_escaped(line, version, Field::kHeader);
  line += '|';
  append_escaped(line, event.type, Field::kHeader);
  line += '|';
  append_escaped(line, cef_name(event), Field::kHeader);
  line += '|';
  line += std::to_string(cef_severity(event));
  line += '|';
  line += extension(event);
  return line;
}

}  // namespace sg::audit
