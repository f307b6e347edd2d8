import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ModelCatalogEntry } from './catalog';
import { forgetModelFileCheck } from './verify-file';

// A 5 MB file; the limit only stops a stalled connection from hanging a model load forever.
const DOWNLOAD_TIMEOUT_MS = 10 * 60_000;

// Concurrent callers asking for the same file share one download.
const inFlight = new Map<string, Promise<string>>();

/**
 * Downloads `entry.url` into `cacheDir/entry.fileName`: streamed to a temporary file in the same
 * folder, size and sha256 checked, then renamed into place, so the cache never holds a partial or
 * wrong file. Throws an `Error` saying what went wrong; nothing is left behind on failure.
 */
export function downloadModel(entry: ModelCatalogEntry, cacheDir: string, fetchImpl: typeof fetch): Promise<string> {
  const target = join(cacheDir, entry.fileName);
  let pending = inFlight.get(target);
  if (!pending) {
    pending = download(entry, cacheDir, target, fetchImpl).finally(() => inFlight.delete(target));
    inFlight.set(target, pending);
  }
  return pending;
}

async function download(
  entry: ModelCatalogEntry,
  cacheDir: string,
  target: string,
  fetchImpl: typeof fetch,
): Promise<string> {
  await mkdir(cacheDir, { recursive: true });
  const temporary = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.part`;
  try {
    const response = await fetchImpl(entry.url, { redirect: 'follow', signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS) });
    if (!response.ok) throw new Error(`HTTP ${response.status} ${response.statusText}`.trim());
    if (!response.body) throw new Error('empty response body');

    const hash = createHash('sha256');
    let size = 0;
    const file = await open(temporary, 'wx');
    try {
      for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
        size += chunk.byteLength;
        if (size > entry.bytes) throw new Error(`more than the expected ${entry.bytes} bytes`);
        hash.update(chunk);
        await file.write(chunk);
      }
    } finally {
      await file.close();
    }

    const sha256 = hash.digest('hex');
    if (size !== entry.bytes) throw new Error(`got ${size} bytes, expected ${entry.bytes}`);
    if (sha256 !== entry.sha256) throw new Error(`sha256 ${sha256} does not match the expected ${entry.sha256}`);
    await rename(temporary, target);
    forgetModelFileCheck(target);
    return target;
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
