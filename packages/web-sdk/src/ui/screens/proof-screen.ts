// proof_of_address_screen and proof_of_funds_screen: a file (PDF or image, by picker or drop) or a photo
// taken with the camera (loaded only if asked for), then send.
import type { FundsType } from '@tessera/protocol';
import { actions, button, errorSlot, field, paragraph, reasonsNotice, runAction, screenShell } from '../components.ts';
import { h } from '../dom.ts';
import type { MessageKey } from '../i18n/i18n.ts';
import { sameCapture } from '../capture/same-capture.ts';
import type { ScreenContext, ScreenView } from '../screen-context.ts';
import { dropZone, filePicker, reviewPreview } from './file-input.ts';

const FUNDS_TYPES: FundsType[] = ['bank_statement', 'payslip', 'tax_return', 'other'];

export const addressScreen = (ctx: ScreenContext): ScreenView => proofScreen(ctx, 'address');
export const fundsScreen = (ctx: ScreenContext): ScreenView => proofScreen(ctx, 'funds');

function proofScreen(ctx: ScreenContext, kind: 'address' | 'funds'): ScreenView {
  const { t, preflight, driver } = ctx;
  const params = preflight.screen.parameters;
  const prefix = kind === 'address' ? 'poa' : 'pof';
  const shell = screenShell(preflight.screen.show, params.title ?? t(`${prefix}.title` as MessageKey), { icon: kind === 'address' ? 'home' : 'wallet' });
  const slot = errorSlot(t);
  const content = h('div', { class: 'tsr-stack' });
  let stopCamera: (() => void) | null = null;
  let previewUrl: string | null = null;
  const picker = filePicker({ t, accept: 'image/jpeg,image/png,image/webp,application/pdf', maxMb: ctx.maxUploadMb, testid: 'proof-file-input', onFile: (file) => selected(file), onReject: (text) => slot.show(text) });

  let fundsType: HTMLSelectElement | null = null;
  if (kind === 'funds') {
    fundsType = h('select', { class: 'tsr-input', 'data-testid': 'funds-type' }, FUNDS_TYPES.map((f) => h('option', { value: f }, t(`pof.type.${f}` as MessageKey))));
  }
  shell.body.append(
    ...[reasonsNotice(t, preflight.extra_data.reasons), paragraph(params.text ?? t(`${prefix}.hint` as MessageKey)), fundsType ? field(t('pof.typeLabel'), fundsType).el : null, content, slot.el, picker.input].filter((n): n is HTMLElement => n !== null),
  );

  function cleanup(): void {
    stopCamera?.();
    stopCamera = null;
    if (previewUrl) URL.revokeObjectURL(previewUrl);
    previewUrl = null;
  }

  function choose(focusFirst: boolean): void {
    cleanup();
    slot.clear();
    const zone = dropZone(t, picker, ctx.maxUploadMb);
    const photo = button(t('proof.photo'), { variant: 'secondary', icon: 'camera', testid: 'proof-camera', onClick: () => void camera() });
    content.replaceChildren(zone, h('div', { class: 'tsr-inline-actions tsr-center' }, photo));
    if (focusFirst) zone.focus();
  }

  async function camera(): Promise<void> {
    cleanup();
    slot.clear();
    const { createCameraPanel, cameraProblemView } = await import('../capture/camera-panel.ts');
    const back = button(t('common.back'), { variant: 'ghost', testid: 'proof-camera-back', onClick: () => choose(true) });
    const panel = createCameraPanel({
      t,
      parameters: { camera: params.camera, camera_quality: params.camera_quality, autocapture: false },
      guide: 'page',
      announce: ctx.announce,
      onCapture: (blob) => selected(new File([blob], 'photo.jpg', { type: 'image/jpeg' })),
      onProblem: (problem) => {
        const view = cameraProblemView(t, problem, { retry: () => void camera(), upload: () => choose(true), handoff: ctx.handoff });
        content.replaceChildren(view);
        view.querySelector<HTMLElement>('h2')?.focus();
      },
    });
    stopCamera = () => panel.stop();
    content.replaceChildren(panel.el, h('div', { class: 'tsr-inline-actions tsr-center' }, back));
    await panel.start();
  }

  function selected(file: File): void {
    cleanup();
    slot.clear();
    const preview = reviewPreview(t, file);
    previewUrl = preview.url;
    const send = button(t('proof.submit'), { testid: 'proof-submit' });
    const other = button(t('proof.remove'), { variant: 'secondary', testid: 'proof-remove', onClick: () => choose(true) });
    send.addEventListener('click', () => {
      const controls = [send, other, ...(fundsType ? [fundsType] : [])];
      void runAction(() => (kind === 'address' ? driver.uploadAddress(file) : driver.uploadFunds(file, (fundsType?.value as FundsType | undefined) ?? undefined)), {
        controls,
        busy: send,
        busyLabel: t('common.sending'),
        slot,
        t,
      });
    });
    content.replaceChildren(h('p', { class: 'tsr-meta', role: 'status' }, t('proof.selected', { name: file.name })), preview.el, actions(send, other));
    send.focus();
  }

  choose(false);
  return { root: shell.root, update: (next) => sameCapture(preflight, next), destroy: cleanup };
}
