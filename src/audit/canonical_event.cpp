#include "audit/canonical_event.hpp"

#include <bit>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "audit/canonical_json.hpp"
#include "audit/event.hpp"
#include "common/clock.hpp"
#include "common/json_text.hpp"

namespace sg::audit {
namespace {

// A string as it stands in the text, between its quotes.
struct RawString {
  std::string_view text;
  bool escaped = false;  // holds an escape sequence, so `text` is not its value
};

bool is_lower_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

// Byte classes of the text inside a string, for scanning a byte at a time with one lookup.
enum ByteClass : std::uint8_t {
  kPlain,     // ASCII written as itself: U+0020..U+007F except '"' and '\\'
  kLowerHex,  // plain too, and a lower-case hex digit
  kOther,     // '"', '\\', a control character or a byte of a multi-byte sequence
};

constexpr std::array<std::uint8_t, 256> kByteClass = [] {
  std::array<std::uint8_t, 256> classes{};
  for (int c = 0; c < 256; ++c) {
    const bool plain = c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
    const bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    classes[c] = hex ? kLowerHex : plain ? kPlain : kOther;
  }
  return classes;
}();

ByteClass class_of(char c) {
  return static_cast<ByteClass>(kByteClass[static_cast<unsigned char>(c)]);
}

// Whether the `n` bytes at `p` (a multiple of 16) are all lower-case hex digits.
bool all_lower_hex(const char* p, std::size_t n) {
#if defined(__SSE2__)
  // Signed compares: bytes of 0x80 or more are negative and fall outside both ranges.
  const __m128i below_0 = _mm_set1_epi8('0' - 1);
  const __m128i above_9 = _mm_set1_epi8('9' + 1);
  const __m128i below_a = _mm_set1_epi8('a' - 1);
  const __m128i above_f = _mm_set1_epi8('f' + 1);
  __m128i hex = _mm_set1_epi8(-1);
  for (std::size_t i = 0; i < n; i += 16) {
    const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    const __m128i digit = _mm_and_si128(_mm_cmpgt_epi8(b, below_0), _mm_cmplt_epi8(b, above_9));
    const __m128i letter = _mm_and_si128(_mm_cmpgt_epi8(b, below_a), _mm_cmplt_epi8(b, above_f));
    hex = _mm_and_si128(hex, _mm_or_si128(digit, letter));
  }
  return _mm_movemask_epi8(hex) == 0xFFFF;
#else
  bool hex = true;
  for (std::size_t i = 0; i < n; ++i)
    hex &= class_of(p[i]) == kLowerHex;
  return hex;
#endif
}

// Reads the canonical text of one body front to back. Every method returns false as soon as the
// text departs from the canonical form (or from what the reader handles); the position is then
// meaningless.
class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}

  std::size_t position() const { return pos_; }
  bool at_end() const { return pos_ == text_.size(); }

  bool peek(char c) const { return pos_ < text_.size() && text_[pos_] == c; }
  bool take(char c) {
    if (!peek(c)) return false;
    ++pos_;
    return true;
  }

  // A string with only the escapes canonical_json writes, and valid UTF-8.
  bool string(RawString& out) {
    if (!take('"')) return false;
    const std::size_t start = pos_;
    bool escaped = false;
    for (;;) {
      skip_plain();
      if (pos_ >= text_.size()) return false;
      const auto c = static_cast<unsigned char>(text_[pos_]);
      if (c == '"') break;
      if (c == '\\') {
        if (!escape()) return false;
        escaped = true;
      } else if (c < 0x20) {
        return false;
      } else if (c < 0x80) {
        ++pos_;
      } else {
        const std::size_t n = utf8_sequence_length(text_, pos_);
        if (n == 0) return false;
        pos_ += n;
      }
    }
    out = RawString{text_.substr(start, pos_ - start), escaped};
    ++pos_;
    return true;
  }

  // A string without escapes: its text is its value.
  bool plain_string(std::string_view& out) {
    RawString s;
    if (!string(s) || s.escaped) return false;
    out = s.text;
    return true;
  }

  bool non_empty_string() {
    RawString s;
    return string(s) && !s.text.empty();
  }

  // A string of 64 lower-case hex digits.
  bool hash_string(std::string_view& out) {
    constexpr std::size_t kHexDigits = 64;
    if (pos_ + kHexDigits + 2 > text_.size() || text_[pos_] != '"' ||
        text_[pos_ + kHexDigits + 1] != '"') {
      return false;
    }
    if (!all_lower_hex(text_.data() + pos_ + 1, kHexDigits)) return false;
    out = text_.substr(pos_ + 1, kHexDigits);
    pos_ += kHexDigits + 2;
    return true;
  }

  // An integer in canonical form: no sign on zero, no leading zeros, within ±(2^53 − 1).
  bool integer(std::int64_t& out) {
    const bool negative = take('-');
    const std::size_t start = pos_;
    std::int64_t value = 0;
    while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') {
      if (pos_ - start >= 16) return false;  // 2^53 has 16 digits
      value = value * 10 + (text_[pos_] - '0');
      ++pos_;
    }
    const std::size_t digits = pos_ - start;
    if (digits == 0 || (digits > 1 && text_[start] == '0') || value > kMaxSafeInteger) {
      return false;
    }
    if (negative && value == 0) return false;
    out = negative ? -value : value;
    return true;
  }

  // Any canonical value inside `details`; `depth` is the level of a container starting here.
  bool value(std::size_t depth) {
    if (pos_ >= text_.size()) return false;
    switch (text_[pos_]) {
      case '{':
        return object(depth);
      case '[':
        return array(depth);
      case '"': {
        RawString s;
        return string(s);
      }
      case 't':
        return literal("true");
      case 'f':
        return literal("false");
      case 'n':
        return literal("null");
      default: {
        std::int64_t unused = 0;
        return integer(unused);
      }
    }
  }

  // An object whose names, without escapes, come in strictly increasing RFC 8785 order.
  bool object(std::size_t depth) {
    if (depth > kMaxFastDepth || !take('{')) return false;
    if (take('}')) return true;
    std::string_view previous;
    bool first = true;
    do {
      std::string_view name;
      if (!plain_string(name)) return false;
      if (!first && !canonical_name_less(previous, name)) return false;
      previous = name;
      first = false;
      if (!take(':') || !value(depth + 1)) return false;
    } while (take(','));
    return take('}');
  }

  bool array(std::size_t depth) {
    if (depth > kMaxFastDepth || !take('[')) return false;
    if (take(']')) return true;
    do {
      if (!value(depth + 1)) return false;
    } while (take(','));
    return take(']');
  }

  // A non-empty array of non-empty strings (actor.act).
  bool string_list() {
    if (!take('[')) return false;
    do {
      if (!non_empty_string()) return false;
    } while (take(','));
    return take(']');
  }

  // The next member name of an object whose members may only be `names`, in this (canonical)
  // order, after the one at `next` - 1. Sets `next` past the name found.
  // `names` are given as they stand in the text: quoted, with the colon.
  template <std::size_t N>
  bool member(const std::array<std::string_view, N>& names, std::size_t& next) {
    const std::string_view rest = text_.substr(pos_);
    for (; next < N; ++next) {
      if (rest.starts_with(names[next])) {
        pos_ += names[next].size();
        ++next;
        return true;
      }
    }
    return false;
  }

 private:
  // Moves past plain ASCII (see ByteClass) to the next byte that needs a closer look, or the end.
  void skip_plain() {
#if defined(__SSE2__)
    // Sixteen bytes at a time: compared as signed bytes, those below ' ' are the control
    // characters and every byte of 0x80 or more.
    const __m128i quote = _mm_set1_epi8('"');
    const __m128i backslash = _mm_set1_epi8('\\');
    const __m128i space = _mm_set1_epi8(' ');
    while (pos_ + 16 <= text_.size()) {
      const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text_.data() + pos_));
      const __m128i special =
          _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(bytes, quote), _mm_cmpeq_epi8(bytes, backslash)),
                       _mm_cmplt_epi8(bytes, space));
      const auto mask = static_cast<unsigned>(_mm_movemask_epi8(special));
      if (mask != 0) {
        pos_ += static_cast<std::size_t>(std::countr_zero(mask));
        return;
      }
      pos_ += 16;
    }
#endif
    while (pos_ < text_.size() && class_of(text_[pos_]) != kOther)
      ++pos_;
  }

  // The escapes canonical_json writes: \" \\ \b \f \n \r \t, and \u00xx in lower-case hex for
  // the other characters below U+0020.
  bool escape() {
    if (pos_ + 1 >= text_.size()) return false;
    const char e = text_[pos_ + 1];
    if (e == '"' || e == '\\' || e == 'b' || e == 'f' || e == 'n' || e == 'r' || e == 't') {
      pos_ += 2;
      return true;
    }
    if (e != 'u' || pos_ + 6 > text_.size()) return false;
    const std::string_view hex = text_.substr(pos_ + 2, 4);
    if (hex[0] != '0' || hex[1] != '0' || (hex[2] != '0' && hex[2] != '1') ||
        !is_lower_hex(hex[3])) {
      return false;
    }
    const int code = (hex[2] - '0') * 16 + (hex[3] <= '9' ? hex[3] - '0' : hex[3] - 'a' + 10);
    if (code == '\b' || code == '\f' || code == '\n' || code == '\r' || code == '\t') return false;
    pos_ += 6;
    return true;
  }

  bool literal(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

constexpr std::array<std::string_view, 13> kEventMembers = {
    R"("action":)",    R"("actor":)",  R"("decision":)", R"("details":)",  R"("hash":)",
    R"("prev_hash":)", R"("reason":)", R"("request":)",  R"("resource":)", R"("run_id":)",
    R"("seq":)",       R"("time":)",   R"("type":)"};
enum EventMember : std::size_t {
  kAction,
  kActor,
  kDecision,
  kDetails,
  kHash,
  kPrevHash,
  kReason,
  kRequest,
  kResource,
  kRunId,
  kSeq,
  kTime,
  kType
};

constexpr std::array<std::string_view, 6> kActorMembers = {
    R"("act":)", R"("email":)", R"("issuer":)", R"("kind":)", R"("name":)", R"("subject":)"};
constexpr std::array<std::string_view, 3> kRequestMembers = {R"("id":)", R"("ip":)",
                                                             R"("user_agent":)"};
constexpr std::array<std::string_view, 1> kResourceMembers = {R"("stack":)"};

// `"hash":"<64 hex>",` — the stored member with its comma (hash never sorts last).
constexpr std::size_t kHashMemberBytes = 74;

bool read_actor(Scanner& s, std::optional<std::string_view>& subject) {
  if (!s.take('{')) return false;
  std::size_t next = 0;
  bool issuer = false;
  bool kind = false;
  do {
    if (!s.member(kActorMembers, next)) return false;
    bool ok = false;
    switch (next - 1) {
      case 0:
        ok = s.string_list();
        break;
      case 1:
      case 4: {
        RawString unused;
        ok = s.string(unused);
        break;
      }
      case 2:
        ok = issuer = s.non_empty_string();
        break;
      case 3:
        ok = kind = s.non_empty_string();
        break;
      case 5: {
        std::string_view text;
        ok = s.plain_string(text) && !text.empty();
        subject = text;
        break;
      }
      default:
        break;
    }
    if (!ok) return false;
  } while (s.take(','));
  return s.take('}') && issuer && kind && subject;
}

bool read_request(Scanner& s) {
  if (!s.take('{')) return false;
  std::size_t next = 0;
  bool id = false;
  do {
    if (!s.member(kRequestMembers, next)) return false;
    if (next == 1) {
      if (!s.non_empty_string()) return false;
      id = true;
    } else {
      RawString unused;
      if (!s.string(unused)) return false;
    }
  } while (s.take(','));
  return s.take('}') && id;
}

bool read_resource(Scanner& s, std::optional<std::string_view>& stack) {
  std::size_t next = 0;
  std::string_view text;
  if (!s.take('{') || !s.member(kResourceMembers, next) || !s.plain_string(text) || text.empty() ||
      !s.take('}')) {
    return false;
  }
  stack = text;
  return true;
}

}  // namespace

bool CanonicalEventReader::valid_time(std::string_view text) {
  // format_rfc3339's form: YYYY-MM-DDTHH:MM:SS.mmmZ. Whether the second is a valid one in range
  // does not depend on the milliseconds, and consecutive events mostly share their second.
  if (text.size() != 24 || text[19] != '.' || text[23] != 'Z') return false;
  for (std::size_t i = 20; i < 23; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
  }
  const std::string_view second = text.substr(0, 19);
  if (second == valid_second_) return true;
  Result<Time> t = parse_rfc3339(text);
  if (!t || format_rfc3339(*t) != text || !is_event_time(*t)) return false;
  valid_second_.assign(second);
  return true;
}

std::optional<CanonicalEvent> CanonicalEventReader::read(std::string_view body) {
  std::optional<CanonicalEvent> event(std::in_place);  // one object, returned without a copy
  if (!read_into(body, *event)) event.reset();
  return event;
}

bool CanonicalEventReader::read_into(std::string_view body, CanonicalEvent& e) {
  Scanner s(body);
  std::size_t hash_at = 0;
  bool required[3] = {false, false, false};  // prev_hash and hash, seq, time and type
  if (!s.take('{')) return false;
  std::size_t next = 0;
  do {
    const std::size_t name_at = s.position();
    if (!s.member(kEventMembers, next)) return false;
    bool ok = false;
    switch (static_cast<EventMember>(next - 1)) {
      case kAction:
      case kReason:
      case kRunId: {
        RawString unused;
        ok = s.string(unused);
        break;
      }
      case kActor:
        ok = read_actor(s, e.actor_subject);
        break;
      case kDecision: {
        std::string_view text;
        ok = s.plain_string(text);
        e.decision = text;
        break;
      }
      case kDetails:
        ok = !body.substr(s.position()).starts_with("{}") && s.object(2);
        break;
      case kHash:
        hash_at = name_at;
        ok = s.hash_string(e.hash);
        break;
      case kPrevHash:
        // The hash member, always present, sorts just before prev_hash.
        ok = !e.hash.empty() && s.hash_string(e.prev_hash);
        required[0] = ok;
        break;
      case kRequest:
        ok = read_request(s);
        break;
      case kResource:
        ok = read_resource(s, e.stack);
        break;
      case kSeq:
        ok = s.integer(e.seq) && e.seq >= 1;
        required[1] = ok;
        break;
      case kTime:
        ok = s.plain_string(e.time) && valid_time(e.time);
        break;
      case kType:
        ok = s.plain_string(e.type) && is_event_type(e.type) && !e.time.empty();
        required[2] = ok;
        break;
    }
    if (!ok) return false;
  } while (s.take(','));
  if (!s.take('}') || !s.at_end() || !required[0] || !required[1] || !required[2] ||
      body.size() > kMaxEventBytes) {
    return false;
  }
  e.hashed_parts = {body.substr(0, hash_at), body.substr(hash_at + kHashMemberBytes)};
  return true;
}

}  // namespace sg::audit
