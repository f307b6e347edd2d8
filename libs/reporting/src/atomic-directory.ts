import { randomBytes } from 'node:crypto';
import { lstat, mkdir, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';

const SWAP_ATTEMPTS = 3;

/**
 * Builds a folder in a temporary sibling (`<target>.tmp-<pid>-<random>`) and then puts it in
 * place of `target` by renames: the old folder is moved aside (`<target>.old-…`), the new one
 * renamed into place, the old one deleted. A crash or a failing `build` never leaves a half
 * written `target`: on failure the temporary folder is removed and the old folder is kept.
 * Leftovers of processes that died mid-write are removed first. `target` must not be a file.
 */
export async function replaceDirectoryAtomically<T>(
  target: string,
  build: (tempDir: string) => Promise<T>,
): Promise<T> {
  const absolute = path.resolve(target);
  const parent = path.dirname(absolute);
  const base = path.basename(absolute);
  await mkdir(parent, { recursive: true });
  await assertNotAFile(absolute);
  await removeDeadSiblings(parent, base);

  const tempDir = siblingName(absolute, 'tmp');
  await mkdir(tempDir);
  try {
    const result = await build(tempDir);
    await swapIntoPlace(tempDir, absolute);
    return result;
  } catch (error) {
    await rm(tempDir, { recursive: true, force: true });
    throw error;
  }
}

async function swapIntoPlace(tempDir: string, target: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const aside = siblingName(target, 'old');
    const movedOld = await renameIfExists(target, aside);
    try {
      await rename(tempDir, target);
    } catch (error) {
      if (movedOld) await rename(aside, target).catch(() => undefined);
      // Another writer put a folder in place between our two renames: try again.
      if (isCode(error, 'ENOTEMPTY', 'EEXIST') && attempt < SWAP_ATTEMPTS) continue;
      throw error;
    }
    if (movedOld) await rm(aside, { recursive: true, force: true }).catch(() => undefined);
    return;
  }
}

async function renameIfExists(from: string, to: string): Promise<boolean> {
  try {
    await rename(from, to);
    return true;
  } catch (error) {
    if (isCode(error, 'ENOENT')) return false;
    throw error;
  }
}

async function assertNotAFile(target: string): Promise<void> {
  const stats = await lstat(target).catch((error: unknown) => {
    if (isCode(error, 'ENOENT')) return undefined;
    throw error;
  });
  if (stats && !stats.isDirectory()) {
    throw new Error(`${target}: expected a folder (or nothing) to replace, found a file`);
  }
}

/** Removes `<base>.tmp-<pid>-*` and `<base>.old-<pid>-*` left by processes that no longer run. */
async function removeDeadSiblings(parent: string, base: string): Promise<void> {
  const pattern = new RegExp(`^${escapeRegExp(base)}\\.(?:tmp|old)-(\\d+)-[0-9a-f]+$`);
  for (const name of await readdir(parent)) {
    const pid = Number(pattern.exec(name)?.[1]);
    if (!pid || pid === process.pid || isAlive(pid)) continue;
    await rm(path.join(parent, name), { recursive: true, force: true });
  }
}

function siblingName(target: string, kind: 'tmp' | 'old'): string {
  return `${target}.${kind}-${process.pid}-${randomBytes(4).toString('hex')}`;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return isCode(error, 'EPERM');
  }
}

function isCode(error: unknown, ...codes: string[]): boolean {
  return codes.includes((error as NodeJS.ErrnoException | undefined)?.code ?? '');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
