// The /demo integrator page (embedded mode only): a form that launches a sandbox verification with the launcher
// and the public key the server put in `data-public-key`, then shows what the callbacks reported.
import { launch } from '../launcher/index.ts';
import type { LaunchErrorEvent, VerificationEvent } from '../launcher/index.ts';

const root = document.getElementById('tessera-demo');
const form = document.getElementById('demo-form') as HTMLFormElement | null;
const result = document.getElementById('demo-result');
const log = document.getElementById('demo-log');
const outcome = document.getElementById('demo-outcome');
const submit = form?.querySelector<HTMLButtonElement>('button[type="submit"]') ?? null;

const OUTCOMES: Record<string, { text: string; tone: string }> = {
  start: { text: 'Verification in progress…', tone: 'info' },
  complete: { text: 'Submitted: the applicant sent everything. The decision follows by webhook.', tone: 'success' },
  successful: { text: 'Approved.', tone: 'success' },
  rejected: { text: 'Rejected.', tone: 'danger' },
  cancel: { text: 'Cancelled by the applicant.', tone: 'neutral' },
  timeout: { text: 'The session expired.', tone: 'neutral' },
  error: { text: 'Something went wrong (see the log).', tone: 'danger' },
};

function note(text: string): void {
  if (!log) return;
  const item = document.createElement('li');
  const time = document.createElement('time');
  time.textContent = new Date().toLocaleTimeString();
  item.append(time, document.createTextNode(` ${text}`));
  log.append(item);
}

function show(status: string, sessionId: string | null): void {
  if (!result || !outcome) return;
  const look = OUTCOMES[status] ?? OUTCOMES.error!;
  result.hidden = false;
  outcome.textContent = look.text;
  outcome.dataset.tone = look.tone;
  outcome.dataset.status = status;
  if (sessionId) result.dataset.sessionId = sessionId;
}

function value(name: string): string {
  const field = form?.elements.namedItem(name);
  return field instanceof HTMLInputElement || field instanceof HTMLSelectElement ? field.value.trim() : '';
}

form?.addEventListener('submit', (event) => {
  event.preventDefault();
  const publicKey = root?.dataset.publicKey ?? '';
  const [first, ...rest] = value('name').split(/\s+/).filter(Boolean);
  const phone = value('phone').replace(/[\s()-]/g, '');
  const on = (status: string) => (e: VerificationEvent) => {
    note(`${status} · session ${e.sessionId}`);
    show(status, e.sessionId);
  };
  if (submit) submit.disabled = true;
  note('creating a sandbox session…');
  void launch({
    publicKey,
    apiBaseUrl: window.location.origin,
    kycLevel: value('level') || 'basic',
    applicant: {
      first_name: first ?? '',
      last_name: rest.join(' '),
      email_address: value('email'),
      phone_number: phone,
      i18n: value('language') || 'en',
    },
    onStart: on('start'),
    onComplete: on('complete'),
    onSuccessful: on('successful'),
    onRejected: on('rejected'),
    onCancel: on('cancel'),
    onTimeout: on('timeout'),
    onError: (e: LaunchErrorEvent) => {
      note(`error · ${e.error.type}: ${e.error.message}`);
      show('error', e.sessionId);
    },
  })
    .then((handle) => {
      if (handle) note(`opened session ${handle.sessionId} (${handle.mode})`);
    })
    .finally(() => {
      if (submit) submit.disabled = false;
    });
});

// Back from a redirect (phones): the hosted page sends the applicant here with ?session_id=…&status=….
const back = new URLSearchParams(window.location.search);
if (back.get('session_id') && back.get('status')) {
  note(`returned · ${back.get('status')} · session ${back.get('session_id')}`);
  show(back.get('status')!, back.get('session_id'));
}
