// The renderer started exactly as the desktop app starts it, over a real engine in this process:
// the engine's transport is the preload's `window.holdfast` and renderer/src/main.tsx itself runs
// (connect, event routing, query cache, <App/> in #root), so these tests follow whatever main.tsx
// does. Every start loads the renderer's modules afresh: the app store, the view stores, the query
// cache and any module-level cache are empty in each test, as in a newly opened window. Tests then
// drive the app through the DOM only; what main.tsx rendered is unmounted after each test.
import { createRequire } from 'node:module';
import { screen, within } from '@testing-library/react';
import userEvent, { type UserEvent } from '@testing-library/user-event';
import { afterEach, vi } from 'vitest';
import type { Root } from 'react-dom/client';
import type { Engine } from '../../electron/engine/engine';
import { transportOfEngine } from './engine-client';

const startTimeoutMs = 15_000;

export interface StartedApp {
  user: UserEvent;
}

// main.tsx calls createRoot itself; the roots it makes are kept here to be unmounted after the test
// (vitest reads an external module's exports when they are used, so the wrapper is what main.tsx gets).
const reactDomClient = createRequire(import.meta.url)('react-dom/client') as { createRoot: (...args: unknown[]) => Root };
const roots: Root[] = [];
const createRoot = reactDomClient.createRoot;
reactDomClient.createRoot = (...args: unknown[]) => {
  const root = createRoot(...args);
  roots.push(root);
  return root;
};

afterEach(() => {
  for (const root of roots.splice(0)) root.unmount();
  document.body.innerHTML = '';
  delete window.holdfast;
});

/**
 * jsdom lays nothing out: every element is 0 pixels high, so the timeline's virtual list would show
 * no rows. Its scroller gets the height the app's CSS gives it in a window (600 px, 15 rows) and the
 * height of its content (the canvas the list sizes in pixels), and `scrollTo` moves `scrollTop` as a
 * browser does (within the content) and fires `scroll`, so following the newest entry works.
 */
function layOutTimeline(): void {
  const viewport = 600;
  const isScroller = (element: Element) => element instanceof HTMLElement && element.dataset.testid === 'timeline-scroller';
  const contentHeight = (element: Element) =>
    Math.max(viewport, ...[...element.children].map((child) => (child instanceof HTMLElement ? Number.parseFloat(child.style.height) || 0 : 0)));
  const laidOut: [object, string, (element: Element) => number][] = [
    [Element.prototype, 'clientHeight', () => viewport],
    [HTMLElement.prototype, 'offsetHeight', () => viewport],
    [Element.prototype, 'scrollHeight', contentHeight],
  ];
  for (const [proto, name, height] of laidOut) {
    const jsdom = Object.getOwnPropertyDescriptor(proto, name);
    Object.defineProperty(proto, name, {
      configurable: true,
      get(this: Element) {
        return isScroller(this) ? height(this) : (jsdom?.get?.call(this) as number);
      },
    });
  }
  Element.prototype.scrollTo = function scrollTo(this: Element, options?: ScrollToOptions | number) {
    if (typeof options !== 'object' || options.top === undefined) return;
    this.scrollTop = Math.min(Math.max(0, options.top), Math.max(0, this.scrollHeight - this.clientHeight));
    this.dispatchEvent(new Event('scroll'));
  };
}
layOutTimeline();

/** Starts the app over `engine` as the desktop shell does; it opens on the incident list. */
export async function startApp(engine: Engine, options: { user?: UserEvent } = {}): Promise<StartedApp> {
  vi.resetModules();
  window.holdfast = transportOfEngine(engine);
  const root = document.createElement('div');
  root.id = 'root';
  document.body.append(root);
  await import('../../renderer/src/main');
  return { user: options.user ?? userEvent.setup() };
}

/** Starts the app and opens an incident's war room the way a person does: a click on its row in the list. */
export async function openWarRoom(engine: Engine, title: string, options: { user?: UserEvent } = {}): Promise<StartedApp> {
  const app = await startApp(engine, options);
  // The first start in a file also loads the renderer's modules: on a busy machine the list takes
  // longer than Testing Library's one-second default to appear.
  const rows = await screen.findAllByTestId('incident-row', {}, { timeout: startTimeoutMs });
  const row = rows.find((r) => within(r).queryByText(title, { exact: false }));
  if (!row) throw new Error(`no incident titled "${title}" in the list`);
  await app.user.click(row);
  await screen.findByRole('heading', { name: title }, { timeout: startTimeoutMs });
  return app;
}
