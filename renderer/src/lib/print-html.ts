// Printing an HTML document the engine rendered (a report, a custody form) from a browser, where the
// print dialog's "Save as PDF" makes the PDF. Nothing in the document runs: the app's
// Content-Security-Policy (script-src 'self', style-src 'self') governs a document opened from a
// Blob URL or a srcdoc frame too, as they inherit the policy of the page that made them. The same
// policy refuses inline <style>, so the document's rules are taken out of the text (a <style> ends
// at its first </style, as in the HTML parser) and adopted as a constructed style sheet, which the
// policy does not govern.

/** The document without its <style> elements, and their rules. */
export function splitStyles(html: string): { html: string; rules: string } {
  const rules: string[] = [];
  const without = html.replace(/<style\b[^>]*>([\s\S]*?)<\/style\s*>/gi, (_match, css: string) => {
    rules.push(css);
    return '';
  });
  return { html: without, rules: rules.join('\n') };
}

function adoptRules(view: Window, rules: string): void {
  const doc = view.document;
  try {
    // Made with the other window's own constructor: a document adopts only sheets constructed for it.
    const sheet = new (view as Window & typeof globalThis).CSSStyleSheet();
    sheet.replaceSync(rules);
    doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, sheet];
  } catch {
    // A browser without constructed style sheets prints the document unstyled.
  }
}

/** Resolves once `view` shows the document at `url` in full; rejects if it is closed or never does. */
function whenLoaded(view: Window, url: string, timeoutMs = 15_000): Promise<void> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const check = () => {
      try {
        if (view.closed) return reject(new Error('The report window was closed before it could be printed.'));
        if (view.location.href === url && view.document.readyState === 'complete') return resolve();
      } catch {
        // Not reachable yet (still the initial document): try again.
      }
      if (Date.now() - started > timeoutMs) return reject(new Error('The report did not open for printing; download it and print it instead.'));
      setTimeout(check, 50);
    };
    check();
  });
}

/**
 * Opens the document in a new window or tab from a Blob URL and calls print() on it, so the person
 * sees the report and gets the print dialog (Save as PDF). Where a new window may not be opened
 * (a pop-up blocker, the desktop app), it is printed from a hidden frame in this page instead.
 */
export async function printHtml(html: string, title: string): Promise<'window' | 'frame'> {
  const { html: body, rules } = splitStyles(html);
  const url = URL.createObjectURL(new Blob([body], { type: 'text/html;charset=utf-8' }));
  const view = window.open(url, '_blank');
  if (!view) {
    URL.revokeObjectURL(url);
    await printInFrame(html, title);
    return 'frame';
  }
  try {
    await whenLoaded(view, url);
    adoptRules(view, rules);
    view.focus();
    view.print();
  } finally {
    // The window keeps its document; the URL is freed a little later (a reload would need it).
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }
  return 'window';
}

// ---------------------------------------------------------------------------------------------
// A hidden frame

let printFrame: HTMLIFrameElement | null = null;

export function removePrintFrame(): void {
  printFrame?.remove();
  printFrame = null;
}

/**
 * Opens the print dialog on a document without showing or running it: a hidden iframe whose
 * sandbox has no allow-scripts (allow-same-origin only so this page may call print on it,
 * allow-modals because print is a modal).
 */
export function printInFrame(html: string, title: string): Promise<void> {
  removePrintFrame();
  const { html: withoutStyles, rules } = splitStyles(html);
  const frame = document.createElement('iframe');
  frame.setAttribute('sandbox', 'allow-same-origin allow-modals');
  frame.setAttribute('aria-hidden', 'true');
  frame.tabIndex = -1;
  frame.title = title;
  Object.assign(frame.style, { position: 'fixed', left: '-10000px', top: '0', width: '800px', height: '600px', border: '0' });
  printFrame = frame;
  return new Promise((resolve, reject) => {
    frame.addEventListener(
      'load',
      () => {
        const view = frame.contentWindow;
        if (!view || !frame.contentDocument) {
          reject(new Error('The browser did not open the document for printing; download it and print it instead.'));
          return;
        }
        adoptRules(view, rules);
        try {
          view.addEventListener('afterprint', () => (printFrame === frame ? removePrintFrame() : frame.remove()), { once: true });
          view.focus();
          view.print();
          resolve();
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      },
      { once: true },
    );
    frame.srcdoc = withoutStyles;
    document.body.append(frame);
  });
}
