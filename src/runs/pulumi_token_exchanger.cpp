#include "runs/pulumi_token_exchanger.hpp"

#include <cctype>
#include <string_view>

#include "audit/event.hpp"
#include "common/printable_url.hpp"
#include "jose/json_reader.hpp"

namespace sg::runs {
namespace {

namespace json = boost::json;

constexpr std::string_view kFormType = "application/x-www-form-urlencoded";

// application/x-www-form-urlencoded: RFC 3986 unreserved characters as they are, the rest %XX.
void append_encoded(std::string& out, std::string_view value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (const char c : value) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) != 0 || c == '-' || c == '.' || c == '_' || c == '~') {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(kHex[u >> 4]);
      out.push_back(kHex[u & 0x0f]);
    }
  }
}

void append_field(std::string& out, std::string_view name, std::string_view value) {
  if (!out.empty()) out.push_back('&');
  out.append(name);
  out.push_back('=');
  append_encoded(out, value);
}

std::string form_body(const PulumiExchangeRequest& r) {
  std::string out;
  append_field(out, "grant_type", "urn:ietf:params:oauth:grant-type:token-exchange");
  append_field(out, "audience", "urn:pulumi:org:" + r.org);
  append_field(out, "subject_token_type", "urn:ietf:params:oauth:token-type:id_token");
  append_field(out, "subject_token", r.subject_token);
  append_field(out, "requested_token_type", std::string(kPulumiTokenTypePrefix) + r.token_type);
  if (!r.scope.empty()) append_field(out, "scope", r.scope);
  append_field(out, "expiration", std::to_string(r.expiration.count()));
  return out;
}

bool is_token_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_' || c == '.' ||
         c == '~' || c == '+' || c == '/' || c == '=';
}

// Pulumi Cloud's words made safe to show: control characters become spaces, runs of token
// characters that could be a token become "[redacted]", the whole is valid UTF-8 and bounded.
std::string plain_detail(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    if (!is_token_char(text[i])) {
      const auto u = static_cast<unsigned char>(text[i]);
      out.push_back(u < 0x20 || u == 0x7f ? ' ' : text[i]);
      ++i;
      continue;
    }
    std::size_t end = i;
    while (end < text.size() && is_token_char(text[end]))
      ++end;
    const std::string_view word = text.substr(i, end - i);
    out.append(word.size() >= 40 || word.starts_with("pul-") ? "[redacted]" : word);
    i = end;
  }
  return audit::clean_text(out, PulumiTokenExchanger::kMaxDetailBytes);
}

// "invalid_grant: no policy matched" from {error, error_description, message}, when the body is
// a JSON object with any of them; empty otherwise.
std::string refusal_detail(const audit::HttpReply& reply) {
  if (reply.body_cut) return {};
  auto body =
      jose::parse_strict_object(reply.body, {.max_bytes = 64 * 1024}, "answer", Errc::kUnavailable);
  if (!body) return {};
  std::string detail;
  for (const char* name : {"error", "error_description", "message"}) {
    const json::value* v = body->if_contains(name);
    if (v == nullptr || !v->is_string() || v->get_string().empty()) continue;
    if (!detail.empty()) detail += ": ";
    detail.append(v->get_string().data(), v->get_string().size());
  }
  return detail.empty() ? detail : plain_detail(detail);
}

Error refused(const std::string& api, const audit::HttpReply& reply) {
  const int s = reply.status;
  const bool refusal = s >= 400 && s <= 499 && s != 429;
  std::string m = "Pulumi Cloud at " + printable_url(api) +
                  (refusal ? " refused the token exchange: " : " failed the token exchange: ") +
                  std::to_string(s);
  if (const std::string detail = refusal_detail(reply); !detail.empty()) m += " (" + detail + ")";
  return make_error(refusal ? Errc::kForbidden : Errc::kUnavailable, std::move(m));
}

Error bad_answer(const std::string& api, std::string_view why) {
  return make_error(Errc::kUnavailable, "Pulumi Cloud at " + printable_url(api) +
                                            " answered the token exchange with " +
                                            std::string(why));
}

bool printable_token(std::string_view token) {
  if (token.empty() || token.size() > PulumiTokenExchanger::kMaxAccessTokenBytes) return false;
  for (const char c : token) {
    if (c <= 0x20 || c >= 0x7f) return false;
  }
  return true;
}

Result<PulumiAccessToken> read_answer(const std::string& api, const PulumiExchangeRequest& request,
                                      const audit::HttpReply& reply) {
  if (reply.body_cut) return bad_answer(api, "a body larger than the bound");
  auto body =
      jose::parse_strict_object(reply.body, {.max_bytes = 64 * 1024}, "answer", Errc::kUnavailable);
  if (!body) return bad_answer(api, "a body that is not a JSON object");
  PulumiAccessToken out;
  const json::value* token = body->if_contains("access_token");
  if (token == nullptr || !token->is_string() || token->get_string().empty()) {
    return bad_answer(api, "no access_token");
  }
  if (!printable_token(token->get_string())) {
    return bad_answer(api, "an access_token that is not a printable token");
  }
  out.access_token.assign(token->get_string().data(), token->get_string().size());
  const std::string wanted = std::string(kPulumiTokenTypePrefix) + request.token_type;
  if (const json::value* type = body->if_contains("issued_token_type")) {
    if (!type->is_string()) return bad_answer(api, "an issued_token_type that is not text");
    out.issued_token_type.assign(type->get_string().data(), type->get_string().size());
    if (out.issued_token_type != wanted) {
      return bad_answer(api, "a token of another type than " + wanted + ": " +
                                 plain_detail(out.issued_token_type));
    }
  }
  if (const json::value* expires = body->if_contains("expires_in")) {
    if (!expires->is_int64() && !expires->is_uint64()) {
      return bad_answer(api, "an expires_in that is not a whole number");
    }
    out.expires_in = expires->is_int64() ? expires->get_int64() : 0;
  }
  if (const json::value* scope = body->if_contains("scope");
      scope != nullptr && scope->is_string()) {
    out.scope.assign(scope->get_string().data(), scope->get_string().size());
  }
  return out;
}

}  // namespace

std::string pulumi_api_url(std::string_view api) {
  while (api.ends_with('/'))
    api.remove_suffix(1);
  return std::string(api);
}

PulumiTokenExchanger::PulumiTokenExchanger(audit::HttpPoster& poster,
                                           std::chrono::milliseconds timeout)
    : poster_(poster), timeout_(timeout) {}

Result<PulumiAccessToken> PulumiTokenExchanger::exchange(const PulumiExchangeRequest& request) {
  const std::string api = pulumi_api_url(request.api);
  Result<audit::HttpReply> reply =
      poster_.post(api + "/api/oauth/token", kFormType, form_body(request),
                   {{"Accept", "application/json"}}, timeout_);
  if (!reply) {
    return make_error(reply.code(),
                      "Pulumi Cloud's token exchange cannot be reached: " + reply.error().message);
  }
  if (reply->status < 200 || reply->status > 299) return refused(api, *reply);
  return read_answer(api, request, *reply);
}

}  // namespace sg::runs
