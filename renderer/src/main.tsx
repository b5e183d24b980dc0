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
  if (state === 'connected' && wasConnected) void useStore.getState().loadIncidents();
  if (state === 'connected') wasConnected = true;
});

if (target.kind === 'web-no-token') {
  store.setLink({ kind: 'web-no-token' });
} else {
  if (target.kind === 'desktop') store.setLink({ kind: 'desktop' });
  setClient(target.client);
  target.client.on('incidents.changed', () => void useStore.getState().loadIncidents());
  target.client.on('sync.status', (status) => useStore.getState().setSync(status));
  void store.loadIncidents();
  void store.loadSync().catch(() => undefined);
  void target.client.call('app.info', {}).then(store.setAppInfo, () => undefined);
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
