// Public API of the headless flow driver: build your own UI on `createFlowDriver`, or use our screens (../ui).
export { createFlowDriver, systemClock } from './flow-driver.ts';
export { FlowError, isRetryableStatus } from './flow-error.ts';
export { fallbackInterval, isFinalScreen } from './fallback-interval.ts';
export { buildReturnUrl, verificationStatusOf, type VerificationStatus } from './return-url.ts';
export { createRestClient, requestJson, type ConsentResult, type MediaAccepted, type Processing, type RestClient, type RestClientOptions, type Verified } from './rest-client.ts';
export { createCableClient, backoffDelay, isPreflight, type CableClient, type CableClientOptions } from './cable-client.ts';
export { blobToBase64 } from './blob-to-base64.ts';
export {
  DEFAULT_FALLBACK_TIMERS,
  type Clock,
  type CodeSent,
  type ConnectionState,
  type DriverError,
  type DriverEvents,
  type FallbackTimers,
  type FinalScreen,
  type FlowDriver,
  type FlowDriverOptions,
  type WebSocketFactory,
  type WebSocketLike,
} from './types.ts';
