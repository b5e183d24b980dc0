// One evidence artifact in a drawer over the war room's side column, like a runbook execution: what
// it is and where it comes from, what can be done in its state (start collecting, record the
// collection with a hash Holdfast computes or a tool declared, verify a copy, waive, fail), the
// collection record, and its append-only chain of custody with corrections linked to what they
// correct. Hashing runs in the engine on the machine it runs on; the drawer only shows the progress,
// and cancels a job of its own when its form or the drawer closes. One component per file in this
// folder; this one picks the open artifact and closes the drawer on Escape.
import { useEffect, useMemo } from 'react';
import { useStore } from '../../../store';
import { useOpenEvidence } from '../war-room-queries';
import { ArtifactDrawer } from './artifact-drawer';
import '../evidence.css';
import '../runbook-run.css';

export function EvidenceArtifactView({ me }: { me: string }) {
  const openArtifactId = useStore((s) => s.openArtifactId);
  const evidence = useOpenEvidence().value;
  const artifact = evidence?.artifacts.find((a) => a.id === openArtifactId);
  const custody = evidence?.custody;
  const setOpenArtifact = useStore((s) => s.setOpenArtifact);
  const events = useMemo(() => (custody ?? []).filter((e) => e.artifactId === openArtifactId), [custody, openArtifactId]);

  // Escape closes the drawer, unless it is closing a dialog opened over it.
  useEffect(() => {
    if (!openArtifactId) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape' && !event.defaultPrevented && !document.querySelector('dialog[open]')) setOpenArtifact(null);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [openArtifactId, setOpenArtifact]);

  if (!openArtifactId || !artifact) return null;
  return <ArtifactDrawer key={artifact.id} artifact={artifact} events={events} me={me} onClose={() => setOpenArtifact(null)} />;
}
