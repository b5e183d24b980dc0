// Reading a picked evidence bundle for the `evidence.importBundle` call: its bytes as base64, within
// what a call may carry (the contract's largest request body, and the bundle schema's own limit).
// Bigger bundles are imported with the command line, which reads the file where it lies.
import { maxRequestBytes } from '@shared/contract';
import { importBundleRequest, maxBundleCallBytes, type BundleImportReport } from '@shared/domain/bundle-import';
import { formatBytes } from '../war-room/evidence-actions';

/** Room in the request body for everything but the base64 (the JSON around it). */
const envelopeBytes = 256;

/** The largest bundle file the app takes in one call: its base64 and the JSON around it fit the request limit. */
export const maxBundleFileBytes = Math.min(maxBundleCallBytes, Math.floor((maxRequestBytes - envelopeBytes) / 4) * 3);

/** Why this file cannot be sent, or null when it can: says what to do instead. */
export function bundleFileProblem(name: string, size: number): string | null {
  if (size === 0) return `${name} is empty: choose the .zip that "holdfast evidence bundle" wrote.`;
  if (size > maxBundleFileBytes) {
    return `${name} is ${formatBytes(size)}; the app takes bundles up to ${formatBytes(maxBundleFileBytes)}. Import it with the command line, which works while the app runs: holdfast evidence import "${name}" --data DIR`;
  }
  return null;
}

/** Base64 of bytes, in slices so large files do not overflow the argument list. */
export function base64Of(bytes: Uint8Array): string {
  let binary = '';
  const slice = 0x8000;
  for (let i = 0; i < bytes.length; i += slice) binary += String.fromCharCode(...bytes.subarray(i, i + slice));
  return btoa(binary);
}

/** The call's request for a picked file, checked against the shared schema before it is sent. */
export async function bundleRequest(file: File, allowUnsigned: boolean): Promise<{ bundle: string; allowUnsigned: boolean }> {
  const problem = bundleFileProblem(file.name, file.size);
  if (problem) throw new Error(problem);
  const request = { bundle: base64Of(new Uint8Array(await file.arrayBuffer())), allowUnsigned };
  const parsed = importBundleRequest.safeParse(request);
  if (!parsed.success) throw new Error(`${file.name}: ${parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`).join('; ')}`);
  return parsed.data;
}

/** A hint when ticking "accept unsigned" is what would let a refused bundle in (the engine says when it is). */
export function refusalHint(report: BundleImportReport, allowUnsigned: boolean): string | null {
  if (allowUnsigned || !report.refusedOnlyAsUnsigned) return null;
  return 'The bundle is intact but not signed under a certificate: tick "Accept a bundle not signed under a certificate" to import it knowing nothing shows who made it.';
}
