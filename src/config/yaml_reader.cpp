#include "config/yaml_reader.hpp"

#include <algorithm>

#include "common/json_text.hpp"
#include "config/suggest.hpp"

namespace sg::config {
namespace {

constexpr std::size_t kMaxQuoted = 60;

int one_based(int zero_based) {
  return zero_based >= 0 ? zero_based + 1 : 0;
}

// Empty values have no useful position of their own (yaml-cpp points past them).
YAML::Mark value_mark(const YAML::Node& value, const YAML::Mark& key_mark) {
  return value.IsNull() ? key_mark : value.Mark();
}

std::string join(const std::vector<std::string_view>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? " or " : ", ";
    out += names[i];
  }
  return out;
}

}  // namespace

void Context::error(const Value& at, std::string_view message) {
  error(at.mark, at.path, message);
}

void Context::error(const YAML::Mark& at, std::string_view path, std::string_view message) {
  std::string text =
      path.empty() ? std::string(message) : std::string(path) + ": " + std::string(message);
  diagnostics_.push_back(
      Diagnostic{file_, one_based(at.line), one_based(at.column), std::move(text)});
}

std::string Context::absolute(std::string_view path) const {
  std::filesystem::path p = (dir_ / std::filesystem::path(path)).lexically_normal();
  if (!p.has_filename() && p != p.root_path()) p = p.parent_path();  // "dir/." → "dir"
  return p.string();
}

Diagnostics sorted_diagnostics(Context& ctx) {
  Diagnostics out = std::move(ctx.diagnostics());
  std::ranges::stable_sort(out, [](const Diagnostic& a, const Diagnostic& b) {
    return std::pair(a.line, a.column) < std::pair(b.line, b.column);
  });
  return out;
}

std::string child_path(std::string_view parent, std::string_view key) {
  if (parent.empty()) return std::string(key);
  return std::string(parent) + "." + std::string(key);
}

std::string describe(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Map:
      return "a mapping";
    case YAML::NodeType::Scalar: {
      const std::string& s = node.Scalar();
      if (s.size() <= kMaxQuoted) return json_quote(s);
      return json_quote(s.substr(0, kMaxQuoted)) + "…";
    }
    default:
      return "nothing";
  }
}

std::optional<std::size_t> read_choice(Context& ctx, const Value& v,
                                       const std::vector<std::string_view>& names) {
  if (v.node.IsScalar()) {
    auto it = std::ranges::find(names, v.node.Scalar());
    if (it != names.end()) return static_cast<std::size_t>(it - names.begin());
  }
  std::string hint = v.node.IsScalar() ? did_you_mean(v.node.Scalar(), names) : "";
  ctx.error(v, "expected one of " + join(names) + ", got " + describe(v.node) + hint);
  return std::nullopt;
}

std::vector<Value> list_items(Context& ctx, const Value& list) {
  std::vector<Value> items;
  if (list.node.IsNull()) return items;
  if (!list.node.IsSequence()) {
    ctx.error(list, "expected a list, got " + describe(list.node));
    return items;
  }
  std::size_t i = 0;
  for (const YAML::Node& item : list.node) {
    std::string path = list.path + "[" + std::to_string(i++) + "]";
    items.push_back(Value{item, std::move(path), value_mark(item, list.mark)});
  }
  return items;
}

ObjectReader::ObjectReader(Context& ctx, const Value& value, std::string_view noun)
    : ctx_(ctx), self_(value), noun_(noun) {
  if (value.node.IsNull()) {
    valid_ = true;
    return;
  }
  if (!value.node.IsMap()) {
    ctx_.error(value, "expected a mapping, got " + describe(value.node));
    return;
  }
  valid_ = true;
  for (auto it = value.node.begin(); it != value.node.end(); ++it) {
    const YAML::Node key = it->first;  // a copy: the iterator yields a temporary pair
    if (!key.IsScalar()) {
      ctx_.error(key.Mark(), self_.path, "expected a key name, got " + describe(key));
      continue;
    }
    Entry entry{key.Scalar(), it->second, key.Mark()};
    if (std::size_t first = find(entry.key); first != kNone) {
      int line = entries_[first].key_mark.line + 1;
      ctx_.error(key.Mark(), child_path(self_.path, entry.key),
                 "duplicate key (first set at line " + std::to_string(line) + ")");
      entry.used = true;
    }
    index_.try_emplace(entry.key, entries_.size());
    entries_.push_back(std::move(entry));
  }
}

ObjectReader::~ObjectReader() {
  std::vector<std::string_view> known(known_.begin(), known_.end());
  for (const Entry& e : entries_) {
    if (e.used || std::ranges::find(known, e.key) != known.end()) continue;
    ctx_.error(e.key_mark, child_path(self_.path, e.key),
               "unknown " + noun_ + did_you_mean(e.key, known));
  }
}

std::size_t ObjectReader::find(std::string_view key) const {
  auto it = index_.find(std::string(key));
  return it == index_.end() ? kNone : it->second;
}

Value ObjectReader::value_of(const Entry& e) const {
  return Value{e.value, child_path(self_.path, e.key), value_mark(e.value, e.key_mark)};
}

std::optional<Value> ObjectReader::get(std::string_view key, Need need) {
  if (std::ranges::find(known_, key) == known_.end()) known_.emplace_back(key);
  if (!valid_) return std::nullopt;
  std::size_t i = find(key);
  if (i == kNone) {
    if (need == Need::kRequired) missing(key);
    return std::nullopt;
  }
  entries_[i].used = true;
  return value_of(entries_[i]);
}

void ObjectReader::missing(std::string_view key, std::string_view why) {
  ctx_.error(self_, "missing required key '" + std::string(key) + "'" + std::string(why));
}

void ObjectReader::error(std::string_view key, std::string_view message) {
  std::size_t i = find(key);
  if (i == kNone) {
    ctx_.error(self_, message);
  } else {
    ctx_.error(value_of(entries_[i]), message);
  }
}

std::optional<std::string_view> ObjectReader::exactly_one(
    std::initializer_list<std::string_view> keys) {
  std::vector<std::string_view> names(keys);
  std::optional<std::string_view> present;
  std::size_t count = 0;
  for (std::string_view k : names) {
    if (std::ranges::find(known_, k) == known_.end()) known_.emplace_back(k);
    if (has(k)) {
      present = k;
      ++count;
    }
  }
  if (!valid_ || count == 1) return present;
  if (count == 0) {
    ctx_.error(self_, "expected one of the keys " + join(names));
  } else {
    ctx_.error(self_, "set only one of " + join(names) + ", not several");
  }
  for (Entry& e : entries_)
    e.used = e.used || std::ranges::find(names, e.key) != names.end();
  return std::nullopt;
}

void UniqueValues::check(ObjectReader& r, std::string_view key, const std::string& value) {
  if (value.empty()) return;
  auto [it, fresh] = seen_.try_emplace(value, r.self().path);
  if (fresh) return;
  r.error(key,
          "duplicate " + what_ + " " + json_quote(value) + " (already used by " + it->second + ")");
}

}  // namespace sg::config
