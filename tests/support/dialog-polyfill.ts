// jsdom has <dialog> but none of its behaviour: showModal() and close() are missing, Escape does
// not close a modal dialog and focus does not move in and back out. This gives renderer tests what
// Chromium does for the parts the app relies on: `open` set and cleared, the `close` event, Escape
// firing a cancelable `cancel` and then closing, focus moved to the first autofocus (else
// focusable) element inside and given back to where it was when the dialog closes, and nothing
// inside a closed dialog taking focus (it is not rendered: React's autoFocus on mount must not
// leave the cursor in a hidden palette).
const focusable = 'input, select, textarea, button, [href], [tabindex]:not([tabindex="-1"])';
const returnFocus = new WeakMap<HTMLDialogElement, Element | null>();

function installDialogPolyfill(): void {
  const proto = HTMLDialogElement.prototype as HTMLDialogElement & { __holdfastPolyfill?: true };
  if (typeof proto.showModal === 'function' || proto.__holdfastPolyfill) return;
  proto.__holdfastPolyfill = true;

  proto.show = function show(this: HTMLDialogElement) {
    this.setAttribute('open', '');
  };
  proto.showModal = function showModal(this: HTMLDialogElement) {
    if (!this.isConnected) throw new DOMException('The dialog is not in a document', 'InvalidStateError');
    if (this.open) return;
    returnFocus.set(this, document.activeElement);
    this.setAttribute('open', '');
    this.setAttribute('data-modal', '');
    const target = this.querySelector<HTMLElement>('[autofocus]') ?? this.querySelector<HTMLElement>(focusable);
    target?.focus();
  };
  proto.close = function close(this: HTMLDialogElement, returnValue?: string) {
    if (!this.open) return;
    if (returnValue !== undefined) this.returnValue = returnValue;
    this.removeAttribute('open');
    this.removeAttribute('data-modal');
    const previous = returnFocus.get(this);
    returnFocus.delete(this);
    if (previous instanceof HTMLElement && previous.isConnected) previous.focus();
    this.dispatchEvent(new Event('close'));
  };

  const focus = HTMLElement.prototype.focus;
  HTMLElement.prototype.focus = function focusIfShown(this: HTMLElement, options?: FocusOptions) {
    if (this.closest('dialog:not([open])')) return;
    focus.call(this, options);
  };

  // Escape closes the topmost modal dialog unless its `cancel` is prevented (after the page's own
  // key handlers have run, as in a browser).
  document.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape' || event.defaultPrevented) return;
    const modals = [...document.querySelectorAll<HTMLDialogElement>('dialog[open][data-modal]')];
    const top = modals.at(-1);
    if (!top) return;
    const cancel = new Event('cancel', { cancelable: true });
    if (top.dispatchEvent(cancel)) top.close();
  });
}

installDialogPolyfill();
