#include "jose/json_reader.hpp"

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory_resource>
#include <span>
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
// bj::parse. The builder's working memory (the value stack's temporary storage, the member names
// of the open objects) comes from the caller's buffers `temp` and `scratch`, which spill to the
// heap only for large documents; the value itself is allocated on the heap as usual.
class StrictBuilder {
 public:
  static constexpr std::size_t max_object_size = bj::object::max_size();
  static constexpr std::size_t max_array_size = bj::array::max_size();
  static constexpr std::size_t max_key_size = bj::string::max_size();
  static constexpr std::size_t max_string_size = bj::string::max_size();

  StrictBuilder(std::span<unsigned char> temp, std::pmr::memory_resource* scratch)
      : stack_({}, temp.data(), temp.size()), objects_(scratch), names_(scratch), chars_(scratch) {
    objects_.reserve(8);
    names_.reserve(32);
    chars_.reserve(256);
  }

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
    objects_.push_back(Open{names_.size(), chars_.size(), {}});
    return true;
  }
  bool on_object_end(std::size_t n, error_code&) {
    stack_.push_object(n);
    names_.resize(objects_.back().names_begin);
    chars_.resize(objects_.back().chars_begin);
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
    chars_.append(s.data(), s.size());
    return true;
  }
  bool on_key(bj::string_view s, std::size_t n, error_code& ec) {
    stack_.push_key(s);
    chars_.append(s.data(), s.size());
    if (!fresh_name(n)) {
      problem_ = "duplicate member name \"" +
                 detail::printable(std::string_view(chars_).substr(chars_.size() - n)) + "\"";
      return fail(ec);
    }
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

  // One member name of an open object: its size, its first (up to) 8 bytes as a number, so most
  // comparisons need no memcmp, and where its characters are in chars_.
  struct Name {
    std::size_t size;
    std::uint64_t head;
    std::size_t offset;
  };

  // One open object: its names are names_[names_begin..] (characters from chars_begin on), and
  // `set` holds them once the object grows large.
  struct Open {
    std::size_t names_begin;
    std::size_t chars_begin;
    std::unordered_set<std::string> set;
  };

  // The first min(8, size) bytes of `s` as a number. Only names of equal size are compared, so
  // the two ways of packing them need not agree. (Shifting rather than a memcpy of variable size
  // avoids a stalled load of the bytes just stored.)
  static std::uint64_t head_of(std::string_view s) {
    std::uint64_t h = 0;
    if (s.size() >= sizeof h) {
      std::memcpy(&h, s.data(), sizeof h);
      return h;
    }
    for (std::size_t i = 0; i < s.size(); ++i)
      h |= std::uint64_t{static_cast<unsigned char>(s[i])} << (8 * i);
    return h;
  }

  // Records the last `n` characters of chars_ (the key just read) as a member name of the
  // innermost open object; false if it already is one (the characters are then left in place for
  // the error message).
  bool fresh_name(std::size_t n) {
    Open& open = objects_.back();
    const std::size_t offset = chars_.size() - n;
    const std::string_view key = std::string_view(chars_).substr(offset);
    const std::size_t count = names_.size() - open.names_begin;
    if (count < kLinearNames) {
      const std::uint64_t head = head_of(key);
      for (std::size_t i = open.names_begin; i < names_.size(); ++i) {
        const Name& m = names_[i];
        if (m.size == n && m.head == head &&
            (n <= sizeof head || std::memcmp(chars_.data() + m.offset, key.data(), n) == 0)) {
          return false;
        }
      }
      names_.push_back(Name{n, head, offset});
      return true;
    }
    if (open.set.empty()) {
      for (std::size_t i = open.names_begin; i < names_.size(); ++i)
        open.set.emplace(chars_.data() + names_[i].offset, names_[i].size);
    }
    const bool fresh = open.set.emplace(key).second;
    if (fresh) chars_.resize(offset);  // the set keeps its own copy
    return fresh;
  }

  static bool fail(error_code& ec) {
    ec = boost::system::errc::make_error_code(boost::system::errc::invalid_argument);
    return false;
  }

  bj::value_stack stack_;
  std::pmr::vector<Open> objects_;
  std::pmr::vector<Name> names_;
  std::pmr::string chars_;  // characters of every name in names_, and of the key being read
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
  if (text.size() > limits.max_bytes) {
    return make_error(
        code, std::string(what) + " is larger than " + std::to_string(limits.max_bytes) + " bytes");
  }
  // Working memory for a token-sized document; larger ones spill to the heap.
  alignas(bj::value) std::array<unsigned char, 2048> temp;
  alignas(std::max_align_t) std::array<std::byte, 2048> scratch_buffer;
  std::pmr::monotonic_buffer_resource scratch(scratch_buffer.data(), scratch_buffer.size());
  bj::basic_parser<StrictBuilder> parser(strict_options(limits), std::span<unsigned char>(temp),
                                         &scratch);
  error_code ec;
  const std::size_t used = parser.write_some(false, text.data(), text.size(), ec);
  if (ec) {
    const std::string name(what);
    const std::string& problem = parser.handler().problem();
    if (!problem.empty()) return make_error(code, name + " JSON has a " + problem);
    if (ec == bj::error::too_deep) {
      return make_error(code, name + " JSON is nested deeper than " +
                                  std::to_string(limits.max_depth) + " levels");
    }
    return make_error(code, name + " is not valid JSON (" + ec.message() + ")");
  }
  if (used != text.size()) {
    return make_error(code, std::string(what) + " JSON has trailing data");
  }
  bj::value v = parser.handler().release();
  if (!v.is_object()) return make_error(code, std::string(what) + " is not a JSON object");
  return std::move(v.as_object());
}

}  // namespace sg::jose
