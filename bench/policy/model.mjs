// The policy benchmark's world, built deterministically from one seed: 5 organisations × 100
// projects × 10 stacks, 250 teams owning two projects each, ~1,000 roles with exactly 10,000 rules,
// ~1,000 bindings by claim.groups / issuer / kind, and principals with a handful of groups each.
//
// Rules and bindings are kept language-neutral here ({effect, actions, stacks, when, approval});
// to_yaml.mjs and to_cedar.mjs write them out, reference.mjs evaluates them. Only the constructs
// both languages share are generated: `*` globs (Cedar's `like` has no `?`), literal values, and
// whole-value templates {principal.team} / {principal.ownership} (Cedar has no string concatenation).

export const SEED = 20261129;
export const RULES = 10_000;

const ORGS = ["acme", "globex", "initech", "umbrella", "hooli"];
const AREAS = ["billing", "checkout", "search", "identity", "ledger",
               "catalog", "orders", "shipping", "pricing", "inventory"];
const COMPONENTS = ["api", "web", "worker", "db", "cache", "etl", "gateway", "jobs", "ml", "stream"];
const TEAMS_PER_ORG = 50;  // team j owns projects 2j and 2j+1, both in area floor(j / 5)
// Ten stacks per project: name → env.
const STACKS = [["dev", "dev"], ["dev-eu", "dev"], ["qa", "qa"], ["sandbox", "sandbox"],
                ["staging", "staging"], ["staging-eu", "staging"], ["prod", "prod"],
                ["prod-eu", "prod"], ["prod-us", "prod"], ["dr", "prod"]];
const FIRST = ["jane", "john", "ana", "li", "omar", "sara", "yuki", "ravi", "eva", "tom", "nina", "max"];
const LAST = ["doe", "smith", "garcia", "chen", "khan", "mueller", "sato", "patel", "rossi", "berg"];

const DEV_WORK = ["preview", "update", "refresh", "cancel"];

// mulberry32: a small, fast, well-mixed 32-bit generator; fixed seed → identical files every run.
export function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    chance: (p) => next() < p,
    int: (n) => Math.floor(next() * n),
    pick: (list) => list[Math.floor(next() * list.length)],
    weighted: (pairs) => {  // [[value, weight], …]
      let x = next() * pairs.reduce((s, [, w]) => s + w, 0);
      for (const [v, w] of pairs) if ((x -= w) < 0) return v;
      return pairs[pairs.length - 1][0];
    },
  };
}

function teams() {
  const out = [];
  for (const org of ORGS) {
    for (let j = 0; j < TEAMS_PER_ORG; j++) {
      const area = AREAS[Math.floor(j / 5)];
      const projects = [2 * j, 2 * j + 1].map((k) => `${AREAS[Math.floor(k / 10)]}-${COMPONENTS[k % 10]}`);
      out.push({ org, name: `${org}-${area}-${j % 5}`, area, projects });
    }
  }
  return out;
}

function stacks(r, allTeams) {
  const out = [];
  for (const team of allTeams) {
    const sameOrg = allTeams.filter((t) => t.org === team.org && t !== team);
    for (const project of team.projects) {
      for (const [name, env] of STACKS) {
        const tags = { env, region: name.endsWith("-eu") ? "eu" : name.endsWith("-us") ? "us" : "global" };
        if (!r.chance(0.02)) tags.team = team.name;  // 2 %: never tagged
        if (env === "prod" && r.chance(0.05)) tags.freeze = "true";
        const s = { ref: `${team.org}/${project}/${name}`, tags };
        const o = r.next();  // 95 % owned by the team, 4 % handed to another team, 1 % unowned
        if (o < 0.95) s.owner = `group:default/${team.name}`;
        else if (o < 0.99) s.owner = `group:default/${r.pick(sameOrg).name}`;
        s.lifecycle = r.chance(0.01) ? "deprecated"
          : env === "prod" ? "production" : env === "sandbox" ? "experimental" : "development";
        out.push(s);
      }
    }
  }
  return out;
}

const allow = (actions, stacks, extra = {}) => ({ effect: "allow", actions, stacks, when: [], ...extra });
const deny = (actions, stacks, extra = {}) => ({ effect: "deny", actions, stacks, when: [], ...extra });
const when = (attr, ...values) => ({ attr, values });
const approval = (approvers, count = 1) => ({ approvers, count });

// Four roles per team, 39 rules in all.
function teamRoles(t) {
  const O = t.org, T = t.name;
  const per = (f) => t.projects.flatMap(f);
  const developer = [  // 12
    ...per((p) => [
      allow(["read"], [`${O}/${p}/*`]),
      allow(DEV_WORK, [`${O}/${p}/dev*`, `${O}/${p}/qa`, `${O}/${p}/sandbox`]),
      allow(DEV_WORK, [`${O}/${p}/staging*`], { when: [when("tag.team", "{principal.team}")] }),
      allow(["update", "refresh"], [`${O}/${p}/prod*`], { approval: approval([`${T}.lead`]) }),
      deny(["destroy"], [`${O}/${p}/prod*`, `${O}/${p}/dr`]),
    ]),
    allow(["read", "preview"], [`${O}/*/*`], { when: [when("owner", "{principal.ownership}")] }),
    deny(["update", "refresh"], [`${O}/*/prod*`], { when: [when("lifecycle", "deprecated")] }),
  ];
  const lead = [  // 10
    ...per((p) => [
      allow(["read", ...DEV_WORK, "approve"], [`${O}/${p}/*`]),
      allow(["destroy"], [`${O}/${p}/dev*`, `${O}/${p}/qa`, `${O}/${p}/sandbox`]),
      allow(["destroy"], [`${O}/${p}/staging*`], { approval: approval(["platform-admin"]) }),
      deny(["destroy"], [`${O}/${p}/prod*`, `${O}/${p}/dr`]),
    ]),
    allow(["admin"], [`${O}/*/*`], {
      when: [when("owner", "{principal.ownership}"), when("tag.env", "dev", "qa", "sandbox")] }),
    allow(["update"], [`${O}/*/prod*`], {
      when: [when("owner", "{principal.ownership}")], approval: approval([`${T}.lead`, "platform-admin"], 2) }),
  ];
  const oncall = [  // 10
    allow(["read"], [`${O}/*/prod*`, `${O}/*/dr`], { when: [when("tag.team", "{principal.team}")] }),
    allow(["refresh", "cancel"], [`${O}/*/prod*`], { when: [when("tag.team", "{principal.team}")] }),
    allow(["update"], [`${O}/*/prod*`], {
      when: [when("tag.team", "{principal.team}")], approval: approval([`${T}.lead`]) }),
    deny(["destroy", "admin"], [`${O}/*/prod*`, `${O}/*/dr`]),
    ...per((p) => [
      allow(["read", "refresh"], [`${O}/${p}/*`]),
      allow(["update"], [`${O}/${p}/dr`], { approval: approval([`${T}.lead`]) }),
      deny(["update"], [`${O}/${p}/prod*`], { when: [when("tag.freeze", "true")] }),
    ]),
  ];
  const viewer = [  // 7
    ...per((p) => [
      allow(["read"], [`${O}/${p}/*`]),
      allow(["preview"], [`${O}/${p}/dev*`, `${O}/${p}/staging*`]),
      deny(["destroy"], [`${O}/${p}/*`], { when: [when("lifecycle", "production")] }),
    ]),
    allow(["read"], [`${O}/*/*`], { when: [when("tag.team", "{principal.team}")] }),
  ];
  return [
    { name: `${T}.developer`, rules: developer },
    { name: `${T}.lead`, rules: lead },
    { name: `${T}.oncall`, rules: oncall },
    { name: `${T}.viewer`, rules: viewer },
  ];
}

// Three roles per organisation, 48 rules in all.
function orgRoles(O) {
  const sre = AREAS.flatMap((a) => [  // 20
    allow(["read", "refresh", "cancel"], [`${O}/${a}-*/*`]),
    allow(["update"], [`${O}/${a}-*/prod*`], { approval: approval([`${O}.release`]) }),
  ]);
  const security = [  // 16
    ...AREAS.map((a) => allow(["preview"], [`${O}/${a}-*/prod*`], { when: [when("tag.env", "prod")] })),
    allow(["read"], [`${O}/*/*`]),
    deny(["destroy"], [`${O}/*/prod*`, `${O}/*/dr`]),
    deny(["admin"], [`${O}/*/*`], { when: [when("lifecycle", "production")] }),
    allow(["admin"], [`${O}/*/*`], { approval: approval(["platform-admin"]) }),
    allow(["cancel"], [`${O}/*/*`], { when: [when("tag.freeze", "true")] }),
    deny(["update"], [`${O}/*/*`], { when: [when("tag.freeze", "true")] }),
  ];
  const release = [  // 12
    ...AREAS.map((a) => allow(["update"], [`${O}/${a}-*/prod*`, `${O}/${a}-*/dr`], {
      approval: approval([`${O}.release`, "platform-admin"]) })),
    allow(["read", "approve"], [`${O}/*/*`]),
    deny(["update"], [`${O}/*/*`], { when: [when("tag.freeze", "true")] }),
  ];
  return [
    { name: `${O}.sre`, rules: sre },
    { name: `${O}.security`, rules: security },
    { name: `${O}.release`, rules: release },
  ];
}

// Three gateway-wide roles, 10 rules.
function globalRoles() {
  return [
    { name: "platform-admin", rules: [  // 6
      allow(["read", "preview", "update", "refresh", "cancel", "approve", "admin"], ["*"]),
      allow(["destroy"], ["*"], { approval: approval(["platform-admin"], 2) }),
      allow(["audit"], ["*"]),
      deny(["destroy"], ["*/*/prod*"], { when: [when("tag.freeze", "true")] }),
      deny(["update"], ["*"], { when: [when("lifecycle", "deprecated")] }),
      allow(["destroy"], ["*/*/sandbox"]),
    ] },
    { name: "reader", rules: [  // 2
      allow(["read"], ["*"], { when: [when("lifecycle", "development", "experimental")] }),
      allow(["read"], ["*/*/prod*"], { when: [when("owner", "{principal.ownership}")] }),
    ] },
    { name: "ci-deployer", rules: [  // 2
      allow(["preview", "update"], ["*/*/dev*", "*/*/qa"], { when: [when("tag.team", "{principal.team}")] }),
      deny(["destroy", "admin"], ["*"]),
    ] },
  ];
}

function bindings(allTeams) {
  const out = [];
  for (const t of allTeams) {
    const T = t.name;
    out.push({ roles: [`${T}.developer`], when: [when("claim.groups", T)] });
    out.push({ roles: [`${T}.lead`], when: [when("claim.groups", `${T}-leads`)] });
    out.push({ roles: [`${T}.oncall`], when: [when("claim.groups", `${T}-oncall`), when("issuer", "corp-sso")] });
    out.push({ roles: [`${T}.viewer`], when: [when("claim.groups", `${T}-viewers`, `${T}-contractors`)] });
  }
  for (const O of ORGS) {
    out.push({ roles: [`${O}.sre`], when: [when("claim.groups", `${O}-sre`)] });
    out.push({ roles: [`${O}.security`], when: [when("claim.groups", `${O}-security`), when("issuer", "corp-sso")] });
    out.push({ roles: [`${O}.release`], when: [when("claim.groups", `${O}-release-managers`)] });
  }
  out.push({ roles: ["platform-admin"], when: [when("claim.groups", "platform-admins"), when("issuer", "corp-sso")] });
  out.push({ roles: ["reader"], when: [when("issuer", "backstage")] });
  out.push({ roles: ["reader", "ci-deployer"], when: [when("kind", "machine"), when("issuer", "github-actions")] });
  return out;
}

function principals(r, allTeams, count) {
  const out = [];
  for (let i = 0; i < count; i++) {
    const t = r.pick(allTeams);
    const sameOrg = allTeams.filter((x) => x.org === t.org && x !== t);
    if (r.chance(0.1)) {  // a CI job of one of the team's projects
      const project = r.pick(t.projects);
      out.push({
        subject: `repo:${t.org}/${project}:ref:refs/heads/main#${i}`, issuer: "github-actions", kind: "machine",
        team: t.name, groups: [], ownership: [`group:default/${t.name}`],
      });
      continue;
    }
    const name = `${r.pick(FIRST)}.${r.pick(LAST)}${i}`;
    const groups = [t.name, "engineering"];
    const ownership = [`user:default/${name}`, `group:default/${t.name}`];
    if (r.chance(0.25)) groups.push(`${t.name}-oncall`);
    if (r.chance(0.12)) groups.push(`${t.name}-leads`);
    if (r.chance(0.30)) groups.push(`${r.pick(sameOrg).name}-viewers`);
    if (r.chance(0.05)) groups.push(`${r.pick(sameOrg).name}-contractors`);
    if (r.chance(0.10)) {  // also works in a second team
      const second = r.pick(sameOrg);
      groups.push(second.name);
      ownership.push(`group:default/${second.name}`);
    }
    if (r.chance(0.04)) groups.push(`${t.org}-sre`);
    if (r.chance(0.03)) groups.push(`${t.org}-security`);
    if (r.chance(0.03)) groups.push(`${t.org}-release-managers`);
    if (r.chance(0.01)) groups.push("platform-admins");
    const p = { subject: `user:default/${name}`, issuer: r.chance(0.65) ? "corp-sso" : "backstage", kind: "user" };
    if (!r.chance(0.03)) p.team = t.name;  // 3 %: no team claim
    out.push({ ...p, email: `${name}@example.com`, groups, ownership });
  }
  return out;
}

// The whole world. `principalCount` principals; the policy always has exactly RULES rules.
export function buildWorld(principalCount = 2000) {
  const r = rng(SEED);
  const allTeams = teams();
  const roles = [...globalRoles(), ...ORGS.flatMap(orgRoles), ...allTeams.flatMap(teamRoles)];
  const ruleCount = roles.reduce((n, role) => n + role.rules.length, 0);
  if (ruleCount !== RULES) throw new Error(`generator: ${ruleCount} rules instead of ${RULES}`);
  return {
    teams: allTeams,
    stacks: stacks(r, allTeams),
    roles,
    bindings: bindings(allTeams),
    principals: principals(r, allTeams, principalCount),
    rng: r,
  };
}
