// Writes the model's roles and bindings as stackgate's policy.yaml (DESIGN.md, "Policy").

const q = (s) => JSON.stringify(s);  // a JSON string is a valid YAML double-quoted scalar
const list = (items) => `[${items.map(q).join(", ")}]`;

function when(conditions, indent) {
  if (conditions.length === 0) return "";
  const body = conditions.map((c) => `${c.attr}: ${c.values.length === 1 ? q(c.values[0]) : list(c.values)}`);
  return `${indent}when: { ${body.join(", ")} }\n`;
}

function rule(r) {
  let out = `      - ${r.effect}: [${r.actions.join(", ")}]\n`;
  out += `        stacks: ${list(r.stacks)}\n`;
  out += when(r.when, "        ");
  if (r.approval) {
    out += `        approval: { approvers: [${r.approval.approvers.join(", ")}], count: ${r.approval.count} }\n`;
  }
  return out;
}

export function toYaml(world, header) {
  let out = `# ${header}\nroles:\n`;
  for (const role of world.roles) {
    out += `  - name: ${role.name}\n    rules:\n`;
    for (const r of role.rules) out += rule(r);
  }
  out += "bindings:\n";
  for (const b of world.bindings) {
    const conditions = b.when.map((c) => `${c.attr}: ${c.values.length === 1 ? q(c.values[0]) : list(c.values)}`);
    out += `  - { roles: [${b.roles.join(", ")}], when: { ${conditions.join(", ")} } }\n`;
  }
  return out;
}
