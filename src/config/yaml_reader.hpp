// The generic half of the config loader: walking YAML nodes with positions and dotted paths.
//
// Context collects the diagnostics of one load and knows the configuration file's folder. A Value
// is one YAML node with its dotted path (`issuers[1].leeway`) and position. ObjectReader reads one
// mapping: each getter names a key it knows (so the reader can suggest it for a typo), converts the
// value with a converter from config/fields.hpp, and reports problems; on destruction it reports
// every key nobody asked for as unknown. Duplicate keys are reported when the reader is built.
// Shared by the configuration and policy loaders. Not thread-safe: one load, one thread.
#pragma once

#include <yaml-cpp/yaml.h>

#include <exception>
#include <filesystem>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "config/diagnostic.hpp"

namespace sg::config {

// One YAML value and where it is.
struct Value {
  YAML::Node node;
  std::string path;  // dotted path of the key, e.g. "issuers[1].leeway"; "" for the document
  YAML::Mark mark;   // of the value, or of its key when the value is empty
};

class Context {
 public:
  Context(std::string file, std::filesystem::path dir)
      : file_(std::move(file)), dir_(std::move(dir)) {}

  // Reports "path: message" at the position of `at`.
  void error(const Value& at, std::string_view message);
  void error(const YAML::Mark& at, std::string_view path, std::string_view message);

  // `path` made absolute against the configuration file's folder, and normalised.
  std::string absolute(std::string_view path) const;

  const std::filesystem::path& dir() const { return dir_; }
  Diagnostics& diagnostics() { return diagnostics_; }

 private:
  std::string file_;
  std::filesystem::path dir_;
  Diagnostics diagnostics_;
};

// "a.b" from "a" and "b"; "b" when `parent` is empty.
std::string child_path(std::string_view parent, std::string_view key);

// The elements of a list, with paths "path[i]". Empty (null) counts as an empty list; anything
// else that is not a list is reported.
std::vector<Value> list_items(Context& ctx, const Value& list);

// What a node is, for "got …" in messages: a quoted (and shortened) scalar, "a list", "a mapping",
// or "nothing". Never use it for a value that may be a secret.
std::string describe(const YAML::Node& node);

// The index in `names` of the scalar `v`, reporting "expected one of …" (with a suggestion) if
// none.
std::optional<std::size_t> read_choice(Context& ctx, const Value& v,
                                       const std::vector<std::string_view>& names);

enum class Need { kOptional, kRequired };

class ObjectReader {
 public:
  // Reports `value` unless it is a mapping (empty, i.e. null, reads as an empty mapping). `noun` is
  // what an unknown key is called in messages ("key", or "section" at the top level).
  ObjectReader(Context& ctx, const Value& value, std::string_view noun = "key");
  ~ObjectReader();  // reports the keys no getter asked for
  ObjectReader(const ObjectReader&) = delete;
  ObjectReader& operator=(const ObjectReader&) = delete;

  bool valid() const { return valid_; }
  const Value& self() const { return self_; }
  Context& ctx() { return ctx_; }

  // The value of `key`, if present; reports it when required and missing. Registers `key` as known.
  std::optional<Value> get(std::string_view key, Need need = Need::kOptional);

  // Whether `key` is present (does not register it).
  bool has(std::string_view key) const { return find(key) != kNone; }

  // Converts the value of `key` with `convert` (Context&, const Value&) -> std::optional<U> and
  // stores it in `out`. Leaves `out` alone when absent or invalid; returns whether it stored.
  template <typename T, typename Convert>
  bool read(std::string_view key, T& out, Convert&& convert, Need need = Need::kOptional) {
    auto v = get(key, need);
    if (!v) return false;
    auto converted = convert(ctx_, *v);
    if (!converted) return false;
    out = static_cast<T>(std::move(*converted));
    return true;
  }

  // Reads `key` as one of the names in `options`.
  template <typename E>
  bool choice(std::string_view key, E& out,
              std::initializer_list<std::pair<std::string_view, E>> options,
              Need need = Need::kOptional) {
    std::vector<std::string_view> names;
    for (const auto& o : options)
      names.push_back(o.first);
    auto v = get(key, need);
    if (!v) return false;
    auto index = read_choice(ctx_, *v, names);
    if (!index) return false;
    out = (options.begin() + *index)->second;
    return true;
  }

  // Calls f(key, value, key_mark) for every key no getter has taken, in file order, and takes it:
  // for mappings whose keys are data (tags, claims) rather than a fixed set.
  template <typename F>
  void each(F&& f) {
    for (Entry& e : entries_) {
      if (e.used) continue;
      e.used = true;
      f(e.key, value_of(e), e.key_mark);
    }
  }

  // Reports "path: missing required key 'key'" plus `why`, at the mapping.
  void missing(std::string_view key, std::string_view why = "");

  // Reports `message` at the value of `key` (or at the mapping when `key` is absent).
  void error(std::string_view key, std::string_view message);

  // Registers `keys` as known and returns the one present, reporting unless exactly one is.
  std::optional<std::string_view> exactly_one(std::initializer_list<std::string_view> keys);

 private:
  struct Entry {
    std::string key;
    YAML::Node value;
    YAML::Mark key_mark;
    bool used = false;
  };

  static constexpr std::size_t kNone = static_cast<std::size_t>(-1);
  std::size_t find(std::string_view key) const;  // index into entries_, or kNone
  Value value_of(const Entry& e) const;

  Context& ctx_;
  Value self_;
  std::string noun_;
  bool valid_ = false;
  std::vector<Entry> entries_;                          // in file order
  std::unordered_map<std::string, std::size_t> index_;  // key → first entry with it
  std::vector<std::string> known_;
};

// Parses `text` and calls read(root). A YAML syntax error becomes "invalid YAML: …" at its
// position; any other exception "cannot load the <what>: …". Either ends the read.
template <typename Read>
void read_yaml(Context& ctx, std::string_view text, std::string_view what, Read&& read) {
  try {
    read(YAML::Load(std::string(text)));
  } catch (const YAML::Exception& e) {
    ctx.error(e.mark, "", "invalid YAML: " + e.msg);
  } catch (const std::exception& e) {
    ctx.error(YAML::Mark::null_mark(), "",
              "cannot load the " + std::string(what) + ": " + e.what());
  }
}

// The diagnostics of a load, taken from `ctx` and put in file order.
Diagnostics sorted_diagnostics(Context& ctx);

// Remembers values that must be unique (issuer names, project ids, …) and reports repeats.
class UniqueValues {
 public:
  explicit UniqueValues(std::string_view what) : what_(what) {}

  // Reports `value` at the reader's `key` if an earlier mapping had it too; empty values are
  // skipped.
  void check(ObjectReader& r, std::string_view key, const std::string& value);

 private:
  std::string what_;
  std::unordered_map<std::string, std::string> seen_;  // value → path of the first mapping
};

}  // namespace sg::config
