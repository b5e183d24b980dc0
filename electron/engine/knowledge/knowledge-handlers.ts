// The review's "as seen by" call (reviews.knowledge): what this replica holds of an incident's
// entries and receipts (knowledge-store), handed to the pure computation in shared/domain/knowledge.
import type { Handlers } from '@shared/contract';
import { computeKnowledge, KnowledgeError } from '@shared/domain/knowledge';
import { ApiError } from '@shared/errors';
import type { KnowledgeStore } from './knowledge-store';

export function knowledgeHandlers({ store }: { store: KnowledgeStore }): Pick<Handlers, 'reviews.knowledge'> {
  return {
    'reviews.knowledge': (request) => {
      const input = store.inputOf(request.incidentId);
      if (input === undefined) throw new ApiError('not_found', `There is no incident ${request.incidentId} on this laptop.`);
      try {
        return computeKnowledge(input, request);
      } catch (error) {
        if (error instanceof KnowledgeError) throw new ApiError('bad_request', error.message);
        throw error;
      }
    },
  };
}
