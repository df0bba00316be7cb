import { webhookJwsType } from '../../shared/webhooks/webhook-delivery.ts';
import type { Deps } from '../deps.ts';

/**
 * A detached compact JWS (`<protected>..<signature>`) over the body, with the deployment's key:
 * the receiver puts the base64url of the body it got between the dots and verifies.
 */
export async function signDelivery(
  deps: Deps<'db' | 'deploymentKey'>,
  body: string,
): Promise<string> {
  const jws = await deps.deploymentKey.sign(deps.db, { payload: body, typ: webhookJwsType });
  const [protectedHeader, , signature] = jws.split('.');
  return `${protectedHeader}..${signature}`;
}
