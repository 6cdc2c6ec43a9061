#include "policy_data.hpp"

#include <fstream>
#include <iterator>
#include <stdexcept>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

namespace sg::bench {
namespace {

namespace bj = boost::json;
using policy::Principal;
using policy::Stack;

bj::value read_json(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read the file");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return bj::parse(text);
}

std::string text_of(const bj::object& o, std::string_view key) {
  const bj::value* v = o.if_contains(key);
  return v == nullptr ? std::string() : std::string(v->as_string());
}

std::vector<std::string> texts_of(const bj::object& o, std::string_view key) {
  std::vector<std::string> out;
  if (const bj::value* v = o.if_contains(key)) {
    for (const bj::value& item : v->as_array())
      out.emplace_back(item.as_string());
  }
  return out;
}

Stack stack_of(const bj::object& o) {
  auto ref = policy::parse_stack_ref(text_of(o, "ref"));
  if (!ref) throw std::runtime_error(ref.error().message);
  Stack s = Stack::named(*ref);
  if (const bj::value* tags = o.if_contains("tags")) {
    for (const auto& [k, v] : tags->as_object())
      s.tags.emplace(std::string(k), std::string(v.as_string()));
  }
  s.owner = text_of(o, "owner");
  s.lifecycle = text_of(o, "lifecycle");
  return s;
}

Principal principal_of(const bj::object& o) {
  Principal p;
  p.subject = text_of(o, "subject");
  p.issuer = text_of(o, "issuer");
  p.kind = text_of(o, "kind") == "machine" ? policy::PrincipalKind::kMachine
                                           : policy::PrincipalKind::kUser;
  p.team = text_of(o, "team");
  p.email = text_of(o, "email");
  p.groups = texts_of(o, "groups");
  p.ownership = texts_of(o, "ownership");
  p.claims = o.at("claims").as_object();
  return p;
}

policy::Verdict verdict_of_name(std::string_view name) {
  for (auto v :
       {policy::Verdict::kAllow, policy::Verdict::kDeny, policy::Verdict::kApprovalRequired}) {
    if (policy::verdict_name(v) == name) return v;
  }
  throw std::runtime_error("unknown verdict " + std::string(name));
}

Query query_of(const bj::object& o, const BenchData& data) {
  Query q;
  q.principal = static_cast<std::size_t>(o.at("p").to_number<std::uint64_t>());
  q.stack = static_cast<std::size_t>(o.at("s").to_number<std::uint64_t>());
  if (q.principal >= data.principals.size() || q.stack >= data.stacks.size()) {
    throw std::runtime_error("a query names a principal or stack that does not exist");
  }
  auto action = policy::parse_action(o.at("a").as_string());
  if (!action) throw std::runtime_error("unknown action");
  q.action = *action;
  q.expect = verdict_of_name(o.at("expect").as_string());
  return q;
}

// Runs `read` on the parsed file, turning any exception into an error naming the file.
template <typename F>
Status read_file(const std::string& dir, const std::string& name, F&& read) {
  try {
    read(read_json(dir + "/" + name));
    return {};
  } catch (const std::exception& e) {
    return make_error(Errc::kInvalidArgument, name + ": " + e.what());
  }
}

}  // namespace

Result<BenchData> load_bench_data(const std::string& dir) {
  BenchData data;
  Status s = read_file(dir, "stacks.json", [&](const bj::value& v) {
    for (const bj::value& item : v.as_array())
      data.stacks.push_back(stack_of(item.as_object()));
  });
  if (!s) return s.error();
  s = read_file(dir, "principals.json", [&](const bj::value& v) {
    for (const bj::value& item : v.as_array())
      data.principals.push_back(principal_of(item.as_object()));
  });
  if (!s) return s.error();
  s = read_file(dir, "decisions.json", [&](const bj::value& v) {
    for (const bj::value& item : v.at("queries").as_array())
      data.queries.push_back(query_of(item.as_object(), data));
  });
  if (!s) return s.error();
  if (data.queries.empty()) return make_error(Errc::kInvalidArgument, "decisions.json: no queries");
  return data;
}

}  // namespace sg::bench
