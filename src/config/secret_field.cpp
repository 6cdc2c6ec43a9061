#include "config/secret_field.hpp"

#include <algorithm>
#include <cctype>

#include "config/fields.hpp"
#include "config/locations.hpp"

namespace sg::config {
namespace {

// The variable name; the value is not quoted back in case it is the secret itself.
std::optional<std::string> as_env_name(Context& ctx, const Value& v) {
  if (v.node.IsScalar() && is_identifier(v.node.Scalar())) return v.node.Scalar();
  ctx.error(v, "expected an environment variable name matching [A-Za-z_][A-Za-z0-9_]*");
  return std::nullopt;
}

}  // namespace

std::optional<SecretRef> as_secret(Context& ctx, const Value& v) {
  if (v.node.IsScalar()) {
    ctx.error(v, "secrets must not be inline; use {env: NAME} or {file: PATH}");
    return std::nullopt;
  }
  if (!v.node.IsMap()) {
    ctx.error(v, "expected {env: NAME} or {file: PATH}, got " + describe(v.node));
    return std::nullopt;
  }
  ObjectReader r(ctx, v);
  SecretRef ref;
  auto which = r.exactly_one({"env", "file"});
  if (which == "env" && r.read("env", ref.name, as_env_name)) return ref;
  ref.source = SecretRef::Source::kFile;
  if (which == "file" && r.read("file", ref.name, as_path)) return ref;
  return std::nullopt;
}

}  // namespace sg::config
