// The aws provider: a web-identity token file for AssumeRoleWithWebIdentity.
#include <algorithm>
#include <string>

#include "runs/credential_providers.hpp"

namespace sg::runs {
namespace {

constexpr std::string_view kAws = "aws";
constexpr std::size_t kMaxRunIdInSessionName = 32;

// AWS's role session name alphabet: [\w+=,.@-].
bool is_session_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '+' || c == '=' || c == ',' || c == '.' || c == '@' || c == '-';
}

void append_sanitised(std::string& out, std::string_view text) {
  for (const char c : text) {
    if (is_session_char(c)) {
      out.push_back(c);
    } else if (!out.ends_with('-')) {
      out.push_back('-');
    }
  }
}

}  // namespace

Result<std::string> aws_role_arn(std::string_view pattern, const RunIdentity& run) {
  std::string out;
  while (!pattern.empty()) {
    const auto open = pattern.find('{');
    out.append(pattern.substr(0, open));
    if (open == std::string_view::npos) break;
    const auto close = pattern.find('}', open);
    if (close == std::string_view::npos) {
      return make_error(Errc::kInvalidConfig, "role_arn has a '{' without its '}'");
    }
    const std::string_view name = pattern.substr(open + 1, close - open - 1);
    if (name == "org") {
      out += run.org;
    } else if (name == "project") {
      out += run.project;
    } else if (name == "stack") {
      out += run.stack;
    } else {
      return make_error(Errc::kInvalidConfig, "role_arn has an unknown placeholder {" +
                                                  std::string(name.substr(0, 40)) +
                                                  "}; use {org}, {project} or {stack}");
    }
    pattern.remove_prefix(close + 1);
  }
  return out;
}

std::string aws_session_name(const RunIdentity& run) {
  std::string out = "sg-";
  append_sanitised(out, std::string_view(run.run_id).substr(0, kMaxRunIdInSessionName));
  if (!out.ends_with('-')) out.push_back('-');
  append_sanitised(out, run.requester.email.empty() ? run.requester.subject : run.requester.email);
  if (out.size() > kMaxAwsSessionNameBytes) out.resize(kMaxAwsSessionNameBytes);
  while (out.size() > 2 && out.ends_with('-'))
    out.pop_back();
  return out;
}

Status check_aws(const config::AwsCredential& aws, const RunIdentity& run) {
  if (aws.audience.empty()) return make_error(Errc::kInvalidConfig, "aws: audience is empty");
  Result<std::string> arn = aws_role_arn(aws.role_arn, run);
  if (!arn) return make_error(arn.code(), "aws: " + arn.error().message);
  return {};
}

Status add_aws(const config::AwsCredential& aws, Duration token_ttl, CredentialSet& set) {
  Result<std::string> arn = aws_role_arn(aws.role_arn, set.run());
  if (!arn) return make_error(arn.code(), "aws: " + arn.error().message);
  Result<tokens::IssuedToken> token = set.mint(kAws, aws.audience, token_ttl);
  if (!token) return token.error();
  Result<std::string> path = set.write(kAws, kAwsTokenFile, token->token);
  if (!path) return path.error();
  Status s = set.set(kAws, "AWS_ROLE_ARN", std::move(*arn));
  if (s) s = set.set(kAws, "AWS_WEB_IDENTITY_TOKEN_FILE", std::move(*path));
  if (s) s = set.set(kAws, "AWS_ROLE_SESSION_NAME", aws_session_name(set.run()));
  return s;
}

}  // namespace sg::runs
