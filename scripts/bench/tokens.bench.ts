import { randomUUID } from 'node:crypto';
import { generateKeyPair, jwtVerify, SignJWT } from 'jose';
import { startTestServer } from '../../test/kit/harness.ts';
import { issueAccessToken } from '../../server/tenants/tokens/token-issuer.ts';
import { verifyAccessToken } from '../../server/tenants/tokens/token-verifier.ts';
import { figure, opsPerSecond, type Figure } from './measure.ts';

/**
 * Token sign and verify through Tandem's issuer and verifier (key lookup, every claim check,
 * revocation and principal lookups in SQLite) against bare jose Ed25519 sign/verify in the same run.
 * `ms` is how long each rate is measured.
 */
export async function benchTokens({ ms = 1500 }: { ms?: number } = {}): Promise<Figure[]> {
  const server = await startTestServer();
  try {
    const acme = await server.company('acme');
    const token = await acme.memberToken('seller');
    const member = (await server.client(token).companies.me.query()).principal.id;
    const scope = { companyId: acme.id };

    const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    const bareToken = await new SignJWT({ sub: 'x' })
      .setProtectedHeader({ alg: 'EdDSA' })
      .setIssuedAt()
      .setExpirationTime('15m')
      .sign(privateKey);
    const bareSign = await opsPerSecond(
      () =>
        new SignJWT({ sub: 'x', jti: randomUUID() })
          .setProtectedHeader({ alg: 'EdDSA' })
          .setIssuedAt()
          .setExpirationTime('15m')
          .sign(privateKey),
      ms,
    );
    const bareVerify = await opsPerSecond(() => jwtVerify(bareToken, publicKey), ms);
    const sign = await opsPerSecond(
      () => issueAccessToken(server.deps, scope, { subject: member, ttlSeconds: 900 }),
      ms,
    );
    const firstSight = await opsPerSecond(() => {
      server.deps.tokenCache.invalidate();
      return verifyAccessToken(server.deps, token);
    }, ms);
    const repeat = await opsPerSecond(() => verifyAccessToken(server.deps, token), ms);
    return [
      figure(
        'access token sign (Tandem issuer)',
        sign,
        'tokens/s',
        'bare jose Ed25519 sign',
        bareSign,
      ),
      figure(
        'access token verify, first sight (every check and lookup)',
        firstSight,
        'tokens/s',
        'bare jose Ed25519 verify',
        bareVerify,
      ),
      figure(
        'access token verify, repeat (verified-token cache)',
        repeat,
        'tokens/s',
        'bare jose Ed25519 verify',
        bareVerify,
      ),
    ];
  } finally {
    await server.stop();
  }
}
