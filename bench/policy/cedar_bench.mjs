#!/usr/bin/env node
// Times the policy benchmark's decisions in Cedar (@cedar-policy/cedar-wasm) one at a time, and
// checks that Cedar agrees with stackgate and with the reference on every one of them.
//
//   node bench/policy/cedar_bench.mjs DIR --verdicts FILE [--json FILE]
//
// DIR is what generate.mjs wrote; FILE the verdicts bench_policy printed (one per line, in query
// order). The policy set is parsed once (preparsePolicySet) and every query is one
// statefulIsAuthorized call — the package's fastest path: plain isAuthorized parses the whole
// policy set on every call. Each call gets only the two entities it needs (the principal and the
// stack), as Cedar recommends. Outcome mapping (to_cedar.mjs): "deny" → deny; "allow" with a
// determining "allow:" policy → allow; otherwise approval_required. The time of a decision covers
// the call and this mapping. Also measured: the same calls against an empty policy set, the cost
// of a call before any policy is looked at. Any disagreement fails the run (exit 1).
import fs from "node:fs";
import path from "node:path";
import * as cedar from "@cedar-policy/cedar-wasm/nodejs";

function option(name) {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
}

const dir = process.argv[2];
const verdictsPath = option("--verdicts");
if (!dir || dir.startsWith("--") || !verdictsPath) {
  console.error("usage: cedar_bench.mjs DIR --verdicts FILE [--json FILE]");
  process.exit(2);
}
const read = (name) => fs.readFileSync(path.join(dir, name), "utf8");
const fail = (message) => {
  console.error(`cedar_bench: ${message}`);
  process.exit(1);
};

// The policy set: split into policies, keyed by their @id so that answers name them.
let t0 = performance.now();
const parts = cedar.policySetTextToParts(read("policy.cedar"));
if (parts.type !== "success") fail(`policy.cedar: ${JSON.stringify(parts.errors).slice(0, 500)}`);
const policies = {};
for (const text of parts.policies) {
  const id = /^@id\("([^"]+)"\)/.exec(text)?.[1];
  if (!id || policies[id]) fail(`a policy without a unique @id: ${text.slice(0, 120)}`);
  policies[id] = text;
}
const prepared = cedar.preparsePolicySet("bench", { staticPolicies: policies });
if (prepared.type !== "success") fail(`preparsePolicySet: ${JSON.stringify(prepared.errors).slice(0, 500)}`);
cedar.preparsePolicySet("empty", { staticPolicies: {} });
const loadMs = performance.now() - t0;

const entities = new Map(JSON.parse(read("entities.json")).map((e) => [`${e.uid.type}::${e.uid.id}`, e]));
const principals = JSON.parse(read("principals.json"));
const stacks = JSON.parse(read("stacks.json"));
const { queries } = JSON.parse(read("decisions.json"));
const stackgate = fs.readFileSync(verdictsPath, "utf8").split("\n").filter(Boolean);
if (stackgate.length !== queries.length) {
  fail(`${verdictsPath} has ${stackgate.length} verdicts for ${queries.length} queries`);
}

// Every request is built before the clock starts.
const requests = queries.map((q) => {
  const p = principals[q.p], s = stacks[q.s];
  return {
    principal: { type: "User", id: p.subject },
    action: { type: "Action", id: q.a },
    resource: { type: "Stack", id: s.ref },
    context: {},
    preparsedPolicySetId: "bench",
    entities: [entities.get(`User::${p.subject}`), entities.get(`Stack::${s.ref}`)],
  };
});

function decide(request) {
  const answer = cedar.statefulIsAuthorized(request);
  if (answer.type !== "success") fail(`isAuthorized: ${JSON.stringify(answer.errors).slice(0, 500)}`);
  const { decision, diagnostics } = answer.response;
  if (diagnostics.errors.length > 0) fail(`policy errors: ${JSON.stringify(diagnostics.errors[0])}`);
  if (decision === "deny") return "deny";
  return diagnostics.reason.some((id) => id.startsWith("allow:")) ? "allow" : "approval_required";
}

function stats(ns) {
  const s = [...ns].sort((a, b) => a - b);
  const rank = (p) => s[Math.min(s.length, Math.max(1, Math.ceil(p * s.length))) - 1];
  const mean = s.reduce((a, b) => a + b, 0) / s.length;
  return { n: s.length, mean_ns: mean, median_ns: rank(0.5), p90_ns: rank(0.9), p99_ns: rank(0.99),
           p999_ns: rank(0.999), max_ns: s[s.length - 1], per_second: 1e9 / mean };
}

// Warm-up: the first calls compile and tier up the WebAssembly code.
const warmup = Math.min(20, requests.length);
for (let i = 0; i < warmup; i++) decide(requests[i]);

const samples = [];
let disagree = 0;
for (let i = 0; i < requests.length; i++) {
  const start = process.hrtime.bigint();
  const verdict = decide(requests[i]);
  samples.push(Number(process.hrtime.bigint() - start));
  if (verdict !== stackgate[i] || verdict !== queries[i].expect) {
    if (++disagree <= 5) {
      console.error(`cedar_bench: query ${i} ${JSON.stringify(queries[i])}: cedar ${verdict}, stackgate ${stackgate[i]}`);
    }
  }
  if ((i + 1) % 250 === 0) process.stderr.write(`cedar_bench: ${i + 1}/${requests.length}\r`);
}
process.stderr.write("\n");

// The floor: the same calls against an empty policy set.
const floorSamples = [];
for (let i = 0; i < Math.min(500, requests.length); i++) {
  const request = { ...requests[i], preparsedPolicySetId: "empty" };
  const start = process.hrtime.bigint();
  cedar.statefulIsAuthorized(request);
  floorSamples.push(Number(process.hrtime.bigint() - start));
}

const result = {
  cedar: cedar.getCedarVersion(), policies: parts.policies.length, load_ms: loadMs,
  queries: requests.length, disagree, decide: stats(samples), empty_policy_set: stats(floorSamples),
};
const us = (ns) => (ns / 1e3).toFixed(1);
console.log(`cedar ${result.cedar} (cedar-wasm, Node ${process.versions.node}): ${result.policies} policies, ` +
  `parsed in ${loadMs.toFixed(0)} ms; ${requests.length} queries, ${disagree} disagreements`);
for (const [label, s] of [["statefulIsAuthorized", result.decide], ["same, empty policy set", result.empty_policy_set]]) {
  console.log(`${label.padEnd(24)} n ${s.n}  median ${us(s.median_ns)} µs  p90 ${us(s.p90_ns)}  ` +
    `p99 ${us(s.p99_ns)}  max ${us(s.max_ns)}  ${s.per_second.toFixed(1)} decisions/s`);
}
const jsonPath = option("--json");
if (jsonPath) fs.writeFileSync(jsonPath, JSON.stringify(result) + "\n");
if (disagree > 0) fail(`${disagree} of ${requests.length} decisions disagree with stackgate or the reference`);
