#include "audit/canonical_json.hpp"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <vector>

#include "common/json_text.hpp"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace sg::audit {
namespace {

namespace bj = boost::json;

Error not_canonical(std::string what) {
  return make_error(Errc::kInvalidArgument, "cannot canonicalise JSON: " + std::move(what));
}

bool valid_utf8(std::string_view s) {
  std::size_t i = 0;
  // ASCII, eight bytes at a time: most of what events hold.
  for (std::uint64_t word = 0; i + 8 <= s.size(); i += 8) {
    std::memcpy(&word, s.data() + i, 8);
    if ((word & 0x8080808080808080ULL) != 0) break;
  }
  while (i < s.size()) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
      continue;
    }
    const std::size_t n = utf8_sequence_length(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

// Decodes the code point of the valid UTF-8 sequence at s[i] and advances i past it.
char32_t next_code_point(std::string_view s, std::size_t& i) {
  const auto byte = [&](std::size_t k) {
    return static_cast<char32_t>(static_cast<unsigned char>(s[k]));
  };
  const char32_t c = byte(i);
  if (c < 0x80) {
    i += 1;
    return c;
  }
  if (c < 0xE0) {
    const char32_t cp = ((c & 0x1F) << 6) | (byte(i + 1) & 0x3F);
    i += 2;
    return cp;
  }
  if (c < 0xF0) {
    const char32_t cp = ((c & 0x0F) << 12) | ((byte(i + 1) & 0x3F) << 6) | (byte(i + 2) & 0x3F);
    i += 3;
    return cp;
  }
  const char32_t cp = ((c & 0x07) << 18) | ((byte(i + 1) & 0x3F) << 12) |
                      ((byte(i + 2) & 0x3F) << 6) | (byte(i + 3) & 0x3F);
  i += 4;
  return cp;
}

// A weight whose order is the order of the code point's first UTF-16 code unit, with ties between
// two supplementary characters broken as their second units would: U+0000..U+D7FF keep their value,
// U+10000..U+10FFFF (high surrogates D800..DBFF first) keep theirs, and U+E000..U+FFFF move above
// them all. There are no surrogate code points in valid UTF-8.
char32_t utf16_weight(char32_t cp) {
  return cp >= 0xE000 && cp <= 0xFFFF ? cp + 0x200000 : cp;
}

// The index of the first byte from `i` on that may need an escape: '"', '\\', a control
// character, or (sixteen bytes at a time) a byte of 0x80 or more, which the caller looks at again.
std::size_t skip_plain(std::string_view s, std::size_t i) {
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  const __m128i space = _mm_set1_epi8(' ');
  for (; i + 16 <= s.size(); i += 16) {
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + i));
    // Compared as signed bytes, those below ' ' are the control characters and 0x80 and above.
    const __m128i special =
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(bytes, quote), _mm_cmpeq_epi8(bytes, backslash)),
                     _mm_cmplt_epi8(bytes, space));
    const auto mask = static_cast<unsigned>(_mm_movemask_epi8(special));
    if (mask != 0) return i + static_cast<std::size_t>(std::countr_zero(mask));
  }
#endif
  return i;
}

void append_string(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  std::size_t run = 0;  // start of the bytes that need no escape
  for (std::size_t i = skip_plain(s, 0); i < s.size(); i = skip_plain(s, i + 1)) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s.substr(run, i - run));
    run = i + 1;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        out += "\\u00";
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 0xF]);
        break;
    }
  }
  out.append(s.substr(run));
  out.push_back('"');
}

Status append_integer(std::string& out, std::int64_t v) {
  if (v > kMaxSafeInteger || v < -kMaxSafeInteger) {
    return not_canonical("integer " + std::to_string(v) + " is outside ±(2^53 - 1)");
  }
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
  return {};
}

Status append_value(std::string& out, const bj::value& v, std::size_t depth,
                    std::string_view omit_at_top);

Status append_object(std::string& out, const bj::object& o, std::size_t depth,
                     std::string_view omit) {
  std::vector<const bj::key_value_pair*> members;
  members.reserve(o.size());
  for (const bj::key_value_pair& kv : o) {
    const std::string_view name = kv.key();
    if (!valid_utf8(name)) return not_canonical("a member name is not valid UTF-8");
    if (depth == 1 && !omit.empty() && name == omit) continue;
    members.push_back(&kv);
  }
  std::sort(members.begin(), members.end(),
            [](const auto* a, const auto* b) { return canonical_name_less(a->key(), b->key()); });
  out.push_back('{');
  bool first = true;
  for (const bj::key_value_pair* kv : members) {
    if (!first) out.push_back(',');
    first = false;
    append_string(out, kv->key());
    out.push_back(':');
    if (Status s = append_value(out, kv->value(), depth, {}); !s) return s;
  }
  out.push_back('}');
  return {};
}

Status append_value(std::string& out, const bj::value& v, std::size_t depth,
                    std::string_view omit_at_top) {
  switch (v.kind()) {
    case bj::kind::null:
      out += "null";
      return {};
    case bj::kind::bool_:
      out += v.get_bool() ? "true" : "false";
      return {};
    case bj::kind::int64:
      return append_integer(out, v.get_int64());
    case bj::kind::uint64:
      if (v.get_uint64() > static_cast<std::uint64_t>(kMaxSafeInteger)) {
        return not_canonical("integer " + std::to_string(v.get_uint64()) +
                             " is outside ±(2^53 - 1)");
      }
      return append_integer(out, static_cast<std::int64_t>(v.get_uint64()));
    case bj::kind::double_:
      return not_canonical("a number is not an integer");
    case bj::kind::string:
      if (!valid_utf8(v.get_string())) return not_canonical("a string is not valid UTF-8");
      append_string(out, v.get_string());
      return {};
    case bj::kind::array: {
      if (depth + 1 > kMaxCanonicalDepth) return not_canonical("nesting is too deep");
      out.push_back('[');
      bool first = true;
      for (const bj::value& element : v.get_array()) {
        if (!first) out.push_back(',');
        first = false;
        if (Status s = append_value(out, element, depth + 1, {}); !s) return s;
      }
      out.push_back(']');
      return {};
    }
    case bj::kind::object:
      if (depth + 1 > kMaxCanonicalDepth) return not_canonical("nesting is too deep");
      return append_object(out, v.get_object(), depth + 1, omit_at_top);
  }
  return not_canonical("unknown JSON kind");
}

}  // namespace

Status append_canonical_string(std::string& out, std::string_view text) {
  if (!valid_utf8(text)) return not_canonical("a string is not valid UTF-8");
  append_string(out, text);
  return {};
}

bool canonical_name_less(std::string_view a, std::string_view b) {
  std::size_t i = 0;
  std::size_t j = 0;
  while (i < a.size() && j < b.size()) {
    // Equal bytes start equal code points (both strings are valid UTF-8): skip them cheaply.
    if (a[i] == b[j] && static_cast<unsigned char>(a[i]) < 0x80) {
      ++i;
      ++j;
      continue;
    }
    const char32_t wa = utf16_weight(next_code_point(a, i));
    const char32_t wb = utf16_weight(next_code_point(b, j));
    if (wa != wb) return wa < wb;
  }
  return i == a.size() && j < b.size();
}

Status append_canonical_json(std::string& out, const bj::value& value) {
  return append_value(out, value, 0, {});
}

Result<std::string> canonical_json(const bj::value& value) {
  std::string out;
  if (Status s = append_canonical_json(out, value); !s) return s.error();
  return out;
}

Result<std::string> canonical_json(const bj::object& object) {
  std::string out;
  if (Status s = append_object(out, object, 1, {}); !s) return s.error();
  return out;
}

Result<std::string> canonical_json_without(const bj::object& object, std::string_view omit) {
  std::string out;
  if (Status s = append_object(out, object, 1, omit); !s) return s.error();
  return out;
}

}  // namespace sg::audit
