#include "jose/json_reader.hpp"

#include <cmath>
#include <limits>
#include <string>
#include <unordered_set>
#include <vector>

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/value_stack.hpp>

#include "jose/printable.hpp"

namespace sg::jose {
namespace {

namespace bj = boost::json;
using boost::system::error_code;

// Handler for bj::basic_parser that builds the value (through a bj::value_stack, as bj::parser
// does) while refusing what Boost.JSON would accept silently: a duplicate member name in any
// object, a number that does not fit a finite double. Size limits are Boost.JSON's own, as in
// bj::parse.
class StrictBuilder {
 public:
  static constexpr std::size_t max_object_size = bj::object::max_size();
  static constexpr std::size_t max_array_size = bj::array::max_size();
  static constexpr std::size_t max_key_size = bj::string::max_size();
  static constexpr std::size_t max_string_size = bj::string::max_size();

  const std::string& problem() const { return problem_; }
  bj::value release() { return stack_.release(); }

  bool on_document_begin(error_code&) {
    stack_.reset();
    return true;
  }
  bool on_document_end(error_code&) { return true; }
  bool on_array_begin(error_code&) { return true; }
  bool on_array_end(std::size_t n, error_code&) {
    stack_.push_array(n);
    return true;
  }
  bool on_object_begin(error_code&) {
    objects_.push_back(Names{names_.size(), {}});
    return true;
  }
  bool on_object_end(std::size_t n, error_code&) {
    stack_.push_object(n);
    names_.resize(objects_.back().begin);
    objects_.pop_back();
    return true;
  }
  bool on_string_part(bj::string_view s, std::size_t, error_code&) {
    stack_.push_chars(s);
    return true;
  }
  bool on_string(bj::string_view s, std::size_t, error_code&) {
    stack_.push_string(s);
    return true;
  }
  bool on_key_part(bj::string_view s, std::size_t, error_code&) {
    stack_.push_chars(s);
    key_.append(s.data(), s.size());
    return true;
  }
  bool on_key(bj::string_view s, std::size_t, error_code& ec) {
    stack_.push_key(s);
    key_.append(s.data(), s.size());
    if (!fresh_name()) {
      problem_ = "duplicate member name \"" + detail::printable(key_) + "\"";
      return fail(ec);
    }
    key_.clear();
    return true;
  }
  bool on_number_part(bj::string_view, error_code&) { return true; }
  bool on_int64(std::int64_t i, bj::string_view, error_code&) {
    stack_.push_int64(i);
    return true;
  }
  bool on_uint64(std::uint64_t u, bj::string_view, error_code&) {
    stack_.push_uint64(u);
    return true;
  }
  bool on_double(double d, bj::string_view, error_code& ec) {
    if (!std::isfinite(d)) {
      problem_ = "number out of range";
      return fail(ec);
    }
    stack_.push_double(d);
    return true;
  }
  bool on_bool(bool b, error_code&) {
    stack_.push_bool(b);
    return true;
  }
  bool on_null(error_code&) {
    stack_.push_null();
    return true;
  }
  bool on_comment_part(bj::string_view, error_code&) { return true; }
  bool on_comment(bj::string_view, error_code&) { return true; }

 private:
  // Objects this small are checked by a linear scan; larger ones through a hash set, so a
  // many-member object costs linear time.
  static constexpr std::size_t kLinearNames = 16;

  // The member names of one open object: names_[begin..], and `set` once it grows large.
  struct Names {
    std::size_t begin;
    std::unordered_set<std::string> set;
  };

  // Records key_ as a member name of the innermost open object; false if it already is one.
  bool fresh_name() {
    Names& names = objects_.back();
    const std::size_t count = names_.size() - names.begin;
    if (count < kLinearNames) {
      for (std::size_t i = names.begin; i < names_.size(); ++i) {
        if (names_[i] == key_) return false;
      }
      names_.push_back(key_);
      return true;
    }
    if (names.set.empty()) names.set.insert(names_.begin() + names.begin, names_.end());
    return names.set.insert(key_).second;
  }

  static bool fail(error_code& ec) {
    ec = boost::system::errc::make_error_code(boost::system::errc::invalid_argument);
    return false;
  }

  bj::value_stack stack_;
  std::vector<Names> objects_;
  std::vector<std::string> names_;
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
  bj::basic_parser<StrictBuilder> parser(strict_options(limits));
  error_code ec;
  const std::size_t used = parser.write_some(false, text.data(), text.size(), ec);
  if (ec) {
    const std::string& problem = parser.handler().problem();
    if (!problem.empty()) return make_error(code, name + " JSON has a " + problem);
    if (ec == bj::error::too_deep) {
      return make_error(code, name + " JSON is nested deeper than " +
                                  std::to_string(limits.max_depth) + " levels");
    }
    return make_error(code, name + " is not valid JSON (" + ec.message() + ")");
  }
  if (used != text.size()) return make_error(code, name + " JSON has trailing data");
  bj::value v = parser.handler().release();
  if (!v.is_object()) return make_error(code, name + " is not a JSON object");
  return std::move(v.as_object());
}

}  // namespace sg::jose
