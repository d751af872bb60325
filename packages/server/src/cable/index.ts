// The ActionCable endpoint (protocol §6).
export type { CableDeps, CableLog, CableServer } from './cable-deps.ts';
export { cableHandleProtocols } from './cable-handle-protocols.ts';
export { registerCable } from './register-cable.ts';
