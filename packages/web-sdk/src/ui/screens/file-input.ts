// Choosing a file: a hidden native input opened by our buttons or a drop zone, checked for type and size before
// anything is sent (the server decides by magic bytes anyway), and a preview for the review step.
import { h } from '../dom.ts';
import type { Translator } from '../i18n/i18n.ts';
import { icon } from '../icons.ts';

const ALLOWED = ['image/jpeg', 'image/png', 'image/webp', 'application/pdf'];
const EXTENSIONS = /\.(jpe?g|png|webp|pdf)$/i;

export interface FilePickerOptions {
  t: Translator;
  accept: string;
  maxMb: number;
  testid: string;
  onFile(file: File): void;
  onReject(message: string): void;
}

export interface FilePicker {
  input: HTMLInputElement;
  open(): void;
  /** Checks and hands on a file from a drop or the input. */
  take(file: File | null | undefined): void;
}

/** Whether a file looks like one we take: by its declared type, or by its name when the browser gives no type. */
export function acceptableFile(file: { type: string; name: string }): boolean {
  return file.type ? ALLOWED.includes(file.type) : EXTENSIONS.test(file.name);
}

export function filePicker(options: FilePickerOptions): FilePicker {
  const { t } = options;
  const input = h('input', { type: 'file', accept: options.accept, class: 'tsr-visually-hidden', tabindex: -1, 'aria-hidden': 'true', 'data-testid': options.testid });
  const take = (file: File | null | undefined) => {
    if (!file) return;
    if (!acceptableFile(file)) return options.onReject(t('error.unsupported'));
    if (file.size > options.maxMb * 1024 * 1024) return options.onReject(t('error.tooLarge'));
    options.onFile(file);
  };
  input.addEventListener('change', () => {
    take(input.files?.[0]);
    input.value = '';
  });
  return { input, open: () => input.click(), take };
}

/** A drop zone that is also a button: keyboard and screen-reader users get the same file dialog. */
export function dropZone(t: Translator, picker: FilePicker, maxMb: number): HTMLElement {
  const zone = h(
    'button',
    { type: 'button', class: 'tsr-drop', 'data-testid': 'drop-zone', onclick: () => picker.open() },
    icon('upload', 'tsr-drop-icon'),
    h('span', { class: 'tsr-drop-title' }, t('proof.choose')),
    h('span', { class: 'tsr-drop-hint' }, t('proof.drop')),
    h('span', { class: 'tsr-drop-formats' }, t('proof.formats', { size: maxMb })),
  );
  zone.addEventListener('dragover', (event) => {
    event.preventDefault();
    zone.classList.add('tsr-drop-over');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('tsr-drop-over'));
  zone.addEventListener('drop', (event) => {
    event.preventDefault();
    zone.classList.remove('tsr-drop-over');
    picker.take(event.dataTransfer?.files?.[0]);
  });
  return zone;
}

export function formatBytes(bytes: number, language: string): string {
  const units = ['B', 'KB', 'MB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toLocaleString(language, { maximumFractionDigits: unit === 0 ? 0 : 1 })} ${units[unit]}`;
}

/** The image itself, or for a PDF a file card with its name and size. `url` must be revoked by the caller. */
export function reviewPreview(t: Translator, blob: Blob): { el: HTMLElement; url: string | null } {
  const name = blob instanceof File ? blob.name : '';
  if (blob.type.startsWith('image/')) {
    const url = URL.createObjectURL(blob);
    return { el: h('figure', { class: 'tsr-preview' }, h('img', { src: url, alt: t('doc.review.alt'), 'data-testid': 'review-image' })), url };
  }
  return {
    el: h('div', { class: 'tsr-file-card', 'data-testid': 'review-file' }, icon('file', 'tsr-file-icon'), h('div', null, h('p', { class: 'tsr-file-name' }, name ? t('doc.review.file', { name }) : 'PDF'), h('p', { class: 'tsr-meta' }, formatBytes(blob.size, t.language)))),
    url: null,
  };
}
