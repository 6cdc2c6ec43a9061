// Pretty-prints JSON values for people reading CLI output (two-space indent, keys in their order).
// Pure; thread-safe.
#pragma once

#include <string>

#include <boost/json/value.hpp>

namespace sg::cli {

std::string pretty_json(const boost::json::value& v);

}  // namespace sg::cli
