// Writes the shared inputs of bench/authorize.sh into DIR: an ES256 key pair's public half as
// jwks.json, and one signed access token (token.txt) for a machine in group payments-devs, team
// payments, valid for an hour. Both servers verify this same token against this same key.
//
//   node bench/authorize/mint.mjs DIR
import { writeFileSync } from 'node:fs';
import path from 'node:path';

import { SignJWT, exportJWK, generateKeyPair } from 'jose';

export const ISSUER = 'https://bench.stackgate.invalid';
export const AUDIENCE = 'stackgate';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: node mint.mjs DIR');
  process.exit(2);
}
const { publicKey, privateKey } = await generateKeyPair('ES256');
const jwk = { ...(await exportJWK(publicKey)), kid: 'bench-1', alg: 'ES256', use: 'sig' };
writeFileSync(path.join(dir, 'jwks.json'), JSON.stringify({ keys: [jwk] }));
const token = await new SignJWT({ groups: ['payments-devs', 'eng'], team: 'payments' })
  .setProtectedHeader({ alg: 'ES256', kid: 'bench-1', typ: 'at+jwt' })
  .setIssuer(ISSUER).setSubject('ci-deployer').setAudience(AUDIENCE)
  .setIssuedAt().setExpirationTime('1h').setJti(crypto.randomUUID())
  .sign(privateKey);
writeFileSync(path.join(dir, 'token.txt'), token);
