// A deliberately naive evaluator of the policy language, written from DESIGN.md's semantics and
// nothing else: the reference the C++ evaluator and Cedar are both checked against.
//
// Roles are the union of the bindings whose `when` all hold. For (principal, action, stack): any
// matching deny → deny; else a matching allow without approval → allow; else a matching allow with
// approval → approval_required; else deny. A condition on a missing attribute is false; a list on
// either side means any element matches; `*` matches any run of characters, `?` one.

function globRegex(glob) {
  const body = glob.replace(/[.+^${}()|[\]\\/-]/g, "\\$&").replaceAll("*", ".*").replaceAll("?", ".");
  return new RegExp(`^${body}$`, "s");
}

const regexCache = new Map();
function globMatches(glob, text) {
  let re = regexCache.get(glob);
  if (!re) regexCache.set(glob, (re = globRegex(glob)));
  return re.test(text);
}

// The values of a principal attribute (empty strings are missing).
function principalValues(p, attr) {
  const list = (() => {
    switch (attr) {
      case "claim.groups": return p.groups;
      case "groups": return p.groups;
      case "ownership": return p.ownership;
      default: return [p[attr]];
    }
  })();
  return (list ?? []).filter((v) => typeof v === "string" && v !== "");
}

function stackValue(s, attr) {
  if (attr.startsWith("tag.")) return s.tags?.[attr.slice(4)] ?? "";
  return s[attr] ?? "";
}

// One value pattern against one candidate: a whole-value template, or a glob / literal.
function patternMatches(pattern, candidate, principal) {
  const m = /^\{principal\.([a-z.]+)\}$/.exec(pattern);
  if (m) return principalValues(principal, m[1]).includes(candidate);
  if (pattern.includes("{")) throw new Error(`reference: unsupported template ${pattern}`);
  return globMatches(pattern, candidate);
}

export function rolesOf(world, principal) {
  const held = new Set();
  for (const b of world.bindings) {
    const holds = b.when.every((c) =>
      principalValues(principal, c.attr).some((v) => c.values.some((pat) => patternMatches(pat, v, principal))));
    if (holds) b.roles.forEach((r) => held.add(r));
  }
  return held;
}

function ruleMatches(rule, principal, action, stack) {
  if (!rule.actions.includes(action)) return false;
  if (!rule.stacks.some((g) => globMatches(g, stack.ref))) return false;
  return rule.when.every((c) => {
    const v = stackValue(stack, c.attr);
    return v !== "" && c.values.some((pat) => patternMatches(pat, v, principal));
  });
}

// {verdict: "allow" | "deny" | "approval_required", byRule: whether a rule decided (false for
// deny by default)}. `held` from rolesOf; `rolesByName` maps names to roles.
export function decide(rolesByName, held, principal, action, stack) {
  let allowed = false, approval = false;
  for (const name of held) {
    for (const rule of rolesByName.get(name).rules) {
      if (!ruleMatches(rule, principal, action, stack)) continue;
      if (rule.effect === "deny") return { verdict: "deny", byRule: true };
      if (rule.approval) approval = true;
      else allowed = true;
    }
  }
  if (allowed) return { verdict: "allow", byRule: true };
  if (approval) return { verdict: "approval_required", byRule: true };
  return { verdict: "deny", byRule: false };
}
