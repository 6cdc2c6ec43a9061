#include <iostream>

#include <boost/json/serialize.hpp>

#include "cli/commands.hpp"
#include "cli/json_print.hpp"
#include "common/small_file.hpp"
#include "config/loader.hpp"
#include "identity/authenticator.hpp"
#include "identity/curl_fetcher.hpp"
#include "identity/issuer_factory.hpp"
#include "jose/inspect.hpp"
#include "jose/jwks.hpp"
#include "jose/verify.hpp"
#include "policy/principal_json.hpp"

namespace sg::cli {
namespace {

constexpr std::size_t kMaxJwksFileBytes = 1024 * 1024;

struct TokenOptions {
  std::string token;  // "-" or empty: read from standard input
  std::string config_path;
  std::string jwks_path;
  std::string issuer;
  std::vector<std::string> audiences;
  std::vector<std::string> algorithms;
  std::vector<std::string> types;
  long long at = -1;  // --at UNIX_TIME
  int leeway = 30;
};

// Tokens on the command line end up in shell history and process lists: "-" reads standard input.
std::string token_text(const std::string& arg) {
  std::string t = arg;
  if (t.empty() || t == "-") std::getline(std::cin, t);
  while (!t.empty() && (t.back() == '\n' || t.back() == '\r' || t.back() == ' '))
    t.pop_back();
  return t;
}

int run_inspect(const TokenOptions& o) {
  auto decoded = jose::decode_unverified(token_text(o.token));
  if (!decoded) {
    std::cerr << "stackgate token inspect: " << decoded.error().message << "\n";
    return 1;
  }
  std::cout << "UNVERIFIED: decoded only; neither the signature nor any claim was checked.\n"
            << "header: " << pretty_json(decoded->unverified_header) << "\n";
  if (decoded->unverified_claims) {
    std::cout << "claims: " << pretty_json(*decoded->unverified_claims) << "\n";
  } else {
    std::cout << "payload: " << decoded->unverified_payload.size()
              << " bytes that are not a JSON object\n";
  }
  std::cout << "signature: " << decoded->signature_bytes << " bytes\n";
  return 0;
}

int fail(const Error& e) {
  std::cerr << "stackgate token verify: " << code_name(e.code) << ": " << e.message << "\n";
  return 1;
}

int verify_offline(const TokenOptions& o, const std::string& token) {
  if (o.issuer.empty() || o.audiences.empty()) {
    std::cerr << "stackgate token verify: --jwks needs --issuer and --audience\n";
    return 2;
  }
  auto text = read_small_file(o.jwks_path, kMaxJwksFileBytes);
  if (!text) return fail({text.code(), o.jwks_path + ": " + text.error().message});
  auto jwks = jose::parse_jwks(*text);
  if (!jwks) return fail(jwks.error());
  jose::VerifyOptions opts;
  for (const std::string& name : o.algorithms) {
    auto alg = jose::algorithm_from_name(name);
    if (!alg) {
      std::cerr << "stackgate token verify: unknown algorithm '" << name << "'\n";
      return 2;
    }
    opts.algorithms.push_back(*alg);
  }
  if (opts.algorithms.empty()) {
    for (jose::Algorithm a : jose::all_algorithms()) {
      if (jose::key_family(a) != jose::KeyFamily::kOct) opts.algorithms.push_back(a);
    }
  }
  opts.issuer = o.issuer;
  opts.audiences = o.audiences;
  if (!o.types.empty()) opts.types = o.types;
  opts.leeway = std::chrono::seconds(o.leeway);
  Time now = o.at >= 0 ? Time(std::chrono::seconds(o.at)) : std::chrono::system_clock::now();
  auto verified = jose::verify_jws(token, jwks->keys, opts, now);
  if (!verified) return fail(verified.error());
  std::cout << "VERIFIED\nclaims: " << pretty_json(verified->claims.json()) << "\n";
  return 0;
}

int verify_with_config(const TokenOptions& o, const std::string& token) {
  config::LoadResult loaded = config::load_config_file(o.config_path);
  for (const auto& d : loaded.diagnostics)
    std::cerr << d.to_string() << "\n";
  if (!loaded.config) return 1;
  identity::CurlFetcher fetcher;
  SystemClock clock;
  auto issuers = identity::make_issuers(loaded.config->issuers, fetcher, clock, nullptr);
  if (!issuers) return fail(issuers.error());
  identity::Authenticator auth(std::move(issuers).value(), clock);
  auto principal = auth.authenticate(token);
  if (!principal) return fail(principal.error());
  const policy::Principal& who = **principal;
  std::cout << "VERIFIED by issuer '" << who.issuer << "'\n"
            << "principal: " << pretty_json(policy::principal_to_json(who)) << "\n"
            << "claims: " << pretty_json(who.claims) << "\n";
  return 0;
}

int run_verify(const TokenOptions& o) {
  if (o.config_path.empty() == o.jwks_path.empty()) {
    std::cerr << "stackgate token verify: give exactly one of --config FILE or --jwks FILE\n";
    return 2;
  }
  std::string token = token_text(o.token);
  return o.jwks_path.empty() ? verify_with_config(o, token) : verify_offline(o, token);
}

}  // namespace

void add_token(CLI::App& root, int& exit_code) {
  CLI::App* token = root.add_subcommand("token", "Inspect, verify and mint tokens");
  token->require_subcommand(1);
  add_token_mint(*token, exit_code);

  auto inspect_opts = std::make_shared<TokenOptions>();
  CLI::App* inspect = token->add_subcommand(
      "inspect",
      "Decode a token WITHOUT verifying it: shows the header and claims, trusts nothing");
  inspect->add_option("TOKEN", inspect_opts->token, "The token, or - to read it from stdin");
  inspect->callback([inspect_opts, &exit_code] { exit_code = run_inspect(*inspect_opts); });

  auto v = std::make_shared<TokenOptions>();
  CLI::App* verify = token->add_subcommand(
      "verify",
      "Verify a token against the configured issuers (--config) or offline against a JWKS file "
      "(--jwks with --issuer and --audience); exit 0 and the claims, or exit 1 and the reason");
  verify->add_option("TOKEN", v->token, "The token, or - to read it from stdin");
  verify->add_option("--config,-c", v->config_path, "stackgate.yaml: use its issuers");
  verify->add_option("--jwks", v->jwks_path, "A JWKS file to verify against, offline");
  verify->add_option("--issuer", v->issuer, "Expected iss (with --jwks)");
  verify->add_option("--audience", v->audiences, "Accepted aud (with --jwks; repeatable)")
      ->allow_extra_args(false);
  verify
      ->add_option("--algorithm", v->algorithms,
                   "Allowed alg (with --jwks; repeatable; default: every asymmetric one)")
      ->allow_extra_args(false);
  verify->add_option("--type", v->types, "Accepted typ (with --jwks; repeatable; default: any)")
      ->allow_extra_args(false);
  verify->add_option("--at", v->at, "Verify as of this Unix time instead of now");
  verify->add_option("--leeway", v->leeway, "Clock skew allowed, in seconds (default 30, max 300)")
      ->check(CLI::Range(0, 300));
  verify->callback([v, &exit_code] { exit_code = run_verify(*v); });
}

}  // namespace sg::cli
