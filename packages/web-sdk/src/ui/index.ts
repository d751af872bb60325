// The Tessera screens: a framework-free UI over the headless flow driver.
export { mountFlowUi, type FlowUi, type FlowUiOptions } from './flow-ui.ts';
export { resolveLanguage, SUPPORTED_LANGUAGES, type Language } from './i18n/i18n.ts';
export type { Problem } from './screens/problem-screen.ts';
