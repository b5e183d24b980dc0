// A backup's signature: FILE.signature.json beside FILE and FILE.manifest.json, signing both
// files' SHA-256s with the device key and its certificate (./file-signature). Verify and restore
// check it and say who made the backup; unsigned or uncertified backups need --allow-unsigned.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { createHash } from 'node:crypto';
import { checkFileSet, signFileSet, signatureDocText, type FileSignatureCheck, type FileSignerDeps, type FileTrust, type SignedFile } from './file-signature';

export const backupSignaturePurpose = 'holdfast backup';
export const signaturePathOf = (file: string) => `${file}.signature.json`;

/** The signed files of a backup: the database file and its manifest, by their names. */
async function backupFiles(file: string, manifestPath: string, sha256File: (path: string) => Promise<string>): Promise<SignedFile[]> {
  return [
    { path: basename(file), sha256: await sha256File(file) },
    { path: basename(manifestPath), sha256: createHash('sha256').update(readFileSync(manifestPath)).digest('hex') },
  ];
}

/** Signs a written backup (null signer: none is written, and any stale one is removed). Returns whether it was signed. */
export async function signBackup(file: string, manifestPath: string, signer: FileSignerDeps | null, sha256File: (path: string) => Promise<string>): Promise<boolean> {
  const path = signaturePathOf(file);
  rmSync(path, { force: true });
  if (signer === null) return false;
  const doc = signFileSet(signer, await backupFiles(file, manifestPath, sha256File), backupSignaturePurpose);
  writeFileSync(path, signatureDocText(doc), { mode: 0o600 });
  return true;
}

/** Checks a backup's signature against the files as they are now and what the reader trusts. */
export async function checkBackupSignature(
  file: string,
  manifestPath: string,
  trust: FileTrust,
  sha256File: (path: string) => Promise<string>,
): Promise<FileSignatureCheck> {
  const path = signaturePathOf(file);
  let doc: unknown = null;
  if (existsSync(path)) {
    try {
      doc = JSON.parse(readFileSync(path, 'utf8'));
    } catch {
      return { status: 'forged', problem: `${basename(path)} is not JSON` };
    }
  }
  const check = checkFileSet(doc, await backupFiles(file, manifestPath, sha256File), trust, backupSignaturePurpose);
  return check.status === 'unsigned' ? { status: 'unsigned', problem: `it has no ${basename(path)} beside it` } : check;
}

/** What `holdfast backup` says of the signature it wrote (or could not write). */
export function backupSignatureNote(file: string): string {
  if (!existsSync(signaturePathOf(file))) {
    return `NOT SIGNED: this data folder's device key could not be read here (open it once with this Holdfast, or back up from the app), so verify and restore will need --allow-unsigned`;
  }
  const doc = JSON.parse(readFileSync(signaturePathOf(file), 'utf8')) as { certificate: { certId: string; body: { user: string } } | null; signer: { deviceId: string } };
  return doc.certificate
    ? `signature: ${signaturePathOf(file)} (device ${doc.signer.deviceId}, certificate ${doc.certificate.certId} of ${doc.certificate.body.user})`
    : `signature: ${signaturePathOf(file)} (device ${doc.signer.deviceId}'s key alone: it is not certified, because this laptop never connected to a Holdfast service, so verify and restore will need --allow-unsigned)`;
}
