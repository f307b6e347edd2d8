import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { SERVICE_MALLOC_TUNABLES } from './malloc-tunables';

/** Allocates, fills and frees sixteen 48 MiB buffers; prints the page faults that took. */
const ALLOCATE_AND_FREE = `
const before = process.resourceUsage().minorPageFault;
for (let i = 0; i < 16; i++) { let b = Buffer.allocUnsafe(48 << 20); b.fill(i); b = undefined; globalThis.gc(); }
process.stdout.write(String(process.resourceUsage().minorPageFault - before));
`;

function pageFaults(tunables: string | undefined): number {
  const env = { ...process.env, GLIBC_TUNABLES: tunables };
  if (tunables === undefined) delete env.GLIBC_TUNABLES;
  return Number(execFileSync(process.execPath, ['--expose-gc', '-e', ALLOCATE_AND_FREE], { env, encoding: 'utf8' }));
}

describe('SERVICE_MALLOC_TUNABLES', () => {
  it('lets a freed large buffer be reused without faulting its pages in again', () => {
    const pages = (16 * (48 << 20)) / 4096;
    const plain = pageFaults(undefined);
    const tuned = pageFaults(SERVICE_MALLOC_TUNABLES);
    // glibc's default maps each block afresh: every page of every buffer faults.
    expect(plain).toBeGreaterThan(pages * 0.9);
    // Tuned, about one buffer's pages are faulted in (a sixteenth), then reused.
    expect(tuned).toBeLessThan(plain / 4);
  });
});
