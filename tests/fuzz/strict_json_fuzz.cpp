// Fuzz target: jose/json_reader parse_strict_object, the strict JSON reader every token header,
// claims set and JWKS goes through.
//
// Arbitrary bytes are parsed with small limits (4 KiB, depth 8). Checks:
// - nothing crashes or trips ASan/UBSan; a refusal carries the caller's error code;
// - on success: the text was within max_bytes, the object nests at most max_depth levels, every
//   number is finite, and boost::json::parse of the same text gives the same value;
// - round trip: boost::json::serialize of the result is accepted again by parse_strict_object (same
//   depth, no byte limit: serialization may lengthen numbers such as 1.5 -> 1.5E0) and gives an
//   equal object — same kinds, same member order, same strings and integers. Doubles may differ by
//   at most kMaxUlp units in the last place: Boost.JSON 1.81's number parser is not correctly
//   rounded (its serializer is), so "1.3927926388013963E-143" re-reads 1 ulp off; measured at <= 2
//   ulp;
// - scan_strict_object (no tree) agrees with parse_strict_object: the same refusal and message, and
//   on success it reported exactly the parsed object's top-level members and their arrays'
//   elements, in order, with the same kinds, strings and numbers.
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "fuzz_support.hpp"
#include "jose/json_reader.hpp"

namespace {

namespace bj = boost::json;

constexpr std::uint64_t kMaxUlp = 4;

// Position of `d` on the line of doubles, so that adjacent doubles differ by one.
std::int64_t ordinal(double d) {
  const auto bits = std::bit_cast<std::int64_t>(d);
  return bits < 0 ? std::numeric_limits<std::int64_t>::min() - bits : bits;
}

bool close_doubles(double a, double b) {
  const std::int64_t x = ordinal(a), y = ordinal(b);
  const std::uint64_t distance =
      x > y ? static_cast<std::uint64_t>(x) - static_cast<std::uint64_t>(y)
            : static_cast<std::uint64_t>(y) - static_cast<std::uint64_t>(x);
  return distance <= kMaxUlp;
}

bool same(const bj::value& a, const bj::value& b) {
  if (a.kind() != b.kind()) return false;
  switch (a.kind()) {
    case bj::kind::double_:
      return close_doubles(a.get_double(), b.get_double());
    case bj::kind::array: {
      const bj::array &x = a.get_array(), &y = b.get_array();
      if (x.size() != y.size()) return false;
      for (std::size_t i = 0; i < x.size(); ++i) {
        if (!same(x[i], y[i])) return false;
      }
      return true;
    }
    case bj::kind::object: {
      const bj::object &x = a.get_object(), &y = b.get_object();
      if (x.size() != y.size()) return false;
      for (auto i = x.begin(), j = y.begin(); i != x.end(); ++i, ++j) {
        if (i->key() != j->key() || !same(i->value(), j->value())) return false;
      }
      return true;
    }
    default:
      return a == b;
  }
}

// Nesting depth: 0 for a scalar, 1 for an empty object or array.
std::size_t depth(const bj::value& v) {
  std::size_t inner = 0;
  if (v.is_array()) {
    for (const bj::value& e : v.get_array())
      inner = std::max(inner, depth(e));
    return inner + 1;
  }
  if (v.is_object()) {
    for (const auto& m : v.get_object())
      inner = std::max(inner, depth(m.value()));
    return inner + 1;
  }
  return 0;
}

bool all_finite(const bj::value& v) {
  if (v.is_double()) return std::isfinite(v.get_double());
  if (v.is_array()) {
    for (const bj::value& e : v.get_array()) {
      if (!all_finite(e)) return false;
    }
  }
  if (v.is_object()) {
    for (const auto& m : v.get_object()) {
      if (!all_finite(m.value())) return false;
    }
  }
  return true;
}

// What scan_strict_object reported, rebuilt as a value: members with their scalar values (objects
// and arrays as empty containers), and the elements of top-level arrays pushed into those.
class Rebuilder final : public sg::jose::JsonVisitor {
 public:
  bj::object result;

  void member(std::string_view name, const sg::jose::JsonValue& v) override {
    result[name] = scalar(v);
  }
  void element(std::string_view name, const sg::jose::JsonValue& v) override {
    bj::value* array = result.if_contains(name);
    SG_FUZZ_CHECK(array != nullptr && array->is_array());
    array->get_array().push_back(scalar(v));
  }

 private:
  static bj::value scalar(const sg::jose::JsonValue& v) {
    using Kind = sg::jose::JsonValue::Kind;
    switch (v.kind) {
      case Kind::kString:
        return bj::string(v.string);
      case Kind::kInt64:
        return v.int64;
      case Kind::kUint64:
        return v.uint64;
      case Kind::kDouble:
        return v.number;
      case Kind::kBool:
        return v.boolean;
      case Kind::kNull:
        return nullptr;
      case Kind::kObject:
        return bj::object();
      case Kind::kArray:
        return bj::array();
    }
    return nullptr;
  }
};

// The parsed object cut down to what the scan reports: nested objects and arrays inside arrays
// become empty, and so does every object that is a member's value.
bj::object reported_part(const bj::object& parsed) {
  bj::object out;
  for (const auto& m : parsed) {
    if (m.value().is_object()) {
      out[m.key()] = bj::object();
    } else if (m.value().is_array()) {
      bj::array elements;
      for (const bj::value& e : m.value().get_array()) {
        if (e.is_object()) {
          elements.push_back(bj::object());
        } else if (e.is_array()) {
          elements.push_back(bj::array());
        } else {
          elements.push_back(e);
        }
      }
      out[m.key()] = std::move(elements);
    } else {
      out[m.key()] = m.value();
    }
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using sg::jose::JsonLimits;
  using sg::jose::parse_strict_object;
  const std::string_view text = sg::fuzz::as_text(data, size);

  const JsonLimits limits{4096, 8};
  const auto parsed = parse_strict_object(text, limits, "fuzz", sg::Errc::kInvalidArgument);
  Rebuilder scanned_members;
  const auto scanned = sg::jose::scan_strict_object(text, limits, "fuzz", scanned_members,
                                                    sg::Errc::kInvalidArgument);
  SG_FUZZ_CHECK(scanned.ok() == parsed.ok());
  if (!parsed.ok()) {
    SG_FUZZ_CHECK(scanned.error().message == parsed.error().message);
    SG_FUZZ_CHECK(parsed.code() == sg::Errc::kInvalidArgument);
    SG_FUZZ_CHECK(!parsed.error().message.empty());
    return 0;
  }
  const bj::value result(*parsed);
  SG_FUZZ_CHECK(size <= limits.max_bytes);
  SG_FUZZ_CHECK(depth(result) <= limits.max_depth);
  SG_FUZZ_CHECK(all_finite(result));
  SG_FUZZ_CHECK(same(bj::value(scanned_members.result), bj::value(reported_part(*parsed))));

  bj::parse_options opts;
  opts.max_depth = limits.max_depth;
  boost::system::error_code ec;
  const bj::value plain = bj::parse(text, ec, {}, opts);
  SG_FUZZ_CHECK(!ec);
  SG_FUZZ_CHECK(plain == result);

  const std::string serialized = bj::serialize(result);
  const JsonLimits unbounded{std::numeric_limits<std::size_t>::max(), limits.max_depth};
  const auto again = parse_strict_object(serialized, unbounded, "fuzz round trip");
  SG_FUZZ_CHECK(again.ok());
  SG_FUZZ_CHECK(same(result, bj::value(*again)));
  return 0;
}
