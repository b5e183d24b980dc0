// The drawer beside the timeline: one runbook execution or one evidence artifact, never both.
// Opening one brings the timeline pane back (from the palette in the updates pane).
import type { StateCreator } from 'zustand';
import type { AppState } from '../../../store';

export interface DrawerSlice {
  /** The execution shown in the run drawer. */
  openRunId: string | null;
  /** The artifact shown in the evidence drawer. */
  openArtifactId: string | null;
  setOpenRun: (runId: string | null) => void;
  setOpenArtifact: (artifactId: string | null) => void;
}

export const drawerStart = { openRunId: null, openArtifactId: null } satisfies Partial<DrawerSlice>;

export const createDrawerSlice: StateCreator<AppState, [], [], DrawerSlice> = (set) => ({
  openRunId: null,
  openArtifactId: null,
  setOpenRun: (openRunId) => set(openRunId === null ? { openRunId } : { openRunId, openArtifactId: null, warPane: 'timeline' }),
  setOpenArtifact: (openArtifactId) => set(openArtifactId === null ? { openArtifactId } : { openArtifactId, openRunId: null, warPane: 'timeline' }),
});
