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

// The member names of the open objects of one document, for refusing a duplicate name in any
// object. Its working memory comes from the caller's `scratch` resource, which spills to the heap
// only for large documents.
class NameChecker {
 public:
  explicit NameChecker(std::pmr::memory_resource* scratch)
      : objects_(scratch), names_(scratch), chars_(scratch) {
    objects_.reserve(8);
    names_.reserve(32);
    chars_.reserve(256);
  }

  void object_begin() { objects_.push_back(Open{names_.size(), chars_.size(), {}}); }
  void object_end() {
    names_.resize(objects_.back().names_begin);
    chars_.resize(objects_.back().chars_begin);
    objects_.pop_back();
  }
  void key_part(bj::string_view s) { chars_.append(s.data(), s.size()); }
  // The key whose last part is `s` and whose size is `n` is complete: false (and the problem set)
  // if the innermost object already has a member of that name. The whole key is copied to
  // `copy` when one is given.
  bool key(bj::string_view s, std::size_t n, std::string& problem,
           std::pmr::string* copy = nullptr) {
    chars_.append(s.data(), s.size());
    if (copy != nullptr) copy->assign(std::string_view(chars_).substr(chars_.size() - n));
    if (fresh_name(n)) return true;
    problem = "duplicate member name \"" +
              detail::printable(std::string_view(chars_).substr(chars_.size() - n)) + "\"";
    return false;
  }

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

  std::pmr::vector<Open> objects_;
  std::pmr::vector<Name> names_;
  std::pmr::string chars_;  // characters of every name in names_, and of the key being read
};

JsonValue value_of(JsonValue::Kind kind) {
  JsonValue v;
  v.kind = kind;
  return v;
}

bool fail(error_code& ec) {
  ec = boost::system::errc::make_error_code(boost::system::errc::invalid_argument);
  return false;
}

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
      : stack_({}, temp.data(), temp.size()), names_(scratch) {}

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
    names_.object_begin();
    return true;
  }
  bool on_object_end(std::size_t n, error_code&) {
    stack_.push_object(n);
    names_.object_end();
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
    names_.key_part(s);
    return true;
  }
  bool on_key(bj::string_view s, std::size_t n, error_code& ec) {
    stack_.push_key(s);
    return names_.key(s, n, problem_) || fail(ec);
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
  bj::value_stack stack_;
  NameChecker names_;
  std::string problem_;
};

// Handler for bj::basic_parser that applies StrictBuilder's rules without building anything, and
// tells a JsonVisitor about the top-level members and the elements of top-level arrays.
class StrictScanner {
 public:
  static constexpr std::size_t max_object_size = bj::object::max_size();
  static constexpr std::size_t max_array_size = bj::array::max_size();
  static constexpr std::size_t max_key_size = bj::string::max_size();
  static constexpr std::size_t max_string_size = bj::string::max_size();

  StrictScanner(JsonVisitor& visitor, std::pmr::memory_resource* scratch)
      : visitor_(visitor), names_(scratch), member_(scratch), string_(scratch) {}

  const std::string& problem() const { return problem_; }
  bool root_is_object() const { return root_is_object_; }

  bool on_document_begin(error_code&) { return true; }
  bool on_document_end(error_code&) { return true; }
  bool on_array_begin(error_code&) {
    report(value_of(JsonValue::Kind::kArray));
    enter(false);
    return true;
  }
  bool on_array_end(std::size_t, error_code&) {
    --depth_;
    return true;
  }
  bool on_object_begin(error_code&) {
    if (depth_ == 0) root_is_object_ = true;
    report(value_of(JsonValue::Kind::kObject));
    enter(true);
    names_.object_begin();
    return true;
  }
  bool on_object_end(std::size_t, error_code&) {
    --depth_;
    names_.object_end();
    return true;
  }
  bool on_string_part(bj::string_view s, std::size_t, error_code&) {
    if (reported()) string_.append(s.data(), s.size());
    return true;
  }
  bool on_string(bj::string_view s, std::size_t, error_code&) {
    if (!reported()) return true;
    JsonValue v = value_of(JsonValue::Kind::kString);
    if (string_.empty()) {
      v.string = std::string_view(s.data(), s.size());
    } else {
      string_.append(s.data(), s.size());
      v.string = string_;
    }
    report(v);
    string_.clear();
    return true;
  }
  bool on_key_part(bj::string_view s, std::size_t, error_code&) {
    names_.key_part(s);
    return true;
  }
  bool on_key(bj::string_view s, std::size_t n, error_code& ec) {
    return names_.key(s, n, problem_, depth_ == 1 ? &member_ : nullptr) || fail(ec);
  }
  bool on_number_part(bj::string_view, error_code&) { return true; }
  bool on_int64(std::int64_t i, bj::string_view, error_code&) {
    JsonValue v = value_of(JsonValue::Kind::kInt64);
    v.int64 = i;
    report(v);
    return true;
  }
  bool on_uint64(std::uint64_t u, bj::string_view, error_code&) {
    JsonValue v = value_of(JsonValue::Kind::kUint64);
    v.uint64 = u;
    report(v);
    return true;
  }
  bool on_double(double d, bj::string_view, error_code& ec) {
    if (!std::isfinite(d)) {
      problem_ = "number out of range";
      return fail(ec);
    }
    JsonValue v = value_of(JsonValue::Kind::kDouble);
    v.number = d;
    report(v);
    return true;
  }
  bool on_bool(bool b, error_code&) {
    JsonValue v = value_of(JsonValue::Kind::kBool);
    v.boolean = b;
    report(v);
    return true;
  }
  bool on_null(error_code&) {
    report(value_of(JsonValue::Kind::kNull));
    return true;
  }
  bool on_comment_part(bj::string_view, error_code&) { return true; }
  bool on_comment(bj::string_view, error_code&) { return true; }

 private:
  // Whether a value starting now is a top-level member's value or an element of a top-level
  // member's array (the only values the visitor hears about).
  bool reported() const { return (depth_ == 1 && root_is_object_) || (depth_ == 2 && top_array_); }

  void report(const JsonValue& v) {
    if (depth_ == 1 && root_is_object_) {
      visitor_.member(member_, v);
    } else if (depth_ == 2 && top_array_) {
      visitor_.element(member_, v);
    }
  }

  void enter(bool object) {
    ++depth_;
    if (depth_ == 2) top_array_ = !object && root_is_object_;
  }

  JsonVisitor& visitor_;
  NameChecker names_;
  std::pmr::string member_;  // the top-level member whose value is being read
  std::pmr::string string_;  // a reported string arriving in parts
  std::size_t depth_ = 0;    // open objects and arrays
  bool root_is_object_ = false;
  bool top_array_ = false;  // the open depth-2 container is an array (a top-level member's value)
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

// The error for a document that stopped the parser: the handler's problem, too deep, or invalid.
template <class Handler>
Error parse_error(const bj::basic_parser<Handler>& parser, const error_code& ec,
                  const JsonLimits& limits, std::string_view what, Errc code) {
  const std::string name(what);
  const std::string& problem = parser.handler().problem();
  if (!problem.empty()) return make_error(code, name + " JSON has a " + problem);
  if (ec == bj::error::too_deep) {
    return make_error(
        code, name + " JSON is nested deeper than " + std::to_string(limits.max_depth) + " levels");
  }
  return make_error(code, name + " is not valid JSON (" + ec.message() + ")");
}

Error too_large(const JsonLimits& limits, std::string_view what, Errc code) {
  return make_error(
      code, std::string(what) + " is larger than " + std::to_string(limits.max_bytes) + " bytes");
}

}  // namespace

Result<bj::object> parse_strict_object(std::string_view text, const JsonLimits& limits,
                                       std::string_view what, Errc code) {
  if (text.size() > limits.max_bytes) return too_large(limits, what, code);
  // Working memory for a token-sized document; larger ones spill to the heap.
  alignas(bj::value) std::array<unsigned char, 2048> temp;
  alignas(std::max_align_t) std::array<std::byte, 2048> scratch_buffer;
  std::pmr::monotonic_buffer_resource scratch(scratch_buffer.data(), scratch_buffer.size());
  bj::basic_parser<StrictBuilder> parser(strict_options(limits), std::span<unsigned char>(temp),
                                         &scratch);
  error_code ec;
  const std::size_t used = parser.write_some(false, text.data(), text.size(), ec);
  if (ec) return parse_error(parser, ec, limits, what, code);
  if (used != text.size()) {
    return make_error(code, std::string(what) + " JSON has trailing data");
  }
  bj::value v = parser.handler().release();
  if (!v.is_object()) return make_error(code, std::string(what) + " is not a JSON object");
  return std::move(v.as_object());
}

Status scan_strict_object(std::string_view text, const JsonLimits& limits, std::string_view what,
                          JsonVisitor& visitor, Errc code) {
  if (text.size() > limits.max_bytes) return too_large(limits, what, code);
  alignas(std::max_align_t) std::array<std::byte, 2048> scratch_buffer;
  std::pmr::monotonic_buffer_resource scratch(scratch_buffer.data(), scratch_buffer.size());
  bj::basic_parser<StrictScanner> parser(strict_options(limits), visitor, &scratch);
  error_code ec;
  const std::size_t used = parser.write_some(false, text.data(), text.size(), ec);
  if (ec) return parse_error(parser, ec, limits, what, code);
  if (used != text.size()) {
    return make_error(code, std::string(what) + " JSON has trailing data");
  }
  if (!parser.handler().root_is_object()) {
    return make_error(code, std::string(what) + " is not a JSON object");
  }
  return {};
}

}  // namespace sg::jose
