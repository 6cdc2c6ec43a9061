#include "jose/json_reader.hpp"

#include <cmath>
#include <limits>
#include <string>
#include <unordered_set>
#include <vector>

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/parse.hpp>

#include "jose/printable.hpp"

namespace sg::jose {
namespace {

namespace bj = boost::json;
using boost::system::error_code;

// Handler for bj::basic_parser that builds nothing: it only checks what Boost.JSON would accept
// silently. One set of member names per open object.
class StrictChecker {
 public:
  static constexpr std::size_t max_object_size = std::numeric_limits<std::size_t>::max();
  static constexpr std::size_t max_array_size = std::numeric_limits<std::size_t>::max();
  static constexpr std::size_t max_key_size = std::numeric_limits<std::size_t>::max();
  static constexpr std::size_t max_string_size = std::numeric_limits<std::size_t>::max();

  const std::string& problem() const { return problem_; }

  bool on_document_begin(error_code&) { return true; }
  bool on_document_end(error_code&) { return true; }
  bool on_array_begin(error_code&) { return true; }
  bool on_array_end(std::size_t, error_code&) { return true; }
  bool on_object_begin(error_code&) {
    names_.emplace_back();
    return true;
  }
  bool on_object_end(std::size_t, error_code&) {
    names_.pop_back();
    return true;
  }
  bool on_string_part(bj::string_view, std::size_t, error_code&) { return true; }
  bool on_string(bj::string_view, std::size_t, error_code&) { return true; }
  bool on_key_part(bj::string_view s, std::size_t, error_code&) {
    key_.append(s.data(), s.size());
    return true;
  }
  bool on_key(bj::string_view s, std::size_t, error_code& ec) {
    key_.append(s.data(), s.size());
    const bool fresh = names_.back().insert(key_).second;
    if (!fresh) {
      problem_ = "duplicate member name \"" + detail::printable(key_) + "\"";
      return fail(ec);
    }
    key_.clear();
    return true;
  }
  bool on_number_part(bj::string_view, error_code&) { return true; }
  bool on_int64(std::int64_t, bj::string_view, error_code&) { return true; }
  bool on_uint64(std::uint64_t, bj::string_view, error_code&) { return true; }
  bool on_double(double d, bj::string_view, error_code& ec) {
    if (std::isfinite(d)) return true;
    problem_ = "number out of range";
    return fail(ec);
  }
  bool on_bool(bool, error_code&) { return true; }
  bool on_null(error_code&) { return true; }
  bool on_comment_part(bj::string_view, error_code&) { return true; }
  bool on_comment(bj::string_view, error_code&) { return true; }

 private:
  static bool fail(error_code& ec) {
    ec = boost::system::errc::make_error_code(boost::system::errc::invalid_argument);
    return false;
  }

  std::vector<std::unordered_set<std::string>> names_;
  std::string key_;
  std::string problem_;
};

bj::parse_options strict_options(const JsonLimits& limits) {
  bj::parse_options opts;
  opts.max_depth = limits.max_depth;
  opts.allow_comments = false;
  opts.allow_trailing_commas = false;
  opts.allow_invalid_utf8 = false;
  return opts;
}

}  // namespace

Result<bj::object> parse_strict_object(std::string_view text, const JsonLimits& limits,
                                       std::string_view what, Errc code) {
  const std::string name(what);
  if (text.size() > limits.max_bytes) {
    return make_error(code,
                      name + " is larger than " + std::to_string(limits.max_bytes) + " bytes");
  }
  const bj::parse_options opts = strict_options(limits);
  {
    bj::basic_parser<StrictChecker> checker(opts);
    error_code ec;
    const std::size_t used = checker.write_some(false, text.data(), text.size(), ec);
    if (ec) {
      const std::string& problem = checker.handler().problem();
      if (!problem.empty()) return make_error(code, name + " JSON has a " + problem);
      if (ec == bj::error::too_deep) {
        return make_error(code, name + " JSON is nested deeper than " +
                                    std::to_string(limits.max_depth) + " levels");
      }
      return make_error(code, name + " is not valid JSON (" + ec.message() + ")");
    }
    if (used != text.size()) return make_error(code, name + " JSON has trailing data");
  }
  error_code ec;
  bj::value v = bj::parse(text, ec, {}, opts);
  if (ec) return make_error(code, name + " is not valid JSON (" + ec.message() + ")");
  if (!v.is_object()) return make_error(code, name + " is not a JSON object");
  return std::move(v.as_object());
}

}  // namespace sg::jose
