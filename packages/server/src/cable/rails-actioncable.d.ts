// The part of @rails/actioncable (which ships no types) that the cable tests drive.
declare module '@rails/actioncable' {
  export interface SubscriptionMixin {
    connected?(details: { reconnected: boolean }): void;
    disconnected?(details: { willAttemptReconnect: boolean }): void;
    received?(data: unknown): void;
    rejected?(): void;
  }
  export interface Subscription {
    readonly identifier: string;
    perform(action: string, data?: object): boolean;
    unsubscribe(): void;
  }
  export interface Consumer {
    readonly subscriptions: { create(channel: string | object, mixin?: SubscriptionMixin): Subscription };
    connect(): boolean;
    disconnect(): void;
  }
  export function createConsumer(url?: string): Consumer;
  /** Replaceable globals: tests under Node 20 set `WebSocket` to the `ws` class. */
  export const adapters: { WebSocket: unknown; logger: unknown };
}
