// The modal that frames the hosted page: an accessible dialog (role, aria-modal, a label, focus kept inside,
// Esc closes, the page behind inert) around an iframe allowed to use the camera. Styles are set through the CSSOM,
// which a strict style-src CSP on the integrator's page still permits (unlike a <style> element or style="").

export interface Modal {
  readonly iframe: HTMLIFrameElement;
  /** The hosted page's content size (§7 `resize`); the dialog never grows past the viewport. */
  resize(width: number, height: number): void;
  /** Removes the dialog and gives focus and the page back. Idempotent. */
  close(): void;
}

export interface ModalOptions {
  title: string;
  /** The applicant dismissed the dialog (Esc or the close button). */
  onDismiss(): void;
  document?: Document;
}

let modalCount = 0;

export function openModal(url: string, options: ModalOptions): Modal {
  const doc = options.document ?? document;
  const previousFocus = doc.activeElement instanceof HTMLElement ? doc.activeElement : null;
  const titleId = `tessera-launch-title-${(modalCount += 1)}`;

  const overlay = doc.createElement('div');
  Object.assign(overlay.style, {
    position: 'fixed', inset: '0', zIndex: '2147483000', display: 'flex', alignItems: 'center', justifyContent: 'center',
    background: 'rgba(0, 0, 0, 0.6)',
  });
  const dialog = doc.createElement('div');
  dialog.setAttribute('role', 'dialog');
  dialog.setAttribute('aria-modal', 'true');
  dialog.setAttribute('aria-labelledby', titleId);
  dialog.tabIndex = -1;
  Object.assign(dialog.style, {
    position: 'relative', display: 'flex', flexDirection: 'column', width: 'min(560px, calc(100vw - 32px))',
    height: 'min(760px, calc(100vh - 32px))', background: '#fff', borderRadius: '12px', overflow: 'hidden',
    boxShadow: '0 12px 40px rgba(0, 0, 0, 0.35)',
  });
  const title = doc.createElement('h2');
  title.id = titleId;
  title.textContent = options.title;
  // Visually hidden, still read by screen readers: the hosted page shows its own heading.
  Object.assign(title.style, { position: 'absolute', width: '1px', height: '1px', overflow: 'hidden', clip: 'rect(0 0 0 0)', whiteSpace: 'nowrap', margin: '0' });
  const close = doc.createElement('button');
  close.type = 'button';
  close.setAttribute('aria-label', `Close ${options.title.toLowerCase()}`);
  close.textContent = '×';
  Object.assign(close.style, {
    position: 'absolute', top: '8px', right: '8px', width: '44px', height: '44px', border: '0', borderRadius: '22px',
    background: '#1f2937', color: '#fff', fontSize: '24px', lineHeight: '1', cursor: 'pointer', zIndex: '1',
  });
  const iframe = doc.createElement('iframe');
  iframe.src = url;
  iframe.title = options.title;
  iframe.setAttribute('allow', 'camera; microphone'); // the flow captures documents and a face (§7)
  Object.assign(iframe.style, { border: '0', width: '100%', height: '100%', flex: '1 1 auto' });
  dialog.append(title, close, iframe);
  overlay.append(dialog);

  // Everything else on the page becomes inert, so focus and screen readers stay in the dialog.
  const madeInert: HTMLElement[] = [];
  for (const child of Array.from(doc.body.children)) {
    if (child instanceof HTMLElement && !child.inert) {
      child.inert = true;
      madeInert.push(child);
    }
  }
  const overflow = doc.body.style.overflow;
  doc.body.style.overflow = 'hidden';
  doc.body.append(overlay);

  let closed = false;
  const dismiss = (): void => {
    if (closed) return;
    modal.close();
    options.onDismiss();
  };
  const onKeyDown = (event: KeyboardEvent): void => {
    if (event.key === 'Escape') {
      event.preventDefault();
      dismiss();
    } else if (event.key === 'Tab') {
      // Two stops, the close button and the frame. Keys pressed inside the frame never reach this page, so a Tab
      // seen here comes from the button (or the dialog itself): either way the next stop is the frame.
      event.preventDefault();
      iframe.focus();
    }
  };
  // Anything that still lands focus on the page behind (scripts, assistive tech) is brought back into the dialog.
  const onFocusIn = (event: FocusEvent): void => {
    if (event.target instanceof Node && !overlay.contains(event.target)) close.focus();
  };
  doc.addEventListener('keydown', onKeyDown, true);
  doc.addEventListener('focusin', onFocusIn, true);
  close.addEventListener('click', dismiss);
  iframe.focus();

  const modal: Modal = {
    iframe,
    resize(width, height) {
      if (width > 0) dialog.style.width = `min(${Math.ceil(width)}px, calc(100vw - 32px))`;
      if (height > 0) dialog.style.height = `min(${Math.ceil(height)}px, calc(100vh - 32px))`;
    },
    close() {
      if (closed) return;
      closed = true;
      doc.removeEventListener('keydown', onKeyDown, true);
      doc.removeEventListener('focusin', onFocusIn, true);
      overlay.remove();
      for (const element of madeInert) element.inert = false;
      doc.body.style.overflow = overflow;
      previousFocus?.focus();
    },
  };
  return modal;
}
