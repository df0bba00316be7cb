import { z } from 'zod';
import { eventTypePattern } from './event-types.ts';

export const endpointStatuses = ['active', 'paused', 'failing'] as const;
export const deliveryStatuses = ['pending', 'delivered', 'failed'] as const;

const url = z
  .string()
  .trim()
  .max(2000)
  .pipe(z.url({ protocol: /^https?$/, error: 'an http(s) URL' }))
  .describe('Where events are POSTed; must not resolve to a private address');
const eventTypes = z
  .array(z.string().regex(eventTypePattern, 'an event type, a prefix ending in .*, or *').max(200))
  .min(1)
  .max(50)
  .transform((t) => [...new Set(t)])
  .describe('Event types to send: `opportunity.updated`, `opportunity.*` or `*`');

export const createEndpointInput = z.strictObject({
  url,
  eventTypes: eventTypes.default(['*']),
  status: z.enum(['active', 'paused']).default('active'),
});

export const endpointIdInput = z.strictObject({ id: z.string().min(1).max(100) });

export const updateEndpointInput = z.strictObject({
  id: z.string().min(1).max(100),
  url: url.optional(),
  eventTypes: eventTypes.optional(),
  status: z
    .enum(['active', 'paused'])
    .optional()
    .describe('`active` also resumes a failing endpoint: its failed deliveries are retried'),
});

export const replayInput = z.strictObject({
  id: z.string().min(1).max(100),
  after: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .describe(
      'Redeliver every event after this cursor (from the feed or a delivery), as the change feed ' +
        'gives them; leave out to redeliver from the start',
    ),
});

export const deliveriesInput = z.strictObject({
  id: z.string().min(1).max(100),
  status: z.enum(deliveryStatuses).optional(),
  before: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .describe('Page backwards: deliveries of events before this cursor (`nextBefore`)'),
  limit: z.number().int().min(1).max(500).default(50),
});
