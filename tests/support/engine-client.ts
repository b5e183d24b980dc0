// The renderer's typed client over a real engine in this process: calls go through the same
// dispatch as Electron's IPC and the web bridge (schema-checked, errors as {code, message}), and
// the engine's events reach `on` listeners. Component tests set it as the renderer's client.
import { transportCalls, type TransportApi } from '@shared/contract';
import { createDispatch } from '@shared/rpc';
import type { Engine } from '../../electron/engine/engine';
import { createClient, type Client } from '../../renderer/src/api/client';

export function clientOfEngine(engine: Engine): Client {
  return createClient(transportOfEngine(engine));
}

/** The transport itself, as the desktop preload hands it to the renderer (`window.holdfast`). */
export function transportOfEngine(engine: Engine): TransportApi {
  const dispatch = createDispatch(engine.handlers);
  return {
    ...transportCalls((name, request) => dispatch(name, request)),
    on: (event, listener) =>
      engine.onEvent((name, payload) => {
        if ((name as string) === event) (listener as (p: unknown) => void)(payload);
      }),
  };
}
