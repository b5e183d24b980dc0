// The incident list's UI state: which incident was declared last from this window (highlighted in
// the list). The list itself is engine data, read through ./incident-queries.
import type { StateCreator } from 'zustand';
import type { CreateIncidentRequest, Incident } from '@shared/domain/incident';
import type { AppState } from '../../store';
import { createIncident } from './incident-queries';

export interface IncidentsSlice {
  lastDeclaredId: string | null;
  /** Declares an incident, shows it in the list and highlights it there. */
  declareIncident: (request: CreateIncidentRequest) => Promise<Incident>;
}

export const createIncidentsSlice: StateCreator<AppState, [], [], IncidentsSlice> = (set) => ({
  lastDeclaredId: null,
  declareIncident: async (request) => {
    const incident = await createIncident(request);
    set({ lastDeclaredId: incident.id });
    return incident;
  },
});
