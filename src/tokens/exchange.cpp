#include "tokens/exchange.hpp"

#include <algorithm>
#include <optional>
#include <vector>

#include "policy/evaluator.hpp"

namespace sg::tokens {
namespace {

bool is_input_token_type(std::string_view type) {
  return type == kTokenTypeAccessToken || type == kTokenTypeJwt || type == kTokenTypeIdToken;
}

Error invalid(std::string message) {
  return make_error(Errc::kInvalidArgument, std::move(message));
}

// An unusable subject or actor token: RFC 8693 §2.2.2 says invalid_request, naming which; an
// issuer that cannot be reached stays a 503 so the caller retries.
Error token_error(std::string_view which, const Error& e) {
  if (e.code == Errc::kIssuerUnavailable || e.code == Errc::kStoreUnavailable) return e;
  return invalid(std::string(which) + ": " + e.message);
}

Result<TokenShape> shape_for(const ExchangeRequest& r, std::string_view audience) {
  const bool pulumi = audience.starts_with(kPulumiAudiencePrefix);
  const std::string_view wanted = r.requested_token_type;
  if (wanted.empty() || wanted == kTokenTypeAccessToken || wanted == kTokenTypeJwt) {
    return pulumi ? TokenShape::kIdToken : TokenShape::kAccessToken;
  }
  if (wanted == kTokenTypeIdToken) return TokenShape::kIdToken;
  return invalid("requested_token_type: only access_token, jwt and id_token are issued");
}

Status check_may_act(const policy::Principal& subject, const policy::Principal* actor) {
  const boost::json::value* may_act = subject.claims.if_contains("may_act");
  if (may_act == nullptr || actor == nullptr) return {};
  const boost::json::value* sub =
      may_act->is_object() ? may_act->get_object().if_contains("sub") : nullptr;
  if (sub == nullptr || !sub->is_string() || sub->get_string() != actor->subject) {
    return invalid(
        "actor_token: the subject token names who may act for it (may_act), and it "
        "is not this actor");
  }
  return {};
}

std::int64_t earliest(std::int64_t a, std::int64_t b) {
  if (a <= 0) return b;
  if (b <= 0) return a;
  return std::min(a, b);
}

}  // namespace

Status scope_within(const policy::Policy& policy, const policy::Principal& who,
                    const policy::Scope& wanted, std::span<const policy::Stack> stacks,
                    std::string_view party) {
  const policy::RoleSet roles = policy::roles_of(policy, who);
  // What `who` may do on each stack, evaluated once per stack and only for stacks some item
  // matches: the work is bounded by stacks × actions whatever the scope repeats.
  std::vector<std::optional<policy::ActionSet>> granted(stacks.size());
  auto may = [&](std::size_t s, policy::Action a) {
    if (!granted[s]) {
      const policy::Permissions p = policy::permissions_on(policy, who, roles, stacks[s]);
      granted[s] = p.allowed | p.with_approval;
    }
    return granted[s]->has(a);
  };
  const auto& items = wanted.items();
  for (std::size_t i = 0; i < items.size(); ++i) {
    for (policy::Action a : policy::kAllActions) {
      if (!items[i].actions.has(a)) continue;
      bool ok = true;
      if (policy::is_global(a)) {
        ok = !items[i].stacks.matches_everything() ||
             policy::evaluate_global(policy, who, a).verdict != policy::Verdict::kDeny;
      } else {
        for (std::size_t s = 0; ok && s < stacks.size(); ++s) {
          ok = !items[i].stacks.matches(stacks[s].ref) || may(s, a);
        }
      }
      if (!ok) {
        return make_error(Errc::kInvalidScope, "scope item " + std::to_string(i + 1) +
                                                   " asks for " +
                                                   std::string(policy::action_name(a)) + " where " +
                                                   std::string(party) + " may not do it");
      }
    }
  }
  return {};
}

Result<ExchangeOutcome> exchange(const ExchangeRequest& r, const ExchangeContext& ctx, Time now,
                                 ExchangeTrace* trace) {
  ExchangeTrace ignored;
  if (trace == nullptr) trace = &ignored;
  if (r.grant_type != kGrantTokenExchange) {
    return make_error(Errc::kUnsupportedGrantType,
                      r.grant_type.empty() ? "grant_type is required"
                                           : "only the token-exchange grant is served here");
  }
  if (r.subject_token.empty()) return invalid("subject_token is required");
  if (!is_input_token_type(r.subject_token_type)) {
    return invalid("subject_token_type must be an access_token, jwt or id_token token type");
  }
  if (r.actor_token.empty() != r.actor_token_type.empty()) {
    return invalid("actor_token and actor_token_type come together");
  }
  if (!r.actor_token.empty() && !is_input_token_type(r.actor_token_type)) {
    return invalid("actor_token_type must be an access_token, jwt or id_token token type");
  }
  if (r.requested_ttl && *r.requested_ttl <= 0) {
    return invalid("requested_ttl must be a positive number of seconds");
  }
  const std::string& issuer = ctx.minter.settings().issuer;
  const std::string audience = r.audience.empty() ? issuer : r.audience;
  if (audience != issuer && std::ranges::find(ctx.audiences, audience) == ctx.audiences.end()) {
    return make_error(Errc::kInvalidTarget, "tokens are not issued for this audience");
  }
  Result<TokenShape> shape = shape_for(r, audience);
  if (!shape) return shape.error();

  std::optional<policy::Scope> wanted;
  if (!r.scope.empty()) {
    Result<policy::Scope> parsed = policy::Scope::parse(r.scope);
    if (!parsed) return make_error(Errc::kInvalidScope, parsed.error().message);
    wanted = std::move(*parsed);
  }

  auto subject = ctx.auth.authenticate(r.subject_token);
  if (!subject) {
    trace->token_failure = subject.error();
    return token_error("subject_token", subject.error());
  }
  trace->subject = *subject;
  std::shared_ptr<const policy::Principal> actor;
  if (!r.actor_token.empty()) {
    auto verified = ctx.auth.authenticate(r.actor_token);
    if (!verified) {
      trace->token_failure = verified.error();
      return token_error("actor_token", verified.error());
    }
    if ((*verified)->actor) return invalid("actor_token: a delegated token cannot act for others");
    actor = std::move(*verified);
  }
  const policy::Principal& who = **subject;
  if (Status s = check_may_act(who, actor.get()); !s) return s.error();

  if (wanted) {
    if (who.scope && !who.scope->covers(*wanted)) {
      return make_error(Errc::kInvalidScope, "scope asks for more than the subject token's scope");
    }
    if (Status s = scope_within(ctx.policy, who, *wanted, ctx.stacks, "the subject"); !s) {
      return s.error();
    }
    if (actor) {
      if (actor->scope && !actor->scope->covers(*wanted)) {
        return make_error(Errc::kInvalidScope, "scope asks for more than the actor token's scope");
      }
      if (Status s = scope_within(ctx.policy, *actor, *wanted, ctx.stacks, "the actor"); !s) {
        return s.error();
      }
    }
  } else if (actor && who.actor) {
    return make_error(Errc::kInvalidScope,
                      "a delegated subject token is delegated again only with an explicit scope");
  }

  MintRequest mint;
  mint.subject = who;
  mint.scope = wanted ? wanted : who.scope;
  if (actor) {
    mint.actor = actor;
    mint.earlier_actors = who.act;
  } else if (who.actor) {
    mint.actor = who.actor;
    mint.earlier_actors.assign(who.act.begin() + (who.act.empty() ? 0 : 1), who.act.end());
  }
  mint.audience = audience;
  if (r.requested_ttl) mint.ttl = std::chrono::seconds(*r.requested_ttl);
  std::int64_t not_after = earliest(who.expires_at, actor ? actor->expires_at : 0);
  if (not_after > 0) mint.not_after = not_after;
  mint.shape = *shape;
  Result<IssuedToken> issued = ctx.minter.mint(mint, now);
  if (!issued) return issued.error();
  ExchangeOutcome out;
  out.issued = std::move(*issued);
  out.issued_token_type =
      *shape == TokenShape::kIdToken ? kTokenTypeIdToken : kTokenTypeAccessToken;
  out.subject = std::move(*subject);
  out.actor = std::move(mint.actor);
  out.earlier_actors = std::move(mint.earlier_actors);
  return out;
}

}  // namespace sg::tokens
