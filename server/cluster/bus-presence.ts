import { z } from 'zod';
import type { Logger } from '../core/logger.ts';
import type { PresenceRelay } from '../sync/presence-relay.ts';
import { busChannels, type ClusterBus } from './bus.ts';

/** NOTIFY refuses payloads of 8000 bytes or more; presence that large is left to the clients. */
const maxPayload = 7900;

const message = z.object({
  i: z.string(),
  d: z.string(),
  u: z.string().optional(),
  q: z.literal(1).optional(),
});

/** Presence relayed over the bus: `{ i: instance, d: deal, u: awareness update | q: 1 (ask) }`. */
export function busPresence(bus: ClusterBus, logger: Logger): PresenceRelay {
  const send = (body: z.infer<typeof message>) => {
    const payload = JSON.stringify(body);
    if (payload.length > maxPayload) return;
    bus
      .publish(busChannels.presence, payload)
      .catch((error: unknown) => logger.warn({ err: error }, 'presence not relayed'));
  };
  const heard = (fn: (m: z.infer<typeof message>) => void) =>
    bus.subscribe(busChannels.presence, (payload) => {
      if (payload === undefined) return;
      let parsed: z.infer<typeof message>;
      try {
        parsed = message.parse(JSON.parse(payload));
      } catch {
        return;
      }
      if (parsed.i !== bus.instanceId) fn(parsed);
    });
  return {
    publish: (dealId, update) =>
      send({ i: bus.instanceId, d: dealId, u: Buffer.from(update).toString('base64') }),
    ask: (dealId) => send({ i: bus.instanceId, d: dealId, q: 1 }),
    onRemote: (fn) =>
      heard((m) => {
        if (m.u) fn(m.d, new Uint8Array(Buffer.from(m.u, 'base64')));
      }),
    onAsk: (fn) =>
      heard((m) => {
        if (m.q) fn(m.d);
      }),
  };
}
