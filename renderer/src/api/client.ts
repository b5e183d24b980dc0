// The renderer's typed client over whichever transport hosts the engine (preload or web bridge).
// Calls resolve to the response or throw ApiError with the engine's code and message.
import type { CallName, EventName, Events, Request, Response, TransportApi } from '@shared/contract';
import { ApiError, type Result } from '@shared/errors';

export interface Client {
  call<K extends CallName>(name: K, request: Request<K>): Promise<Response<K>>;
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void;
}

export function createClient(transport: TransportApi): Client {
  return {
    async call(name, request) {
      // Indexing the transport by a generic name loses the pairing of request and response types.
      const invoke = transport[name] as unknown as (req: unknown) => Promise<Result<unknown>>;
      const result = await invoke(request);
      if (!result.ok) throw new ApiError(result.error.code, result.error.message);
      return result.value as Response<typeof name>;
    },
    on: (event, listener) => transport.on(event, listener),
  };
}
