#include "runs/credential_set.hpp"

#include <utility>

#include "runs/private_file.hpp"

namespace sg::runs {
namespace {

Error prefixed(std::string_view provider, const Error& e) {
  return make_error(e.code, std::string(provider) + ": " + e.message);
}

}  // namespace

CredentialSet::CredentialSet(tokens::Minter& minter, const RunIdentity& run,
                             std::filesystem::path run_dir, Time now, PreparedCredentials& out)
    : minter_(minter), run_(run), run_dir_(std::move(run_dir)), now_(now), out_(out) {}

Result<tokens::IssuedToken> CredentialSet::mint(std::string_view provider,
                                                const std::string& audience, Duration ttl) {
  tokens::MintRequest request;
  request.subject = run_.requester;
  request.audience = audience;
  request.ttl = ttl;
  request.shape = tokens::TokenShape::kIdToken;
  request.run = tokens::RunClaims{run_.org, run_.project, run_.stack, run_.operation, run_.run_id};
  Result<tokens::IssuedToken> issued = minter_.mint(request, now_);
  if (!issued) return prefixed(provider, issued.error());
  out_.issued.push_back(*issued);
  return issued;
}

Result<std::string> CredentialSet::write(std::string_view provider, std::string_view name,
                                         std::string_view content) {
  std::filesystem::path path = run_dir_ / name;
  if (Status s = write_private_file(path, content); !s) return prefixed(provider, s.error());
  written_.push_back(path);
  return path.string();
}

Status CredentialSet::set(std::string_view provider, std::string_view name, std::string value) {
  for (const auto& [existing, v] : out_.env) {
    if (existing != name) continue;
    if (v == value) return {};
    return make_error(Errc::kInvalidConfig, std::string(provider) + ": sets " + std::string(name) +
                                                " where another credential already set it "
                                                "to something else");
  }
  out_.env.emplace_back(std::string(name), std::move(value));
  return {};
}

void CredentialSet::discard() {
  for (const std::filesystem::path& path : written_) {
    std::error_code ignored;
    std::filesystem::remove(path, ignored);
  }
  written_.clear();
}

}  // namespace sg::runs
