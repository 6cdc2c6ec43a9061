#include "policy/claim_path.hpp"

namespace sg::policy {
namespace {

const boost::json::value* find_in(const boost::json::object& obj, std::string_view path) {
  if (const auto* v = obj.if_contains(path)) return v;
  for (std::size_t dot = path.find('.'); dot != std::string_view::npos;
       dot = path.find('.', dot + 1)) {
    const auto* head = obj.if_contains(path.substr(0, dot));
    if (head == nullptr || !head->is_object()) continue;
    if (const auto* v = find_in(head->get_object(), path.substr(dot + 1))) return v;
  }
  return nullptr;
}

}  // namespace

const boost::json::value* find_claim(const boost::json::object& claims, std::string_view path) {
  if (path.empty() || path.size() > kMaxClaimPathBytes) return nullptr;
  return find_in(claims, path);
}

}  // namespace sg::policy
