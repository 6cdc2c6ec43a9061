#include "cli/json_print.hpp"

#include <boost/json/serialize.hpp>

namespace sg::cli {
namespace {

void print(const boost::json::value& v, std::string& out, int depth) {
  std::string pad(static_cast<std::size_t>(depth + 1) * 2, ' ');
  std::string close(static_cast<std::size_t>(depth) * 2, ' ');
  if (v.is_object() && !v.as_object().empty()) {
    out += "{\n";
    bool first = true;
    for (const auto& m : v.as_object()) {
      if (!first) out += ",\n";
      first = false;
      out += pad + boost::json::serialize(boost::json::value(m.key())) + ": ";
      print(m.value(), out, depth + 1);
    }
    out += "\n" + close + "}";
  } else if (v.is_array() && !v.as_array().empty()) {
    out += "[\n";
    bool first = true;
    for (const auto& e : v.as_array()) {
      if (!first) out += ",\n";
      first = false;
      out += pad;
      print(e, out, depth + 1);
    }
    out += "\n" + close + "]";
  } else {
    out += boost::json::serialize(v);
  }
}

}  // namespace

std::string pretty_json(const boost::json::value& v) {
  std::string out;
  print(v, out, 0);
  return out;
}

}  // namespace sg::cli
