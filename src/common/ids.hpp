// Identifiers that need to be unique, not secret: request ids and run ids.
//
// new_id() returns 32 lowercase hex characters (128 bits) from a per-thread generator seeded from
// the operating system's random source; use OpenSSL's RAND_bytes (jose/) for anything secret.
// Thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace sg {

std::string new_id();

// True if `id` is acceptable as a caller-supplied request id: 1..128 characters of
// [A-Za-z0-9._:/+=-]. Anything else is replaced by a generated id, so ids are safe in log lines.
bool is_acceptable_request_id(std::string_view id);

}  // namespace sg
