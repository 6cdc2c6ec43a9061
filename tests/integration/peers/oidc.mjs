// A real OpenID provider (npm `oidc-provider`) for integration tests, run inside the test process.
//
// It issues JWT access tokens (`typ: at+jwt`) to one machine client through the client credentials
// grant with a resource indicator, as ../../../../shared/reference/test-peers.md describes. It
// listens on a free loopback port; restart() starts it again on the same port with a NEW signing
// key (a new `kid`: key rotation as an IdP does it), stop() takes it down. Every started provider
// must be stopped by the test that started it.
import crypto from 'node:crypto';
import http from 'node:http';

import { request } from '../helpers/auth.mjs';

// oidc-provider 9 warns that Node 20 is not a supported runtime (it works) and that its in-memory
// adapter is for development (what a test wants). Only those two warnings are silenced.
const EXPECTED_WARNINGS = ['Unsupported runtime', 'development-only in-memory adapter'];

async function quietly(fn) {
  const warn = console.warn;
  console.warn = (...args) => {
    const text = String(args[0]);
    if (text.includes('oidc-provider WARNING') && EXPECTED_WARNINGS.some((w) => text.includes(w))) return;
    warn.apply(console, args);
  };
  try {
    return await fn();
  } finally {
    console.warn = warn;
  }
}

const { default: Provider } = await quietly(() => import('oidc-provider'));

const KEY_SPECS = {
  ES256: { type: 'ec', options: { namedCurve: 'P-256' } },
  ES384: { type: 'ec', options: { namedCurve: 'P-384' } },
  RS256: { type: 'rsa', options: { modulusLength: 2048 } },
  PS256: { type: 'rsa', options: { modulusLength: 2048 } },
  EdDSA: { type: 'ed25519', options: {} },
};

// A fresh private signing key as a JWK with a random kid.
function newSigningKey(alg) {
  const spec = KEY_SPECS[alg];
  if (!spec) throw new Error(`unsupported key algorithm ${alg}`);
  const { privateKey } = crypto.generateKeyPairSync(spec.type, spec.options);
  return { ...privateKey.export({ format: 'jwk' }), kid: crypto.randomUUID(), alg, use: 'sig' };
}

function providerConfig({ audience, resource, keyAlg, ttl, clientId, clientSecret, key, extraClaims }) {
  return {
    extraTokenClaims: async () => extraClaims,
    clients: [{
      client_id: clientId,
      client_secret: clientSecret,
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      id_token_signed_response_alg: keyAlg, // required when the provider has no RSA key
    }],
    jwks: { keys: [key] },
    ttl: { ClientCredentials: ttl },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => resource,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({
          scope: 'stacks',
          audience,
          accessTokenTTL: ttl,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: keyAlg } },
        }),
      },
    },
  };
}

// Starts a provider. `audience` becomes the tokens' `aud`; `resource` is the resource indicator
// (an absolute URI) the token request names; `ttl` is the access token lifetime in seconds;
// `extraClaims` are added to every access token (e.g. { groups: [...] } for policy bindings).
export async function startOidcProvider({
  audience = 'stackgate', resource = 'urn:stackgate:api', keyAlg = 'ES256', ttl = 600,
  extraClaims = undefined,
} = {}) {
  const clientId = 'ci-deployer';
  const clientSecret = crypto.randomBytes(24).toString('base64url');
  let port = 0;
  let server = null;
  let key = null;
  let issuer = '';

  const listen = async (newKey) => {
    key = newKey;
    server = http.createServer();
    await new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', resolve);
    });
    port = server.address().port;
    issuer = `http://127.0.0.1:${port}`;
    const provider = await quietly(() => new Provider(issuer, providerConfig({
      audience, resource, keyAlg, ttl, clientId, clientSecret, key, extraClaims,
    })));
    provider.on('server_error', (_ctx, err) => { process.stderr.write(`oidc-provider: ${err.stack}\n`); });
    server.on('request', provider.callback());
  };

  const close = async () => {
    if (!server) return;
    const s = server;
    server = null;
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  };

  await listen(newSigningKey(keyAlg));

  const op = {
    get issuer() { return issuer; },
    get port() { return port; },
    get kid() { return key.kid; },
    get jwksUri() { return `${issuer}/jwks`; },
    clientId,
    clientSecret,
    audience,
    resource,
    // An access token for the client (client credentials grant, HTTP Basic client authentication).
    async getToken(scope = 'stacks') {
      const basic = Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`)
        .toString('base64');
      const res = await request(`${issuer}/token`, {
        method: 'POST',
        headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'client_credentials', resource, scope }).toString(),
      });
      if (res.status !== 200) throw new Error(`token request failed: ${res.status} ${res.body}`);
      return res.json().access_token;
    },
    // The public keys the provider publishes now.
    async jwks() {
      return (await request(op.jwksUri)).json();
    },
    // Stops and starts again on the same port with a new signing key (a new kid).
    async restart() {
      await close();
      await listen(newSigningKey(keyAlg));
    },
    // Takes the provider down (restart() brings it back with a new key).
    stop: close,
  };
  return op;
}
