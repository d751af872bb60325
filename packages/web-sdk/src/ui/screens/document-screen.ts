// scan_id_document_front_screen / scan_id_document_back_screen: pick the document type (front only), capture
// with the camera (auto-capture when asked) or upload a file when allowed, review, retake or send.
// Loaded on demand: the camera code is not part of the initial bundle.
import type { DocumentType } from '@tessera/protocol';
import { createCameraPanel, cameraProblemView, type CameraPanel, type Guide } from '../capture/camera-panel.ts';
import type { CameraProblem } from '../capture/camera-constraints.ts';
import { actions, button, errorSlot, paragraph, reasonsNotice, runAction, screenShell } from '../components.ts';
import { h, uid } from '../dom.ts';
import type { MessageKey } from '../i18n/i18n.ts';
import { icon } from '../icons.ts';
import { sameCapture } from '../capture/same-capture.ts';
import type { ScreenContext, ScreenView } from '../screen-context.ts';
import { filePicker, reviewPreview } from './file-input.ts';

const ALL_TYPES: DocumentType[] = ['passport', 'id_card', 'drivers_license', 'residence_permit'];

export function documentScreen(ctx: ScreenContext): ScreenView {
  const { t, preflight, driver } = ctx;
  const show = preflight.screen.show;
  const side: 'front' | 'back' = show === 'scan_id_document_back_screen' ? 'back' : 'front';
  const params = preflight.screen.parameters;
  const known = preflight.entity_id_document_type !== 'unknown' ? (preflight.entity_id_document_type as DocumentType) : null;
  let accepted = ALL_TYPES;
  let documentType: DocumentType | null = known;
  const shell = screenShell(show, '');
  const notice = reasonsNotice(t, preflight.extra_data.reasons);
  const content = h('div', { class: 'tsr-stack' });
  const pickSlot = errorSlot(t);
  shell.body.append(...(notice ? [notice] : []), pickSlot.el, content);
  let panel: CameraPanel | null = null;
  let previewUrl: string | null = null;
  const picker = params.allow_manual_upload ? filePicker({ t, accept: 'image/jpeg,image/png,image/webp,application/pdf', maxMb: ctx.maxUploadMb, testid: 'upload-input', onFile: (file) => review(file, true), onReject: (text) => pickSlot.show(text) }) : null;

  const captureTitle = (): string => (side === 'back' ? t('doc.title.back') : documentType === 'passport' ? t('doc.title.passport') : t('doc.title.front'));
  const guide = (): Guide => (documentType === 'passport' ? 'passport' : 'card');

  function phase(title: string, focus: boolean, ...children: (Node | null)[]): void {
    panel?.stop();
    panel = null;
    pickSlot.clear();
    shell.heading.textContent = title;
    content.replaceChildren(...children.filter((c): c is Node => c !== null));
    if (focus) shell.heading.focus();
  }

  function choose(focus: boolean, problem?: string): void {
    const slot = errorSlot(t);
    const legendId = uid('legend');
    const group = h('div', { class: 'tsr-choices' });
    for (const type of accepted) {
      const id = uid('doc');
      group.append(
        h(
          'label',
          { class: 'tsr-choice', for: id },
          h('input', { type: 'radio', name: 'document_type', value: type, id, checked: type === documentType, 'data-testid': `doc-type-${type}` }),
          icon(type === 'passport' ? 'passport' : 'id', 'tsr-choice-icon'),
          h('span', { class: 'tsr-choice-text' }, h('span', { class: 'tsr-choice-title' }, t(`doc.type.${type}` as MessageKey)), h('span', { class: 'tsr-choice-hint' }, t(type === 'passport' ? 'doc.typeHint.passport' : 'doc.typeHint.card'))),
        ),
      );
    }
    const next = button(t('common.continue'), { type: 'submit', testid: 'doc-type-continue' });
    const form = h(
      'form',
      { class: 'tsr-stack', 'data-testid': 'doc-type-form' },
      h('fieldset', { class: 'tsr-fieldset' }, h('legend', { class: 'tsr-label', id: legendId }, t('doc.choose.legend')), group),
      slot.el,
      actions(next),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const picked = form.querySelector<HTMLInputElement>('input[name="document_type"]:checked');
      if (!picked) return slot.show(t('error.documentType'));
      documentType = picked.value as DocumentType;
      capture(true);
    });
    phase(t('doc.choose.title'), focus, paragraph(t('doc.choose.hint')), form);
    if (problem) slot.show(problem);
  }

  function capture(focus: boolean): void {
    const instructions = paragraph(side === 'back' ? t('doc.instructionsBack') : t('doc.instructions'));
    const live = createCameraPanel({
      t,
      parameters: params,
      guide: guide(),
      announce: ctx.announce,
      onCapture: (photo) => review(photo, false),
      onProblem: (problem) => cameraProblem(problem),
    });
    const extra = h(
      'div',
      { class: 'tsr-inline-actions tsr-center' },
      picker ? button(t('doc.upload'), { variant: 'ghost', icon: 'upload', testid: 'upload-open', onClick: () => picker.open() }) : null,
      side === 'front' && known === null ? button(t('common.back'), { variant: 'ghost', testid: 'doc-type-change', onClick: () => choose(true) }) : null,
    );
    phase(captureTitle(), focus, instructions, live.el, extra, picker?.input ?? null);
    panel = live;
    void live.start();
  }

  function cameraProblem(problem: CameraProblem): void {
    const view = cameraProblemView(t, problem, { retry: () => capture(true), upload: picker ? () => picker.open() : null, handoff: ctx.handoff });
    phase(captureTitle(), false, view, picker?.input ?? null);
    view.querySelector<HTMLElement>('h2')?.focus();
    ctx.announce(view.querySelector('h2')?.textContent ?? '');
  }

  function review(photo: Blob, fromFile: boolean): void {
    const slot = errorSlot(t);
    if (previewUrl) URL.revokeObjectURL(previewUrl);
    const preview = reviewPreview(t, photo);
    previewUrl = preview.url;
    const use = button(t('doc.review.use'), { testid: 'review-use' });
    const retake = button(fromFile && picker ? t('proof.remove') : t('doc.review.retake'), { variant: 'secondary', testid: 'review-retake', onClick: () => (fromFile && picker ? picker.open() : capture(true)) });
    use.addEventListener('click', () => {
      void runAction(() => driver.uploadDocument(side, photo, side === 'front' ? (documentType ?? undefined) : undefined), {
        controls: [use, retake],
        busy: use,
        busyLabel: t('common.sending'),
        slot,
        t,
        onError: (error) => {
          const allowed = error.details?.accepted_document_types;
          if (error.type !== 'validation_error' || !Array.isArray(allowed) || side !== 'front') return false;
          accepted = ALL_TYPES.filter((type) => allowed.includes(type));
          if (accepted.length === 0) accepted = ALL_TYPES;
          documentType = null;
          choose(true, t('error.documentType'));
          return true;
        },
      });
    });
    phase(t('doc.review.title'), true, paragraph(t('doc.review.hint')), preview.el, slot.el, actions(use, retake), picker?.input ?? null);
  }

  if (side === 'front' && documentType === null) choose(false);
  else capture(false);

  return {
    root: shell.root,
    update: (next) => sameCapture(preflight, next),
    destroy() {
      panel?.stop();
      if (previewUrl) URL.revokeObjectURL(previewUrl);
    },
  };
}
