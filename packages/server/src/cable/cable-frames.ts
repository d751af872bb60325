// Server frames of protocol §6, serialized in one place so their key order and shape never vary.
import type { CableServerFrame, Preflight } from '@tessera/protocol';

const frame = (value: CableServerFrame): string => JSON.stringify(value);

export const welcomeFrame = frame({ type: 'welcome' });
export const unauthorizedFrame = frame({ type: 'disconnect', reason: 'unauthorized', reconnect: false });
export const serverRestartFrame = frame({ type: 'disconnect', reason: 'server_restart', reconnect: true });

export const pingFrame = (unixSeconds: number): string => frame({ type: 'ping', message: unixSeconds });
export const confirmFrame = (identifier: string): string => frame({ identifier, type: 'confirm_subscription' });
export const rejectFrame = (identifier: string): string => frame({ identifier, type: 'reject_subscription' });
export const preflightFrame = (identifier: string, preflight: Preflight): string =>
  frame({ identifier, message: preflight });
