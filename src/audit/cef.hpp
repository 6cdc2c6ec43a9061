// cef turns one audit event into one line of ArcSight Common Event Format (CEF), the form most
// SIEMs ingest, for `stackgate audit export --format cef`.
//
// A line is
//
//   CEF:0|stackgate|stackgate|<version>|<event type>|<name>|<severity>|<extension>
//
// where the extension is `key=value` pairs separated by single spaces, in a fixed order, with the
// standard CEF keys where one fits (docs/audit.md has the whole mapping):
//
//   rt externalId suser act outcome reason src requestClientApplication cs1Label cs1 (stack)
//   cs2Label cs2 (run_id) cs3Label cs3 (hash) cs4Label cs4 (issuer) cs5Label cs5 (request_id)
//   cs6Label cs6 (act: the delegation chain, comma-separated) flexString1Label flexString1
//   (details)
//
// Members an event does not have are left out. Escaping follows the CEF specification: in header
// fields `\` becomes `\\` and `|` becomes `\|`; in extension values `\` becomes `\\`, `=` becomes
// `\=`, CR and LF become `\r` and `\n`. Control characters CEF has no escape for (the other C0
// controls, DEL, the C1 controls, and CR/LF in the header) become U+FFFD, so a line is always one
// line. Other characters, non-ASCII included, are written as their UTF-8 bytes.
//
// Severity: 5 for an `auth.failed` event and for a `deny` decision, 3 for `approval_required`, 1
// for everything else. Pure functions (the product version is a parameter); thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "audit/event.hpp"

namespace sg::audit {

// The CEF severity (0–10) of `event`, by the rule above.
int cef_severity(const AuditEvent& event);

// The CEF Name of `event`: "authorization deny", "authentication failed", "run started"… For a
// type stackgate does not know, the type with its dots turned into spaces.
std::string cef_name(const AuditEvent& event);

// `text` escaped for a CEF header field.
std::string cef_header_escape(std::string_view text);

// `text` escaped for a CEF extension value.
std::string cef_extension_escape(std::string_view text);

// The CEF line of `event` (without a line end), naming `version` as the device version.
std::string to_cef(const AuditEvent& event, std::string_view version);

}  // namespace sg::audit
