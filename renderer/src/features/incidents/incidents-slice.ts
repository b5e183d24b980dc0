// Incident list state and the calls that change it.
import type { StateCreator } from 'zustand';
import type { CreateIncidentRequest, Incident } from '@shared/domain/incident';
import { client } from '../../store/client-ref';
import type { AppState } from '../../store';

export interface IncidentsSlice {
  incidents: Incident[];
  isLoadingIncidents: boolean;
  incidentsError: string | null;
  /** The incident declared last from this window, highlighted in the list. */
  lastDeclaredId: string | null;
  loadIncidents: () => Promise<void>;
  declareIncident: (request: CreateIncidentRequest) => Promise<Incident>;
}

export const createIncidentsSlice: StateCreator<AppState, [], [], IncidentsSlice> = (set, get) => ({
  incidents: [],
  isLoadingIncidents: false,
  incidentsError: null,
  lastDeclaredId: null,
  loadIncidents: async () => {
    set({ isLoadingIncidents: get().incidents.length === 0 });
    try {
      const incidents = await client().call('incidents.list', {});
      set({ incidents, incidentsError: null, isLoadingIncidents: false });
    } catch (error) {
      set({ incidentsError: error instanceof Error ? error.message : String(error), isLoadingIncidents: false });
    }
  },
  declareIncident: async (request) => {
    const incident = await client().call('incidents.create', request);
    set((state) => ({
      lastDeclaredId: incident.id,
      incidents: state.incidents.some((i) => i.id === incident.id) ? state.incidents : [incident, ...state.incidents],
    }));
    return incident;
  },
});
