// Webhook endpoints (protocol §4.13) and the envelope of protocol §9.
import { z } from 'zod';
import { eventType } from './events.ts';

export const webhookEndpointCreate = z.object({
  url: z.url({ protocol: /^https?$/ }).max(2000),
  /** Event types to receive; absent or ['*'] means all. */
  events: z.array(z.union([eventType, z.literal('*')])).min(1).max(64).optional(),
  description: z.string().max(500).optional(),
}).strict();
export type WebhookEndpointCreate = z.infer<typeof webhookEndpointCreate>;

export const webhookEndpoint = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(z.string()),
  description: z.string().nullable(),
  mode: z.enum(['live', 'sandbox']),
  created_at: z.string(),
});
export type WebhookEndpoint = z.infer<typeof webhookEndpoint>;

export const webhookEnvelope = z.object({
  event_id: z.string(),
  event_type: z.string(),
  created_at: z.string(),
  resource: z.record(z.string(), z.unknown()),
  organization: z.object({ id: z.string(), name: z.string() }),
});
export type WebhookEnvelope = z.infer<typeof webhookEnvelope>;

export const webhookDelivery = z.object({
  id: z.string(),
  event_id: z.string(),
  event_type: z.string(),
  status: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.array(z.object({ at: z.string(), status_code: z.number().int().nullable(), error: z.string().nullable(), duration_ms: z.number().int() })),
  next_attempt_at: z.string().nullable(),
  created_at: z.string(),
});
export type WebhookDelivery = z.infer<typeof webhookDelivery>;
