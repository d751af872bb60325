// Public API of the launcher: `launch` for integrators, plus its pure parts for those who frame the page themselves.
export { launch } from './launch.ts';
export { createSession, defaultReturnUrl, sessionRequestBody, sessionRequestHeaders, type CreatedSession, type CreateSessionInput } from './create-session.ts';
export { frameUrl, isFromFrame, parseEmbedMessage, reactionTo, type EmbedMessage, type Reaction } from './embed-message.ts';
export { shouldRedirect } from './should-redirect.ts';
export type {
  ApplicantFields,
  EmbedStatus,
  LaunchCallbacks,
  LaunchErrorEvent,
  LaunchHandle,
  LaunchMode,
  LaunchOptions,
  VerificationEvent,
} from './types.ts';
