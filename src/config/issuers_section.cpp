// The `issuers` section: the token issuers the gateway trusts.
#include <algorithm>
#include <array>
#include <cctype>

#include "config/fields.hpp"
#include "config/locations.hpp"
#include "config/secret_field.hpp"
#include "config/sections.hpp"
#include "config/suggest.hpp"

namespace sg::config {
namespace {

using Kind = IssuerConfig::Kind;

const std::vector<std::string_view> kAlgorithms = {"RS256", "RS384", "RS512", "PS256", "PS384",
                                                   "PS512", "ES256", "ES384", "ES512", "EdDSA",
                                                   "HS256", "HS384", "HS512"};

// A dotted claim path: non-empty segments separated by single dots.
bool is_claim_path(std::string_view s) {
  return !s.empty() && !s.starts_with('.') && !s.ends_with('.') && s.find("..") == s.npos;
}

std::optional<std::vector<std::string>> as_algorithms(Context& ctx, const Value& v) {
  std::vector<Value> items = v.node.IsScalar() ? std::vector<Value>{v} : list_items(ctx, v);
  std::vector<std::string> out;
  bool ok = true;
  for (const Value& item : items) {
    std::string name = item.node.IsScalar() ? item.node.Scalar() : "";
    std::ranges::transform(name, name.begin(), [](unsigned char c) { return std::tolower(c); });
    if (name == "none") {
      ctx.error(item, "alg none is never accepted");
      ok = false;
    } else if (auto i = read_choice(ctx, item, kAlgorithms)) {
      out.emplace_back(kAlgorithms[*i]);
    } else {
      ok = false;
    }
  }
  return ok ? std::optional(std::move(out)) : std::nullopt;
}

// The Principal attributes a claim can fill (identity/claim_mapping.cpp applies them).
constexpr std::array<std::string_view, 6> kAttributes{"subject", "email",  "name",
                                                      "team",    "groups", "ownership"};

std::optional<std::map<std::string, std::string>> as_claims(Context& ctx, const Value& v) {
  ObjectReader r(ctx, v);
  std::map<std::string, std::string> claims;
  bool ok = r.valid();
  r.each([&](const std::string& attribute, const Value& item, const YAML::Mark& key_mark) {
    if (std::ranges::find(kAttributes, attribute) == kAttributes.end()) {
      ctx.error(key_mark, item.path,
                "unknown principal attribute; expected one of subject, email, name, team, groups, "
                "ownership" +
                    did_you_mean(attribute, kAttributes));
      ok = false;
    }
    auto path = as_string(ctx, item);
    if (path && !is_claim_path(*path)) {
      ctx.error(item, "expected a dotted claim path like groups or realm_access.roles, got " +
                          describe(item.node));
      path.reset();
    }
    ok = ok && path.has_value();
    if (path) claims.emplace(attribute, std::move(*path));
  });
  return ok ? std::optional(std::move(claims)) : std::nullopt;
}

std::string_view kind_name(Kind k) {
  switch (k) {
    case Kind::kOidc:
      return "oidc";
    case Kind::kBackstage:
      return "backstage";
    case Kind::kJwks:
      return "jwks";
    case Kind::kDev:
      return "dev";
  }
  return "";
}

// The rules that depend on the kind, once every key has been read.
void check_kind(ObjectReader& r, const IssuerConfig& is, bool audiences_ok) {
  std::string why = " (issuers of kind " + std::string(kind_name(is.kind)) + " need it)";
  if (!r.has("issuer")) r.missing("issuer", why);
  bool jwks = is.kind == Kind::kJwks;
  if (jwks && !r.has("jwks_file")) r.missing("jwks_file", why);
  if (!jwks && r.has("jwks_file"))
    r.error("jwks_file", "only issuers of kind jwks take a jwks_file");
  if (is.kind == Kind::kOidc || jwks) {
    if (!r.has("audiences")) r.missing("audiences", why);
    if (audiences_ok && is.audiences.empty())
      r.error("audiences", "must name at least one audience");
  }
  auto hs =
      std::ranges::find_if(is.algorithms, [](const std::string& a) { return a.starts_with("HS"); });
  if (hs != is.algorithms.end() && !r.has("secret")) {
    r.error("algorithms", *hs + " needs the shared `secret` of this issuer");
  }
}

IssuerConfig read_issuer(Context& ctx, const Value& v, UniqueValues& names, UniqueValues& urls) {
  IssuerConfig is;
  ObjectReader r(ctx, v);
  r.read("name", is.name, name_like("[a-z0-9-]+", is_lower_name_char), Need::kRequired);
  bool has_kind = r.choice("kind", is.kind,
                           {{"oidc", Kind::kOidc},
                            {"backstage", Kind::kBackstage},
                            {"jwks", Kind::kJwks},
                            {"dev", Kind::kDev}},
                           Need::kRequired);
  r.read("issuer", is.issuer, as_secure_url);
  r.read("jwks_uri", is.jwks_uri, as_secure_url);
  r.read("jwks_file", is.jwks_file, as_existing_file);
  bool audiences_ok = r.read("audiences", is.audiences, as_string_list);
  r.read("algorithms", is.algorithms, as_algorithms);
  r.read("types", is.types, as_string_list);
  r.read("leeway", is.leeway, duration_in(Duration(0), std::chrono::minutes(5)));
  r.read("claims", is.claims, as_claims);
  r.choice("principal_kind", is.principal_kind,
           {{"user", IssuerConfig::PrincipalKind::kUser},
            {"machine", IssuerConfig::PrincipalKind::kMachine}});
  r.read("secret", is.secret, as_secret);
  if (has_kind && is.kind == Kind::kDev) {
    r.error("kind", "the dev issuer exists only under `serve --dev`");
  } else if (has_kind) {
    check_kind(r, is, audiences_ok);
  }
  names.check(r, "name", is.name);
  urls.check(r, "issuer", is.issuer);
  return is;
}

}  // namespace

std::optional<std::vector<IssuerConfig>> read_issuers(Context& ctx, const Value& v) {
  std::vector<IssuerConfig> issuers;
  UniqueValues names("issuer name");
  UniqueValues urls("issuer URL");
  for (const Value& item : list_items(ctx, v))
    issuers.push_back(read_issuer(ctx, item, names, urls));
  return issuers;
}

}  // namespace sg::config
