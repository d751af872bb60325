// phone_verification_start_screen and email_verification_start_screen: first the destination (a country picker
// and number, or an email address), then the 6-digit code with a resend countdown and the attempts left.
import type { Preflight } from '@tessera/protocol';
import type { CodeSent, DriverError } from '../../driver/types.ts';
import { actions, button, errorSlot, field, paragraph, runAction, screenShell } from '../components.ts';
import { countryOptions, dialCodeOf, guessCountry, toE164 } from '../countries.ts';
import { formatCountdown, secondsUntil } from '../countdown.ts';
import { h, replaceKids } from '../dom.ts';
import { attemptsLeftOf } from '../errors.ts';
import type { ScreenContext, ScreenView } from '../screen-context.ts';

type Kind = 'phone' | 'email';
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

interface SentState {
  destination: string;
  resendAt: string | null;
  attemptsLeft: number | null;
}

function sentFrom(extra: Record<string, unknown>): SentState | null {
  if (extra.code_sent !== true && typeof extra.destination !== 'string') return null;
  return {
    destination: typeof extra.destination === 'string' ? extra.destination : '',
    resendAt: typeof extra.resend_available_at === 'string' ? extra.resend_available_at : null,
    attemptsLeft: typeof extra.attempts_left === 'number' ? extra.attempts_left : null,
  };
}

export const phoneScreen = (ctx: ScreenContext): ScreenView => otpScreen(ctx, 'phone');
export const emailScreen = (ctx: ScreenContext): ScreenView => otpScreen(ctx, 'email');

function otpScreen(ctx: ScreenContext, kind: Kind): ScreenView {
  const { t, driver } = ctx;
  const shell = screenShell(kind === 'phone' ? 'phone_verification_start_screen' : 'email_verification_start_screen', '', { icon: kind === 'phone' ? 'phone' : 'mail' });
  let stopTimer: (() => void) | null = null;
  let phase: 'destination' | 'code' = 'destination';
  let codeView: { setAttempts(n: number | null): void; setResendAt(iso: string | null): void } | null = null;
  let lastDestination = '';
  /** What the last code was sent to, as typed (the server only echoes a masked form): a resend reuses it. */
  let lastSent: { value: string; country?: string } | null = null;

  function setTitle(text: string, focus: boolean): void {
    shell.heading.textContent = text;
    if (focus) shell.heading.focus();
  }

  function showDestination(focus: boolean): void {
    stopTimer?.();
    phase = 'destination';
    codeView = null;
    setTitle(t(kind === 'phone' ? 'phone.title' : 'email.title'), focus);
    const slot = errorSlot(t);
    const form = h('form', { class: 'tsr-stack', novalidate: true, 'data-testid': `${kind}-form` });
    const send = button(t(kind === 'phone' ? 'phone.send' : 'email.send'), { type: 'submit', testid: `${kind}-send` });
    let read: () => { value: string; country?: string } | null;
    let invalid: () => void;
    let controls: (HTMLInputElement | HTMLSelectElement)[];

    if (kind === 'phone') {
      const country = h('select', { class: 'tsr-input', autocomplete: 'tel-country-code', 'data-testid': 'phone-country' });
      const chosen = guessCountry(typeof navigator === 'undefined' ? [] : navigator.languages ?? [], t.language);
      for (const c of countryOptions(t.language)) {
        country.append(h('option', { value: c.code, selected: c.code === chosen }, `${c.name} (+${c.dial})`));
      }
      const number = h('input', { class: 'tsr-input', type: 'tel', inputmode: 'tel', autocomplete: 'tel-national', required: true, 'data-testid': 'phone-number' });
      if (lastDestination) number.value = lastDestination;
      const countryField = field(t('phone.country'), country);
      const numberField = field(t('phone.number'), number);
      form.append(h('div', { class: 'tsr-row' }, countryField.el, numberField.el));
      controls = [country, number];
      read = () => {
        const e164 = toE164(number.value, dialCodeOf(country.value) ?? '');
        numberField.setError(e164 ? null : t('phone.invalid'));
        if (!e164) number.focus();
        lastDestination = number.value;
        return e164 ? { value: e164, country: country.value } : null;
      };
      invalid = () => {
        numberField.setError(t('phone.invalid'));
        number.focus();
      };
    } else {
      const email = h('input', { class: 'tsr-input', type: 'email', inputmode: 'email', autocomplete: 'email', spellcheck: 'false', autocapitalize: 'off', required: true, 'data-testid': 'email-address' });
      if (lastDestination) email.value = lastDestination;
      const emailField = field(t('email.address'), email);
      form.append(emailField.el);
      controls = [email];
      read = () => {
        const value = email.value.trim();
        const ok = EMAIL.test(value) && value.length <= 254;
        emailField.setError(ok ? null : t('email.invalid'));
        if (!ok) email.focus();
        lastDestination = value;
        return ok ? { value } : null;
      };
      invalid = () => {
        emailField.setError(t('email.invalid'));
        email.focus();
      };
    }
    form.append(slot.el, actions(send));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const input = read();
      if (!input) return;
      let sent: CodeSent | null = null;
      void runAction(
        async () => {
          sent = kind === 'phone' ? await driver.sendPhoneCode(input.value, input.country) : await driver.sendEmailCode(input.value);
        },
        {
          controls: [...controls, send],
          busy: send,
          busyLabel: t('common.sending'),
          slot,
          t,
          onError: (error) => {
            if (error.type !== 'validation_error' && error.type !== 'invalid_request') return false;
            invalid();
            return true;
          },
        },
      ).then((ok) => {
        if (!ok || !sent) return;
        lastSent = input;
        showCode({ destination: sent.destination, resendAt: sent.resend_available_at, attemptsLeft: null }, true);
      });
    });
    shell.body.replaceChildren(paragraph(t(kind === 'phone' ? 'phone.hint' : 'email.hint')), form);
  }

  function showCode(state: SentState, focus: boolean): void {
    stopTimer?.();
    phase = 'code';
    setTitle(t(kind === 'phone' ? 'code.titlePhone' : 'code.titleEmail'), false);
    const slot = errorSlot(t);
    const code = h('input', {
      class: 'tsr-input tsr-code-input',
      type: 'text',
      inputmode: 'numeric',
      autocomplete: 'one-time-code',
      pattern: '[0-9]*',
      maxlength: 6,
      required: true,
      spellcheck: 'false',
      'data-testid': 'otp-code',
    });
    const codeField = field(t('code.label'), code);
    const attempts = h('p', { class: 'tsr-meta', 'data-testid': 'otp-attempts', hidden: true });
    const verify = button(t('code.verify'), { type: 'submit', testid: 'otp-verify' });
    const resend = button(t('code.resend'), { variant: 'ghost', testid: 'otp-resend' });
    const change = button(t(kind === 'phone' ? 'code.changePhone' : 'code.changeEmail'), { variant: 'ghost', testid: 'otp-change', onClick: () => showDestination(true) });
    const countdown = h('p', { class: 'tsr-meta', 'data-testid': 'otp-countdown' });
    const form = h('form', { class: 'tsr-stack', novalidate: true, 'data-testid': 'otp-form' });

    const setAttempts = (n: number | null) => {
      attempts.hidden = n === null;
      attempts.textContent = n === null ? '' : t.plural('code.attemptsLeft', n);
    };
    let resendAt = state.resendAt;
    let timer: ReturnType<typeof setInterval> | null = null;
    const tick = () => {
      const left = secondsUntil(resendAt, Date.now());
      resend.disabled = left > 0;
      countdown.textContent = left > 0 ? t('code.resendIn', { time: formatCountdown(left) }) : t('code.resendReady');
      if (left <= 0 && timer !== null) {
        clearInterval(timer);
        timer = null;
        ctx.announce(t('code.resendReady'));
      }
    };
    const setResendAt = (iso: string | null) => {
      resendAt = iso;
      if (timer === null && secondsUntil(resendAt, Date.now()) > 0) timer = setInterval(tick, 1000);
      tick();
    };
    stopTimer = () => {
      if (timer !== null) clearInterval(timer);
      timer = null;
    };
    setAttempts(state.attemptsLeft);
    setResendAt(state.resendAt);

    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const value = code.value.replace(/\s/g, '');
      if (!/^\d{6}$/.test(value)) {
        codeField.setError(t('code.invalidFormat'));
        code.focus();
        return;
      }
      codeField.setError(null);
      void runAction(() => (kind === 'phone' ? driver.checkPhoneCode(value) : driver.checkEmailCode(value)), {
        controls: [code, verify, resend, change],
        busy: verify,
        busyLabel: t('common.working'),
        slot,
        t,
        onError: (error: DriverError) => {
          if (error.type !== 'validation_error') return false;
          const left = attemptsLeftOf(error);
          setAttempts(null); // said in the field's error instead, once
          codeField.setError(left === null ? t('code.wrong') : `${t('code.wrong')} ${t.plural('code.attemptsLeft', left)}`);
          code.value = '';
          queueMicrotask(() => code.focus());
          return true;
        },
      }).then(() => tick());
    });
    resend.addEventListener('click', () => {
      const target = lastSent;
      // After a reload we only know the masked destination: ask for it again.
      if (!target) return showDestination(true);
      let sent: CodeSent | null = null;
      void runAction(
        async () => {
          sent = kind === 'phone' ? await driver.sendPhoneCode(target.value, target.country) : await driver.sendEmailCode(target.value);
        },
        { controls: [code, verify, resend, change], busy: resend, busyLabel: t('common.sending'), slot, t },
      ).then((ok) => {
        if (ok && sent) {
          setResendAt(sent.resend_available_at);
          setAttempts(null);
          ctx.announce(t('code.resent'));
        } else tick();
      });
    });

    form.append(codeField.el, attempts, slot.el, actions(verify), h('div', { class: 'tsr-resend' }, countdown, h('div', { class: 'tsr-inline-actions' }, resend, change)));
    replaceKids(shell.body, state.destination ? paragraph(t('code.sentTo', { destination: state.destination })) : null, form);
    codeView = { setAttempts, setResendAt };
    ctx.announce(state.destination ? t('code.sentTo', { destination: state.destination }) : shell.heading.textContent ?? '');
    if (focus) code.focus();
  }

  const initial = sentFrom(ctx.preflight.extra_data);
  if (initial) showCode(initial, false);
  else showDestination(false);

  return {
    root: shell.root,
    update(preflight: Preflight) {
      const sent = sentFrom(preflight.extra_data);
      if (sent && phase === 'destination') showCode(sent, true);
      else if (sent && codeView) {
        if (sent.attemptsLeft !== null) codeView.setAttempts(sent.attemptsLeft);
        if (sent.resendAt) codeView.setResendAt(sent.resendAt);
      }
      return true;
    },
    destroy: () => stopTimer?.(),
  };
}
