// Writes the model as Cedar: one policy per stackgate rule, and the principals and stacks as
// entities, with the same meaning as policy.yaml.
//
// The mapping:
// - a deny rule is a `forbid`, an allow rule a `permit`; Cedar's forbid-overrides-permit and
//   default deny are stackgate's deny-over-allow and deny by default;
// - an allow rule with `approval:` is a `permit` whose id starts with "approval:" (plain allows
//   "allow:", denies "deny:"). One isAuthorized call decides: Cedar "deny" → deny; "allow" with a
//   determining policy "allow:…" → allow; "allow" determined only by "approval:…" policies →
//   approval_required. Cedar's answer lists every satisfied permit, so this is exact;
// - a role's bindings become the principal part: `claim.groups: g` is `principal in Group::"g"`
//   (a principal's groups are its entity parents, Cedar's idiom for IdP groups), `issuer`/`kind`
//   compare attributes; a role with a single one-group binding puts it in the policy scope;
// - a stack glob is `resource.ref like "…"` ("*" alone: no test); a literal is `==`;
// - `tag.x: v` is `resource.tags has x && resource.tags.x == v` (`like` for globs); the templates
//   {principal.team} and {principal.ownership} are `principal.team == …` (guarded by `has`) and
//   `principal.ownership.contains(…)`. Missing attributes are left out of the entities, so every
//   test on them is false, as in stackgate.

const str = (s) => JSON.stringify(s);
const any = (parts) => (parts.length === 1 ? parts[0] : `(${parts.join(" || ")})`);

function principalTest(c) {
  const v = c.values;
  switch (c.attr) {
    case "claim.groups":
      return any(v.map((g) => `principal in Group::${str(g)}`));
    case "issuer":
    case "kind":
      return any(v.map((x) => `principal.${c.attr} == ${str(x)}`));
    default:
      throw new Error(`to_cedar: binding attribute ${c.attr} is not mapped`);
  }
}

// The principal part of every policy of one role: {scope, test}.
function principalPart(bindings) {
  if (bindings.length === 1) {
    const [b] = bindings;
    const group = b.when.find((c) => c.attr === "claim.groups" && c.values.length === 1);
    if (group) {
      const rest = b.when.filter((c) => c !== group).map(principalTest);
      return { scope: `principal in Group::${str(group.values[0])}`, tests: rest };
    }
  }
  const each = bindings.map((b) => b.when.map(principalTest).join(" && "));
  return { scope: "principal", tests: [any(each.map((e) => (bindings.length > 1 ? `(${e})` : e)))] };
}

function valueTest(expr, pattern) {
  const m = /^\{principal\.([a-z]+)\}$/.exec(pattern);
  if (m?.[1] === "team") return `(principal has team && principal.team == ${expr})`;
  if (m?.[1] === "ownership") return `principal.ownership.contains(${expr})`;
  if (pattern.includes("{") || pattern.includes("?")) throw new Error(`to_cedar: cannot map ${pattern}`);
  return pattern.includes("*") ? `${expr} like ${str(pattern)}` : `${expr} == ${str(pattern)}`;
}

function stackTest(c) {
  let guard, expr;
  if (c.attr.startsWith("tag.")) {
    const tag = c.attr.slice(4);
    if (!/^[a-z_]+$/.test(tag)) throw new Error(`to_cedar: tag ${tag} is not an identifier`);
    guard = `resource.tags has ${tag}`;
    expr = `resource.tags.${tag}`;
  } else {
    guard = `resource has ${c.attr}`;
    expr = `resource.${c.attr}`;
  }
  return `${guard} && ${any(c.values.map((v) => valueTest(expr, v)))}`;
}

function globTest(globs) {
  if (globs.includes("*")) return null;
  return any(globs.map((g) => valueTest("resource.ref", g)));
}

export function toCedar(world, header) {
  const bindingsOf = new Map(world.roles.map((r) => [r.name, []]));
  for (const b of world.bindings) for (const r of b.roles) bindingsOf.get(r).push(b);
  const lines = [`// ${header}`];
  let n = 0;
  for (const role of world.roles) {
    const who = principalPart(bindingsOf.get(role.name));
    role.rules.forEach((rule, i) => {
      const kind = rule.effect === "deny" ? "deny" : rule.approval ? "approval" : "allow";
      const tests = [...who.tests, globTest(rule.stacks), ...rule.when.map(stackTest)].filter(Boolean);
      const actions = rule.actions.map((a) => `Action::${str(a)}`).join(", ");
      lines.push(`@id(${str(`${kind}:${role.name}#${i + 1}`)})`);
      lines.push(`${rule.effect === "deny" ? "forbid" : "permit"} (${who.scope}, action in [${actions}], resource is Stack)`);
      lines.push(tests.length ? `when { ${tests.join(" && ")} };` : ";");
      n++;
    });
  }
  return { text: lines.join("\n") + "\n", policies: n };
}

export function principalEntity(p) {
  const attrs = { issuer: p.issuer, kind: p.kind, ownership: p.ownership };
  if (p.team) attrs.team = p.team;
  return {
    uid: { type: "User", id: p.subject },
    attrs,
    parents: p.groups.map((g) => ({ type: "Group", id: g })),
  };
}

export function stackEntity(s) {
  const attrs = { ref: s.ref, tags: s.tags };
  if (s.owner) attrs.owner = s.owner;
  if (s.lifecycle) attrs.lifecycle = s.lifecycle;
  return { uid: { type: "Stack", id: s.ref }, attrs, parents: [] };
}
