// The viewfinder: live video under a guide frame, a status line, the shutter button and (when the level asks
// for it) auto-capture once the frame inside the guide is steady and sharp. Also the camera-problem view.
import type { ScreenParameters } from '@tessera/protocol';
import { actions, button, paragraph, screenShell, spinner } from '../components.ts';
import { h } from '../dom.ts';
import type { MessageKey, Translator } from '../i18n/i18n.ts';
import { CameraUnavailable, openCamera, type Camera } from './camera.ts';
import type { CameraProblem } from './camera-constraints.ts';
import { createAutoCapture, type FrameHint } from './frame-quality.ts';

export type Guide = 'card' | 'passport' | 'page';
const ASPECT: Record<Guide, number> = { card: 1.586, passport: 1.42, page: 0.75 };
const SAMPLE_EVERY_MS = 150;
const SAMPLE_WIDTH = 192;

export interface CameraPanelOptions {
  t: Translator;
  parameters: Pick<ScreenParameters, 'camera' | 'camera_quality' | 'autocapture'>;
  guide: Guide;
  announce(message: string): void;
  onCapture(photo: Blob): void;
  onProblem(problem: CameraProblem): void;
}

export interface CameraPanel {
  el: HTMLElement;
  start(): Promise<void>;
  stop(): void;
}

const HINT_TEXT: Partial<Record<FrameHint, MessageKey>> = {
  moving: 'doc.status.moving',
  blurry: 'doc.status.blurry',
  dark: 'reason.too_dark',
  steady: 'doc.status.steady',
  ready: 'doc.status.steady',
};

export function createCameraPanel(options: CameraPanelOptions): CameraPanel {
  const { t } = options;
  const auto = options.parameters.autocapture;
  const video = h('video', { class: 'tsr-video', autoplay: true, muted: true, playsinline: true, 'aria-label': t('camera.preview'), 'data-testid': 'camera-video' });
  const frame = h('div', { class: `tsr-guide tsr-guide-${options.guide}`, 'aria-hidden': 'true' }, h('span', { class: 'tsr-corner tsr-c1' }), h('span', { class: 'tsr-corner tsr-c2' }), h('span', { class: 'tsr-corner tsr-c3' }), h('span', { class: 'tsr-corner tsr-c4' }));
  const loading = h('div', { class: 'tsr-stage-loading' }, spinner(t('camera.starting')));
  const stage = h('div', { class: 'tsr-stage' }, video, frame, loading);
  const status = h('p', { class: 'tsr-status', 'data-testid': 'camera-status' }, auto ? t('doc.auto') : '');
  const shutter = button(t('doc.capture'), { icon: 'camera', testid: 'capture-button', onClick: () => void take() });
  shutter.disabled = true;
  const el = h('div', { class: 'tsr-camera', 'data-autocapture': String(auto) }, stage, status, actions(shutter));

  let camera: Camera | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  /** Bumped by every start and stop: a camera that opens after a newer start/stop is released at once. */
  let generation = 0;
  let taking = false;
  const detector = createAutoCapture();

  async function take(): Promise<void> {
    if (!camera || taking) return;
    taking = true;
    shutter.disabled = true;
    stage.classList.add('tsr-flash');
    try {
      const photo = await camera.grab();
      options.announce(t('doc.status.captured'));
      stop();
      options.onCapture(photo);
    } catch {
      taking = false;
      shutter.disabled = false;
    }
  }

  function tick(): void {
    timer = null;
    if (!camera || taking) return;
    const frameSample = camera.sample(SAMPLE_WIDTH, 0.8, ASPECT[options.guide]);
    if (frameSample) {
      const result = detector.push(frameSample.gray, frameSample.width, frameSample.height);
      const key = HINT_TEXT[result.hint];
      status.textContent = key ? t(key) : t('doc.auto');
      frame.classList.toggle('tsr-guide-ok', result.hint === 'steady' || result.hint === 'ready');
      if (result.ready) return void take();
    }
    timer = setTimeout(tick, SAMPLE_EVERY_MS);
  }

  async function start(): Promise<void> {
    stop();
    const mine = ++generation;
    taking = false;
    detector.reset();
    loading.hidden = false;
    let opened: Camera;
    try {
      opened = await openCamera(video, options.parameters);
    } catch (error) {
      if (mine !== generation) return;
      loading.hidden = true;
      options.onProblem(error instanceof CameraUnavailable ? error.problem : 'unsupported');
      return;
    }
    if (mine !== generation) return opened.stop();
    camera = opened;
    loading.hidden = true;
    shutter.disabled = false;
    if (auto) timer = setTimeout(tick, 600);
  }

  function stop(): void {
    generation++;
    if (timer !== null) clearTimeout(timer);
    timer = null;
    camera?.stop();
    camera = null;
  }

  return { el, start, stop };
}

export interface ProblemActions {
  retry: () => void;
  upload?: (() => void) | null;
  handoff?: (() => void) | null;
}

/** Camera denied, missing, busy or unsupported: what happened, what to do, and the ways around it. */
export function cameraProblemView(t: Translator, problem: CameraProblem, act: ProblemActions): HTMLElement {
  const shell = screenShell('camera-problem', t(`camera.${problem}.title` as MessageKey), { icon: problem === 'missing' ? 'camera' : 'alert', tone: 'warning' });
  shell.root.removeAttribute('data-screen');
  shell.root.dataset.panel = 'camera-problem';
  shell.root.dataset.problem = problem;
  // Inside another screen: a sub-heading, not a second h1.
  const h2 = h('h2', { class: shell.heading.className, id: shell.heading.id, tabindex: -1 }, shell.heading.textContent ?? '');
  shell.heading.replaceWith(h2);
  const primaryIsPhone = problem === 'missing' || problem === 'unsupported';
  const phone = act.handoff ? button(t('handoff.offer'), { variant: primaryIsPhone ? 'primary' : 'secondary', icon: 'qr', testid: 'handoff-open', onClick: act.handoff }) : null;
  const upload = act.upload ? button(t('camera.upload'), { variant: 'secondary', icon: 'upload', testid: 'camera-upload', onClick: act.upload }) : null;
  const retry = problem === 'missing' ? null : button(t('camera.retry'), { variant: primaryIsPhone ? 'secondary' : 'primary', icon: 'camera', testid: 'camera-retry', onClick: act.retry });
  shell.body.append(paragraph(t(`camera.${problem}.body` as MessageKey), 'tsr-text tsr-center'), actions(...(primaryIsPhone ? [phone, upload, retry] : [retry, upload, phone])));
  return shell.root;
}

