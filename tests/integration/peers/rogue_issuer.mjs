// A small OIDC-like issuer the tests control fully, for the negative cases a real provider will not
// produce: expired tokens, wrong audiences, algorithms outside the allow-list, HS256 signed with a
// public key as the secret (algorithm confusion), unknown kids, tampered payloads, wrong `typ`,
// DER-encoded ECDSA signatures.
//
// Serves GET /.well-known/openid-configuration (issuer, jwks_uri) and the public keys at /jwks and
// /.well-known/jwks.json (where a Backstage-kind issuer looks for them). Signs anything with
// sign(claims, options). Listens on a free loopback port; stop() closes it.
import crypto from 'node:crypto';
import http from 'node:http';

import { CompactSign } from 'jose';

const KEY_SPECS = {
  es256: { alg: 'ES256', type: 'ec', options: { namedCurve: 'P-256' } },
  es384: { alg: 'ES384', type: 'ec', options: { namedCurve: 'P-384' } },
  rs256: { alg: 'RS256', type: 'rsa', options: { modulusLength: 2048 } },
};

function makeKey(name, spec, published) {
  const { privateKey, publicKey } = crypto.generateKeyPairSync(spec.type, spec.options);
  const kid = `rogue-${name}-${crypto.randomBytes(4).toString('hex')}`;
  return {
    name, kid, alg: spec.alg, privateKey, publicKey, published,
    publicJwk: { ...publicKey.export({ format: 'jwk' }), kid, alg: spec.alg, use: 'sig' },
    publicPem: publicKey.export({ format: 'pem', type: 'spki' }),
  };
}

const b64url = (value) => Buffer.from(value).toString('base64url');

// Starts an issuer at http://127.0.0.1:PORT (plus `path`, e.g. '/api/auth').
export async function startRogueIssuer({ path = '' } = {}) {
  const keys = {
    es256: makeKey('es256', KEY_SPECS.es256, true),
    es384: makeKey('es384', KEY_SPECS.es384, true),
    rs256: makeKey('rs256', KEY_SPECS.rs256, true),
    // Same algorithm as es256 but never published: its tokens name a kid nobody knows.
    unpublished: makeKey('unpublished', KEY_SPECS.es256, false),
  };
  const byAlg = { ES256: keys.es256, ES384: keys.es384, RS256: keys.rs256 };
  const jwks = { keys: Object.values(keys).filter((k) => k.published).map((k) => k.publicJwk) };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    const send = (status, body) => {
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'max-age=60' });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'GET') return send(405, { error: 'method not allowed' });
    switch (url.pathname) {
      case `${path}/.well-known/openid-configuration`:
        return send(200, {
          issuer: rogue.issuer,
          jwks_uri: `${rogue.issuer}/jwks`,
          id_token_signing_alg_values_supported: ['ES256', 'ES384', 'RS256'],
          response_types_supported: ['code'],
          subject_types_supported: ['public'],
        });
      case `${path}/jwks`:
      case `${path}/.well-known/jwks.json`:
        rogue.jwksRequests += 1;
        return send(200, jwks);
      default:
        return send(404, { error: 'not found' });
    }
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });

  const rogue = {
    issuer: `http://127.0.0.1:${server.address().port}${path}`,
    keys,
    jwks,
    jwksRequests: 0,

    // Claims of a valid token from this issuer, with `overrides` applied (undefined removes one).
    claims(overrides = {}) {
      const now = Math.floor(Date.now() / 1000);
      const claims = {
        iss: rogue.issuer, sub: 'rogue-subject', aud: 'stackgate', iat: now, exp: now + 300,
        ...overrides,
      };
      for (const [k, v] of Object.entries(claims)) if (v === undefined) delete claims[k];
      return claims;
    },

    // Signs `claims` as a compact JWS. options:
    //  alg     header alg (default ES256); signs with the key of that algorithm unless `key` is given
    //  kid     header kid (default: the signing key's kid; null omits it)
    //  typ     header typ (default at+jwt; null omits it)
    //  key     a key from `keys`, or a Uint8Array/Buffer secret for HS* algorithms
    //  header  extra header members
    //  der     true: an ECDSA signature in DER instead of raw R||S (always refused by verifiers)
    async sign(claims, { alg = 'ES256', kid, typ = 'at+jwt', key, header = {}, der = false } = {}) {
      const signer = key ?? byAlg[alg];
      if (!signer) throw new Error(`no rogue key for ${alg}; pass one`);
      const isSecret = signer instanceof Uint8Array;
      const protectedHeader = { alg, ...header };
      if (typ !== null) protectedHeader.typ = typ;
      const headerKid = kid === undefined ? (isSecret ? undefined : signer.kid) : kid;
      if (headerKid !== null && headerKid !== undefined) protectedHeader.kid = headerKid;
      const payload = Buffer.from(JSON.stringify(claims));
      if (der) {
        const input = `${b64url(JSON.stringify(protectedHeader))}.${b64url(payload)}`;
        const hash = { ES256: 'sha256', ES384: 'sha384' }[alg];
        const signature = crypto.sign(hash, Buffer.from(input), { key: signer.privateKey, dsaEncoding: 'der' });
        return `${input}.${b64url(signature)}`;
      }
      return new CompactSign(payload)
        .setProtectedHeader(protectedHeader)
        .sign(isSecret ? signer : signer.privateKey);
    },

    // The same token with its payload replaced by `claims` and the original signature kept.
    tamper(token, claims) {
      const [h, , s] = token.split('.');
      return `${h}.${b64url(JSON.stringify(claims))}.${s}`;
    },

    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  return rogue;
}
