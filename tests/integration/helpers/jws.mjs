// Minimal JWS signing with node:crypto for tests that need exact control over a token.
import { generateKeyPairSync, sign } from 'node:crypto';

const b64url = (buf) => Buffer.from(buf).toString('base64url');

// A fresh P-256 key pair; `jwk` is the public JWK with kid/alg/use.
export function es256Key(kid = 'k1') {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid, alg: 'ES256', use: 'sig' };
  return { privateKey, jwk, kid };
}

// Signs `claims` with ES256 (raw R||S, as JWS requires) under `header` (alg/kid filled in).
export function signEs256(claims, key, header = {}) {
  const h = { alg: 'ES256', kid: key.kid, typ: 'JWT', ...header };
  const input = `${b64url(JSON.stringify(h))}.${b64url(JSON.stringify(claims))}`;
  const sig = sign('sha256', Buffer.from(input), { key: key.privateKey, dsaEncoding: 'ieee-p1363' });
  return `${input}.${b64url(sig)}`;
}
