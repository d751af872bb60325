// ActionCable frames of protocol §6.
import { z } from 'zod';

export const CABLE_CHANNEL = 'BynnKycChannel';
export const CABLE_SUBPROTOCOLS = ['actioncable-v1-json', 'actioncable-v1-ext-json'] as const;
export const CABLE_PING_INTERVAL_MS = 3000;

export const cableClientCommand = z.object({
  command: z.enum(['subscribe', 'unsubscribe', 'message']),
  identifier: z.string().max(1000),
  data: z.string().max(10_000).optional(),
});
export type CableClientCommand = z.infer<typeof cableClientCommand>;

/** `identifier` is itself JSON: `{"channel":"BynnKycChannel", …}`. */
export const cableIdentifier = z.object({ channel: z.string() }).loose();
export const cableActionData = z.object({ action: z.string() }).loose();

export type CableServerFrame =
  | { type: 'welcome' }
  | { type: 'ping'; message: number }
  | { type: 'disconnect'; reason: string; reconnect: boolean }
  | { type: 'confirm_subscription' | 'reject_subscription'; identifier: string }
  | { identifier: string; message: unknown };
