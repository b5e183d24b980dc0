// Loading an evidence bundle into a replica (`holdfast evidence import`): the request and what it
// answers. The engine checks the bundle (files, ops, custody chains, signature) before it writes
// anything, so the command line can send the bundle to a running app.
import { z } from 'zod';

/** The largest bundle accepted through a call, in bytes (as the bundle reader's own limit). */
export const maxBundleCallBytes = 512 * 1024 * 1024;

export const importBundleRequest = z
  .object({
    /** The bundle ZIP, base64. */
    bundle: z
      .string({ error: 'must be the bundle, base64' })
      .min(1, { error: 'must not be empty' })
      .max(Math.ceil(maxBundleCallBytes / 3) * 4, { error: 'is larger than any bundle Holdfast writes' }),
    /** Accept a bundle unsigned or signed by an uncertified device key (said in the report). */
    allowUnsigned: z.boolean({ error: 'must be true or false' }).default(false),
  })
  .strict();

export interface BundleOpOutcome {
  opId: string | null;
  status: string;
  reason: string;
}

export interface BundleImportReport {
  /** False when the bundle did not verify: nothing was written, `problems` say why. */
  ok: boolean;
  problems: string[];
  /** Refused only because it is unsigned or signed by an uncertified device key: allowUnsigned would import it. */
  refusedOnlyAsUnsigned: boolean;
  incidentId: string | null;
  /** Who signed the bundle, in one line. */
  signatureLine: string;
  /** How the ops' signatures were checked, in one line. */
  trustSummary: string;
  accepted: number;
  duplicates: number;
  /** Held or refused (delivery records kept as evidence only are counted apart). */
  notApplied: BundleOpOutcome[];
  rejected: BundleOpOutcome[];
  evidenceOnly: number;
}
