import { z } from 'zod';
import { deliveryStatuses, endpointStatuses } from './webhook-input.ts';

export const endpointViewSchema = z
  .object({
    id: z.string(),
    url: z.string(),
    eventTypes: z.array(z.string()),
    status: z.enum(endpointStatuses),
    failureReason: z.string().nullable().describe('Why the endpoint was marked failing'),
    cursor: z
      .string()
      .describe(
        'The last event taken from the feed, as a cursor (`after` of the feed or a replay)',
      ),
    pending: z.number().int().describe('Deliveries not yet acknowledged'),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'WebhookEndpoint' });

export const deliveryViewSchema = z
  .object({
    eventId: z.string(),
    cursor: z.string(),
    type: z.string(),
    dealId: z.string().nullable(),
    status: z.enum(deliveryStatuses),
    attempts: z.number().int(),
    lastStatusCode: z.number().int().nullable(),
    latencyMs: z.number().int().nullable().describe('Of the last attempt'),
    lastError: z.string().nullable(),
    nextAttemptAt: z.string().nullable(),
    deliveredAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'WebhookDelivery' });

export const deliveryPageSchema = z.object({
  deliveries: z.array(deliveryViewSchema),
  nextBefore: z.string().nullable().describe('Pass as `before` for older deliveries'),
});

export type EndpointView = z.output<typeof endpointViewSchema>;
export type DeliveryView = z.output<typeof deliveryViewSchema>;
export type DeliveryPage = z.output<typeof deliveryPageSchema>;
