// App-wide UI state: which view is open, the declare dialog, and the link to the engine.
import type { StateCreator } from 'zustand';
import type { AppInfo } from '@shared/contract';
import type { BridgeState } from '../../api/web-transport';
import type { AppState } from '../../store';

export const views = ['incidents', 'directory', 'runbooks', 'library', 'reviews', 'metrics', 'settings'] as const;
export type View = (typeof views)[number];

export type EngineLink = { kind: 'desktop' } | { kind: 'web'; state: BridgeState } | { kind: 'web-no-token' };

export interface ShellSlice {
  view: View;
  isDeclareOpen: boolean;
  link: EngineLink;
  appInfo: AppInfo | null;
  setView: (view: View) => void;
  setDeclareOpen: (isOpen: boolean) => void;
  setLink: (link: EngineLink) => void;
  setAppInfo: (info: AppInfo) => void;
}

export const createShellSlice: StateCreator<AppState, [], [], ShellSlice> = (set) => ({
  view: 'incidents',
  isDeclareOpen: false,
  link: { kind: 'desktop' },
  appInfo: null,
  // Choosing a view leaves any open war room (the incidents view then shows the list).
  setView: (view) => set({ view, openIncidentId: null }),
  setDeclareOpen: (isDeclareOpen) => set({ isDeclareOpen }),
  setLink: (link) => set({ link }),
  setAppInfo: (appInfo) => set({ appInfo }),
});
