// The comparison service of bench/authorize.sh: what a team would write in Node.js instead of
// stackgate — fastify, jose verifying the bearer token against a local JWKS on every request
// (issuer, audience, algorithm, typ, expiry), and the same roles, rules and bindings as
// bench/authorize.sh gives stackgate, evaluated with stackgate's semantics (deny wins, then allow,
// then approval; `*` crosses '/'). One worker process per THREADS, like stackgate's threads.
//
//   THREADS=2 PORT=8080 JWKS=/path/jwks.json node bench/authorize/server.mjs
import cluster from 'node:cluster';
import { readFileSync } from 'node:fs';

import Fastify from 'fastify';
import { createLocalJWKSet, jwtVerify } from 'jose';

const THREADS = Number(process.env.THREADS ?? 2);
const PORT = Number(process.env.PORT ?? 8080);
const ISSUER = 'https://bench.stackgate.invalid';

if (cluster.isPrimary) {
  for (let i = 0; i < THREADS; i++) cluster.fork();
  cluster.on('exit', (_w, code) => { if (code !== 0) process.exit(code); });
} else {
  const jwks = createLocalJWKSet(JSON.parse(readFileSync(process.env.JWKS, 'utf8')));
  const glob = (g) => new RegExp(`^${g.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 's');
  const STACKS = new Map([
    ['acme/payments/dev', { tags: { team: 'payments', env: 'dev' } }],
    ['acme/payments/prod', { tags: { team: 'payments', env: 'prod' } }],
    ['acme/web/dev', { tags: { team: 'web' } }],
  ]);
  const teamIs = (stack, who) => who.team !== undefined && stack.tags.team === who.team;
  const ROLES = {
    reader: [{ effect: 'allow', actions: ['read'], stacks: [glob('acme/payments/*')] }],
    deployer: [
      { effect: 'allow', actions: ['preview', 'update'], stacks: [glob('acme/*/dev')], when: teamIs },
      { effect: 'allow', actions: ['update'], stacks: [glob('acme/*/prod')], when: teamIs, approval: true },
      { effect: 'deny', actions: ['destroy'], stacks: [glob('*/prod')] },
      { effect: 'allow', actions: ['destroy'], stacks: [glob('*')] },
    ],
    admin: [{ effect: 'allow', actions: ['audit'], stacks: [glob('*')] }],
  };
  const groups = (c) => (Array.isArray(c.groups) ? c.groups : []);
  const BINDINGS = [
    { roles: ['reader'], when: () => true },
    { roles: ['deployer'], when: (c) => groups(c).includes('payments-devs') },
    { roles: ['admin'], when: (c) => groups(c).includes('platform-admins') },
  ];
  const ACTIONS = new Set(['read', 'preview', 'update', 'refresh', 'destroy', 'cancel', 'approve', 'admin', 'audit']);

  const decide = (claims, action, ref) => {
    const who = { team: typeof claims.team === 'string' ? claims.team : undefined };
    const roles = [...new Set(BINDINGS.filter((b) => b.when(claims)).flatMap((b) => b.roles))];
    const stack = STACKS.get(ref) ?? { tags: {} };
    let allow = false;
    let approval = false;
    for (const role of roles) {
      for (const rule of ROLES[role]) {
        if (!rule.actions.includes(action) || !rule.stacks.some((g) => g.test(ref))) continue;
        if (rule.when && !rule.when(stack, who)) continue;
        if (rule.effect === 'deny') return { decision: 'deny', roles };
        if (rule.approval) approval = true; else allow = true;
      }
    }
    return { decision: allow ? 'allow' : approval ? 'approval_required' : 'deny', roles };
  };

  const app = Fastify({ logger: false });
  app.post('/v1/authorize', async (req, reply) => {
    const auth = req.headers.authorization ?? '';
    if (!auth.startsWith('Bearer ')) return reply.code(401).send({ error: { code: 'unauthenticated' } });
    let claims;
    try {
      ({ payload: claims } = await jwtVerify(auth.slice(7), jwks, {
        issuer: ISSUER, audience: 'stackgate', algorithms: ['ES256'], typ: 'at+jwt', clockTolerance: 30,
      }));
    } catch {
      return reply.code(401).send({ error: { code: 'invalid_token' } });
    }
    const { action, stack } = req.body ?? {};
    if (!ACTIONS.has(action) || typeof stack !== 'string' || stack.split('/').length !== 3) {
      return reply.code(400).send({ error: { code: 'invalid_argument' } });
    }
    return { ...decide(claims, action, stack), action, stack, principal: { subject: claims.sub } };
  });
  await app.listen({ port: PORT, host: '127.0.0.1' });
}
