#include "policy/policy.hpp"

#include <algorithm>
#include <filesystem>
#include <stdexcept>

namespace sg::policy {
namespace {

// Appends " (policy.yaml:18)", or " (policy.yaml)" when the line is unknown.
void append_position(std::string& out, const std::string& label, SourcePos pos) {
  out += " (";
  out += label;
  if (pos.line != 0) {
    out += ':';
    out += std::to_string(pos.line);
  }
  out += ')';
}

// A condition can index its binding when every value is literal: it holds exactly when one of the
// principal's values of its attribute equals one of them.
bool is_indexable(const PrincipalCondition& c) {
  return std::ranges::none_of(
      c.values, [](const ValuePattern& p) { return p.is_template() || has_wildcard(p.text()); });
}

constexpr std::size_t kNotFiled = static_cast<std::size_t>(-1);

// "claim.groups\nengineering": one key per (attribute, value) for counting how many bindings
// share it.
std::string key_of(const PrincipalAttribute& a, std::string_view value) {
  std::string key = a.name();
  key += '\n';
  key += value;
  return key;
}

}  // namespace

Policy::Policy(std::string file, std::vector<Role> roles, std::vector<Binding> bindings)
    : file_(std::move(file)), roles_(std::move(roles)), bindings_(std::move(bindings)) {
  label_ = std::filesystem::path(file_).filename().string();
  if (label_.empty()) label_ = file_;
  auto check_role = [this](std::size_t index) {
    if (index >= roles_.size()) throw std::invalid_argument("policy: role index out of range");
  };
  for (std::size_t i = 0; i < roles_.size(); ++i) {
    role_by_name_.emplace(roles_[i].name, i);
    for (std::size_t j = 0; j < roles_[i].rules.size(); ++j) {
      const Rule& r = roles_[i].rules[j];
      if (r.approval) {
        for (std::size_t a : r.approval->approvers)
          check_role(a);
      }
      index_rule(static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(j));
      ++rule_count_;
    }
  }
  for (const Binding& b : bindings_) {
    for (std::size_t r : b.roles)
      check_role(r);
  }
  index_bindings();
}

void Policy::index_bindings() {
  std::unordered_map<std::string, std::size_t> sharing;
  for (const Binding& b : bindings_) {
    for (const PrincipalCondition& c : b.when) {
      if (!is_indexable(c)) continue;
      for (const ValuePattern& v : c.values)
        ++sharing[key_of(c.attribute, v.text())];
    }
  }
  filed_under_.assign(bindings_.size(), kNotFiled);
  for (std::size_t i = 0; i < bindings_.size(); ++i) {
    // The condition whose values the fewest bindings share makes the smallest buckets.
    const auto& when = bindings_[i].when;
    const PrincipalCondition* best = nullptr;
    std::size_t best_cost = 0;
    for (std::size_t k = 0; k < when.size(); ++k) {
      if (!is_indexable(when[k])) continue;
      std::size_t cost = 0;
      for (const ValuePattern& v : when[k].values)
        cost += sharing[key_of(when[k].attribute, v.text())];
      if (best == nullptr || cost < best_cost) {
        best = &when[k];
        best_cost = cost;
        filed_under_[i] = k;
      }
    }
    auto index = static_cast<std::uint32_t>(i);
    if (best == nullptr) {
      unindexed_bindings_.push_back(index);
      continue;
    }
    auto it = std::ranges::find_if(binding_index_, [&](const BindingBuckets& b) {
      return b.attribute.name() == best->attribute.name();
    });
    if (it == binding_index_.end()) {
      binding_index_.push_back(BindingBuckets{best->attribute, {}});
      it = binding_index_.end() - 1;
    }
    for (const ValuePattern& v : best->values) {
      std::vector<std::uint32_t>& bucket = it->by_value[v.text()];
      if (bucket.empty() || bucket.back() != index) bucket.push_back(index);
    }
  }
}

std::vector<std::size_t> Policy::bindings_holding(const Principal& who) const {
  std::vector<std::size_t> out = candidate_bindings(who);
  std::erase_if(out, [&](std::size_t i) {
    const auto& when = bindings_[i].when;
    for (std::size_t k = 0; k < when.size(); ++k) {
      // A candidate filed under condition k is one because a value matched it: k holds.
      if (k != filed_under_[i] && !when[k].holds(who)) return true;
    }
    return false;
  });
  return out;
}

std::vector<std::size_t> Policy::candidate_bindings(const Principal& who) const {
  std::vector<std::size_t> out(unindexed_bindings_.begin(), unindexed_bindings_.end());
  for (const BindingBuckets& b : binding_index_) {
    b.attribute.any_value(who, [&](std::string_view value) {
      if (auto it = b.by_value.find(value); it != b.by_value.end())
        out.insert(out.end(), it->second.begin(), it->second.end());
      return false;
    });
  }
  std::ranges::sort(out);
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

void Policy::index_rule(std::uint32_t role, std::uint32_t rule) {
  const Rule& r = roles_[role].rules[rule];
  for (std::uint32_t g = 0; g < r.stacks.size(); ++g) {
    std::string_view prefix = r.stacks[g].literal_prefix();
    std::size_t first = prefix.find('/');
    std::size_t second = first == std::string_view::npos ? first : prefix.find('/', first + 1);
    for (Action a : kAllActions) {
      if (!r.actions.has(a)) continue;
      ActionIndex& index = index_[static_cast<std::size_t>(a)];
      Entry e{role, rule, g};
      if (second != std::string_view::npos) {
        index.by_project[std::string(prefix.substr(0, second))].push_back(e);
      } else if (first != std::string_view::npos) {
        index.by_org[std::string(prefix.substr(0, first))].push_back(e);
      } else {
        index.any.push_back(e);
      }
    }
  }
}

std::optional<std::size_t> Policy::find_role(std::string_view name) const {
  auto it = role_by_name_.find(name);
  if (it == role_by_name_.end()) return std::nullopt;
  return it->second;
}

std::string Policy::describe(RuleRef r) const {
  std::string out;
  out.reserve(32 + roles_[r.role].name.size() + label_.size());
  out += "role ";
  out += roles_[r.role].name;
  out += ", rule ";
  out += std::to_string(r.rule + 1);
  append_position(out, label_, rule(r).pos);
  return out;
}

std::string Policy::describe_binding(std::size_t index) const {
  std::string out;
  out.reserve(32 + label_.size());
  out += "binding ";
  out += std::to_string(index + 1);
  append_position(out, label_, bindings_[index].pos);
  return out;
}

}  // namespace sg::policy
