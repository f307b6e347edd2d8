import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { ModelCatalogEntry } from './catalog';

/** Whether a candidate file is the expected model, and if not, why. */
export type FileCheck = { ok: true } | { ok: false; reason: string };

interface CachedCheck {
  size: number;
  mtimeMs: number;
  result: Promise<FileCheck>;
}

// One hash per file per process: keyed by path, invalidated when size or mtime change.
const checks = new Map<string, CachedCheck>();

/** Lower-case hex sha256 of a file, streamed. */
export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Checks that `path` is a regular file with the catalog's size and sha256.
 * A missing file reports `reason: 'not found'`.
 */
export async function checkModelFile(path: string, entry: ModelCatalogEntry): Promise<FileCheck> {
  let info;
  try {
    info = await stat(path);
  } catch {
    return { ok: false, reason: 'not found' };
  }
  if (!info.isFile()) return { ok: false, reason: 'not a regular file' };
  if (info.size !== entry.bytes) {
    return { ok: false, reason: `size ${info.size} bytes, expected ${entry.bytes}` };
  }
  const cached = checks.get(path);
  if (cached && cached.size === info.size && cached.mtimeMs === info.mtimeMs) return cached.result;

  const result = sha256OfFile(path).then(
    (actual): FileCheck =>
      actual === entry.sha256 ? { ok: true } : { ok: false, reason: `sha256 ${actual}, expected ${entry.sha256}` },
    (error: unknown): FileCheck => ({ ok: false, reason: `unreadable (${(error as Error).message})` }),
  );
  checks.set(path, { size: info.size, mtimeMs: info.mtimeMs, result });
  return result;
}

/** Forgets a remembered check, e.g. after the file was deleted or replaced. */
export function forgetModelFileCheck(path: string): void {
  checks.delete(path);
}
