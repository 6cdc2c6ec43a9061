#include "policy/yaml_json.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <string>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

namespace sg::policy {
namespace {

namespace json = boost::json;

bool is_plain(const YAML::Node& n) {
  return n.Tag() == "?";
}

// An unquoted decimal integer that fits 64 bits, as a number.
std::optional<std::int64_t> as_integer(std::string_view s) {
  if (s.starts_with('+')) s.remove_prefix(1);
  std::string_view digits = s.starts_with('-') ? s.substr(1) : s;
  if (digits.empty() || !std::ranges::all_of(digits, [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  std::int64_t n = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return n;
}

json::value typed_scalar(const std::string& s) {
  if (s == "true" || s == "True" || s == "TRUE") return json::value(true);
  if (s == "false" || s == "False" || s == "FALSE") return json::value(false);
  if (auto n = as_integer(s)) return json::value(*n);
  return json::value(json::string(s));
}

std::optional<json::value> convert(config::Context& ctx, const config::Value& v,
                                   YamlScalars scalars, std::size_t depth, std::size_t max_depth) {
  if (depth > max_depth) {
    ctx.error(v, "nested deeper than " + std::to_string(max_depth) + " levels");
    return std::nullopt;
  }
  const YAML::Node& n = v.node;
  switch (n.Type()) {
    case YAML::NodeType::Scalar:
      if (scalars == YamlScalars::kTyped && is_plain(n)) return typed_scalar(n.Scalar());
      return json::value(json::string(n.Scalar()));
    case YAML::NodeType::Sequence: {
      json::array out;
      bool ok = true;
      for (const config::Value& item : config::list_items(ctx, v)) {
        auto e = convert(ctx, item, scalars, depth + 1, max_depth);
        if (e) {
          out.push_back(std::move(*e));
        } else {
          ok = false;
        }
      }
      if (!ok) return std::nullopt;
      return json::value(std::move(out));
    }
    case YAML::NodeType::Map: {
      json::object out;
      bool ok = true;
      for (auto it = n.begin(); it != n.end(); ++it) {
        const YAML::Node key = it->first;
        if (!key.IsScalar()) {
          ctx.error(key.Mark(), v.path, "expected a key name, got " + config::describe(key));
          ok = false;
          continue;
        }
        std::string path = config::child_path(v.path, key.Scalar());
        if (out.contains(key.Scalar())) {
          ctx.error(key.Mark(), path, "duplicate key");
          ok = false;
          continue;
        }
        const YAML::Node value = it->second;
        config::Value child{value, path, value.IsNull() ? key.Mark() : value.Mark()};
        auto e = convert(ctx, child, scalars, depth + 1, max_depth);
        if (e) {
          out[key.Scalar()] = std::move(*e);
        } else {
          ok = false;
        }
      }
      if (!ok) return std::nullopt;
      return json::value(std::move(out));
    }
    default:
      return json::value(nullptr);
  }
}

}  // namespace

std::optional<boost::json::value> yaml_to_json(config::Context& ctx, const config::Value& v,
                                               YamlScalars scalars, std::size_t max_depth) {
  return convert(ctx, v, scalars, 0, max_depth);
}

}  // namespace sg::policy
