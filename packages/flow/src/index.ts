export * from './types.ts';
export * from './new-session-state.ts';
export * from './current-step.ts';
export * from './decide-next-screen.ts';
export * from './check-step-action.ts';
export * from './apply-flow-event.ts';
