// Start-up: connect to the engine, route its events into the store, render the app.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { connect } from './api';
import { App } from './app';
import { useStore } from './store';
import { setClient } from './store/client-ref';
import './styles.css';

const store = useStore.getState();
let wasConnected = false;
const target = connect((state) => {
  store.setLink({ kind: 'web', state });
  // Events may have been missed while the bridge was away: read again.
  if (state === 'connected' && wasConnected) {
    void useStore.getState().loadIncidents();
    void useStore.getState().loadRoom();
    useStore.getState().bumpTimeline();
  }
  if (state === 'connected') wasConnected = true;
});

if (target.kind === 'web-no-token') {
  store.setLink({ kind: 'web-no-token' });
} else {
  if (target.kind === 'desktop') store.setLink({ kind: 'desktop' });
  setClient(target.client);
  target.client.on('incidents.changed', ({ incidentId }) => {
    const state = useStore.getState();
    void state.loadIncidents();
    if (incidentId === state.openIncidentId) void state.loadRoom();
  });
  target.client.on('timeline.changed', ({ incidentId }) => {
    if (incidentId === useStore.getState().openIncidentId) useStore.getState().bumpTimeline();
  });
  target.client.on('stream.changed', ({ streamId }) => {
    if (streamId === 'org') void useStore.getState().loadRoom();
  });
  target.client.on('sync.status', (status) => {
    const state = useStore.getState();
    const pendingBefore = state.sync.peers.map((p) => `${p.pending}/${p.refused}`).join();
    state.setSync(status);
    // Writes acknowledged by a peer are no longer pending, refusals resolved are gone: show it on the timeline.
    const pendingNow = useStore
      .getState()
      .sync.peers.map((p) => `${p.pending}/${p.refused}`)
      .join();
    if (state.openIncidentId && pendingBefore !== pendingNow) state.bumpTimeline();
  });
  void store.loadIncidents();
  void store.loadSync().catch(() => undefined);
  void target.client.call('app.info', {}).then(store.setAppInfo, () => undefined);
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
