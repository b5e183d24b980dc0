// What the artifact's state means and what comes next, in a sentence.
import type { Artifact } from '@shared/domain/evidence';

export function StateExplanation({ artifact: a }: { artifact: Artifact }) {
  switch (a.state) {
    case 'planned':
      return <p className="small artifact-state-text">Not collected yet. Start collecting to tell the others you are on it.</p>;
    case 'collecting':
      return <p className="small artifact-state-text">Being collected. Record the collection with its hash when it is done.</p>;
    case 'collected':
      return <p className="small artifact-state-text">Collected. Verify a stored copy against the recorded hash.</p>;
    case 'verified':
      return <p className="small artifact-state-text">Collected, and a copy verified against the recorded hash.</p>;
    case 'waived':
      return (
        <p className="small artifact-state-text" data-testid="artifact-waived">
          Waived{a.approvedBy ? `, approved by ${a.approvedBy}` : ''}: {a.reason}
        </p>
      );
    case 'failed':
      return (
        <p className="small artifact-state-text artifact-failed" data-testid="artifact-failed">
          Collection failed: {a.reason}
        </p>
      );
  }
}
