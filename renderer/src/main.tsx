// Start-up: connect to the engine, route its events into the query cache (data/invalidation.ts),
// render the app.
import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { connect } from './api';
import { App } from './app';
import { createQueryClient, engineQueries, rereadAll } from './data/query-client';
import { useStore } from './store';
import { setClient } from './store/client-ref';
import './styles.css';

const store = useStore.getState();
let wasConnected = false;
const target = connect((state) => {
  store.setLink({ kind: 'web', state });
  // Events may have been missed while the bridge was away: read again.
  if (state === 'connected' && wasConnected) {
    rereadAll();
  }
  if (state === 'connected') wasConnected = true;
});

if (target.kind === 'web-no-token') {
  store.setLink({ kind: 'web-no-token' });
} else {
  if (target.kind === 'desktop') store.setLink({ kind: 'desktop' });
  setClient(target.client);
  // Makes the cache and routes every engine event into the invalidation table.
  engineQueries();
  void target.client.call('app.info', {}).then(store.setAppInfo, () => undefined);
}

const queries = target.kind === 'web-no-token' ? createQueryClient() : engineQueries();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queries}>
      <App />
    </QueryClientProvider>
  </StrictMode>,
);
