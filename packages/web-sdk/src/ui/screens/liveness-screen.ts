// liveness_screen: tips, then the camera; fetch a single-use challenge (`driver.startLiveness`), prompt each move
// in plain words with an animated arrow (and read it out), take `frame_count` frames spread over the moves,
// and send them (`driver.completeLiveness`). Loaded on demand with the camera code.
import type { LivenessStarted } from '@tessera/protocol';
import { CameraUnavailable, openCamera, type Camera } from '../capture/camera.ts';
import { cameraProblemView } from '../capture/camera-panel.ts';
import { planLivenessFrames } from '../capture/liveness-plan.ts';
import { actions, button, errorSlot, paragraph, reasonsNotice, runAction, screenShell, spinner } from '../components.ts';
import { h } from '../dom.ts';
import { asDriverError } from '../errors.ts';
import type { MessageKey } from '../i18n/i18n.ts';
import { icon } from '../icons.ts';
import { sameCapture } from '../capture/same-capture.ts';
import type { ScreenContext, ScreenView } from '../screen-context.ts';

const CENTER_MS = 1500;
const MOVE_MS = 2600;
const FRAME_WIDTH = 480;

type Move = LivenessStarted['challenge']['sequence'][number];

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function livenessScreen(ctx: ScreenContext): ScreenView {
  const { t, preflight, driver } = ctx;
  const params = preflight.screen.parameters;
  const shell = screenShell('liveness_screen', params.title ?? t('live.title'), { icon: 'face' });
  const content = h('div', { class: 'tsr-stack' });
  shell.body.append(...[reasonsNotice(t, preflight.extra_data.reasons), content].filter((n): n is HTMLElement => n !== null));
  let camera: Camera | null = null;
  let cancelled = false;

  function stopCamera(): void {
    camera?.stop();
    camera = null;
  }

  function intro(focus: boolean, error?: string): void {
    stopCamera();
    shell.root.classList.remove('tsr-capturing');
    const slot = errorSlot(t);
    const start = button(t('live.start'), { icon: 'camera', testid: 'liveness-start', onClick: () => void run() });
    content.replaceChildren(
      paragraph(params.text ?? t('live.intro')),
      h('ul', { class: 'tsr-checklist' }, (['live.tip.light', 'live.tip.face', 'live.tip.frame'] as MessageKey[]).map((k) => h('li', null, icon('check'), h('span', null, t(k))))),
      slot.el,
      actions(start),
    );
    if (error) slot.show(error);
    if (focus) shell.heading.focus();
  }

  async function run(): Promise<void> {
    const video = h('video', { class: 'tsr-video tsr-mirror', autoplay: true, muted: true, playsinline: true, 'aria-label': t('camera.preview'), 'data-testid': 'camera-video' });
    const arrow = h('div', { class: 'tsr-arrow', 'aria-hidden': 'true' }, icon('arrow', 'tsr-arrow-icon'));
    const prompt = h('p', { class: 'tsr-prompt', 'data-testid': 'liveness-prompt' }, t('live.preparing'));
    const progress = h('p', { class: 'tsr-meta tsr-center', 'data-testid': 'liveness-progress' });
    const stage = h('div', { class: 'tsr-stage tsr-stage-face' }, video, h('div', { class: 'tsr-oval', 'aria-hidden': 'true' }), arrow, h('div', { class: 'tsr-stage-loading' }, spinner()));
    content.replaceChildren(stage, prompt, progress);
    shell.root.classList.add('tsr-capturing');
    try {
      const opened = await openCamera(video, { camera: params.camera, camera_quality: params.camera_quality });
      if (cancelled) return opened.stop();
      camera = opened;
    } catch (error) {
      if (cancelled) return;
      const problem = error instanceof CameraUnavailable ? error.problem : 'unsupported';
      const view = cameraProblemView(t, problem, { retry: () => void run(), upload: null, handoff: ctx.handoff });
      content.replaceChildren(view);
      view.querySelector<HTMLElement>('h2')?.focus();
      return;
    }
    stage.querySelector('.tsr-stage-loading')?.remove();
    let started: LivenessStarted;
    try {
      started = await driver.startLiveness();
    } catch (raw) {
      const error = asDriverError(raw);
      if (error.type === 'session_gone' || cancelled) return;
      return intro(true, t(error.type === 'network_error' ? 'error.network' : error.type === 'rate_limited' ? 'error.rateLimited' : 'error.generic'));
    }
    const moves = started.challenge.sequence;
    const plan = planLivenessFrames(moves.length, started.challenge.frame_count, MOVE_MS);
    const frames: Blob[] = [];

    const say = (text: string, move: Move | 'center') => {
      prompt.textContent = text;
      prompt.dataset.move = move;
      arrow.className = `tsr-arrow tsr-arrow-${move}`;
      ctx.announce(text);
    };
    say(t('live.center'), 'center');
    await sleep(CENTER_MS);
    for (let i = 0; i < moves.length; i++) {
      if (cancelled || !camera) return;
      const move = moves[i]!;
      say(t(`live.move.${move}` as MessageKey), move);
      progress.textContent = t('live.progress', { current: i + 1, total: moves.length });
      const moveStart = performance.now();
      for (const slot of plan.filter((p) => p.move === i)) {
        await sleep(Math.max(0, slot.atMs - (performance.now() - moveStart)));
        if (cancelled || !camera) return;
        frames.push(await camera.grab({ maxWidth: FRAME_WIDTH, quality: 0.8 }));
      }
      await sleep(Math.max(0, MOVE_MS - (performance.now() - moveStart)));
    }
    stopCamera();
    send(started.liveness_id, frames);
  }

  function send(livenessId: string, frames: Blob[]): void {
    const slot = errorSlot(t);
    const again = button(t('live.start'), { variant: 'secondary', testid: 'liveness-restart', onClick: () => void run() });
    again.hidden = true;
    content.replaceChildren(spinner(t('live.done')), slot.el, actions(again));
    ctx.announce(t('live.done'));
    void runAction(() => driver.completeLiveness(livenessId, frames), {
      controls: [again],
      slot,
      t,
      onError: (error) => {
        // A used or expired challenge can't be sent again: offer a fresh one.
        if (error.retryable) return false;
        again.hidden = false;
        slot.show(error);
        return true;
      },
    });
  }

  intro(false);
  return {
    root: shell.root,
    update: (next) => sameCapture(preflight, next),
    destroy() {
      cancelled = true;
      stopCamera();
    },
  };
}
