// The bus port and its adapters.
export type { Bus, BusErrorHandler, SessionChange, SessionChangeHandler } from './bus.ts';
export { createMemoryBus, type MemoryBusOptions } from './memory-bus.ts';
export { createPgBus, PG_BUS_DEFAULT_CHANNEL, PG_NOTIFY_MAX_PAYLOAD_BYTES, type PgBusOptions } from './pg-bus.ts';
export { createRedisBus, REDIS_BUS_DEFAULT_CHANNEL, type RedisBusOptions } from './redis-bus.ts';
