// The war room's error banner: a one-click action, a search or a report the engine refused, shown
// until dismissed or until another incident is opened. (A room that cannot be read says so from
// its query, not here.)
import type { StateCreator } from 'zustand';
import type { AppState } from '../../../store';

export interface BannerSlice {
  roomError: string | null;
  /** Shows what went wrong (an Error's message, or the value as text). */
  showRoomError: (error: unknown) => void;
  dismissRoomError: () => void;
}

export const bannerStart = { roomError: null } satisfies Partial<BannerSlice>;

export const createBannerSlice: StateCreator<AppState, [], [], BannerSlice> = (set) => ({
  ...bannerStart,
  showRoomError: (error) => set({ roomError: error instanceof Error ? error.message : String(error) }),
  dismissRoomError: () => set({ roomError: null }),
});
