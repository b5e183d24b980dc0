// Watching the browser notifications a page shows, in real Chromium with the permission granted:
// `recordNotifications` (an init script) wraps the page's Notification so each one constructed is
// recorded, while the real one is still called (its 'show' event is Chromium's word that it put the
// notification on screen, its 'close' event that it took it away). A test can click one the way a
// person does, and sees whether the page asked for its window to come to the front.
import type { Page } from '@playwright/test';

export interface Shown {
  title: string;
  body: string;
  tag: string;
}

interface Recorder {
  shownNotifications: Shown[];
  displayedNotifications: string[];
  closedNotifications: string[];
  focusCalls: number;
  clickNotification(tag: string): void;
}

/** Records every Notification the page constructs, then lets the browser's own show it. Pass to page.addInitScript. */
export function recordNotifications(): void {
  const Real = window.Notification;
  const byTag = new Map<string, Notification>();
  const recorder: Recorder = {
    shownNotifications: [],
    displayedNotifications: [],
    closedNotifications: [],
    focusCalls: 0,
    clickNotification: (tag) => {
      const notification = byTag.get(tag);
      if (!notification) throw new Error(`no notification with tag ${tag} was shown`);
      notification.dispatchEvent(new Event('click'));
    },
  };
  Object.assign(window, { notificationRecorder: recorder });
  class Recorded extends Real {
    constructor(title: string, options?: NotificationOptions) {
      const tag = options?.tag ?? '';
      recorder.shownNotifications.push({ title, body: options?.body ?? '', tag });
      super(title, options);
      byTag.set(tag, this);
      this.addEventListener('show', () => recorder.displayedNotifications.push(tag));
      this.addEventListener('close', () => recorder.closedNotifications.push(tag));
    }
  }
  Object.defineProperty(Recorded, 'permission', { get: () => Real.permission });
  Object.defineProperty(Recorded, 'requestPermission', { value: Real.requestPermission.bind(Real) });
  window.Notification = Recorded;
  const focus = window.focus.bind(window);
  window.focus = () => {
    recorder.focusCalls += 1;
    focus();
  };
}

/** What the page has shown so far: each notification, the tags Chromium displayed ('show') and took away ('close'), and how often it asked for the window's focus. */
export function recordedIn(page: Page): Promise<{ shown: Shown[]; displayed: string[]; closed: string[]; focusCalls: number }> {
  return page.evaluate(() => {
    const r = (window as unknown as { notificationRecorder: Recorder }).notificationRecorder;
    return { shown: r.shownNotifications, displayed: r.displayedNotifications, closed: r.closedNotifications, focusCalls: r.focusCalls };
  });
}

/** The notifications the page constructed, in order. */
export const shownIn = async (page: Page) => (await recordedIn(page)).shown;

/** Clicks the notification with this tag, as a person clicking it on their desktop does. */
export const clickNotification = (page: Page, tag: string) =>
  page.evaluate((t) => (window as unknown as { notificationRecorder: Recorder }).notificationRecorder.clickNotification(t), tag);
