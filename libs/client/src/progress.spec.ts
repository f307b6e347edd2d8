import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { terminalProgress } from './progress';

/** What cli-progress needs to draw: a stream that says it is a terminal, and its width. */
class FakeTerminal extends Writable {
  readonly isTTY = true;
  readonly columns = 160;
  text = '';
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void) {
    this.text += chunk.toString();
    callback();
  }
}

/** The last frame drawn, as the terminal shows it: each frame starts by moving to column 1. */
function lastFrame(text: string): string {
  return text.split('\x1b[1G').at(-1)!.replace(/\x1b(\[[\d;?]*[A-Za-z]|[78])/g, '');
}

describe('terminalProgress', () => {
  beforeEach(() => vi.useFakeTimers({ now: 0 }));
  afterEach(() => vi.useRealTimers());

  it('draws one bar with counts, rate, elapsed, ETA and the last image, and stops on close', () => {
    const out = new FakeTerminal();
    const progress = terminalProgress(out, 4);
    expect(lastFrame(out.text)).toContain('0/4 images | 0 failed | 0.0 img/s | elapsed 0:00 | ETA --');

    vi.advanceTimersByTime(1000);
    progress.sent('a.png');
    progress.finished('a.png', 950, 'tabby cat');
    vi.advanceTimersByTime(1000);
    progress.failed('c.png', 'IMAGE_UNREADABLE: not an image');
    vi.advanceTimersByTime(100); // the next redraw
    // Two of four in about two seconds: one a second, two more seconds to go.
    expect(lastFrame(out.text)).toMatch(/2\/4 images \| 1 failed \| 1\.0 img\/s \| elapsed 0:02 \| ETA 0:02 \| c\.png: FAILED IMAGE_UNREADABLE: not an image/);

    progress.finished('b.png', 1200, 'tiger cat');
    progress.close();
    const written = out.text.length;
    vi.advanceTimersByTime(1000);

    expect(out.text.length).toBe(written); // stopped: no more redraws
    expect(out.text.endsWith('\n')).toBe(true); // the final bar stays on its own line
    expect(out.text).not.toContain('\x1b[?25l'); // the cursor was never hidden
    expect(out.text).not.toContain('\x1b[?7l'); // nor line wrap turned off
    expect(lastFrame(out.text)).toMatch(/^█{30}░{10} 3\/4 images \| 1 failed \| 1\.4 img\/s \| elapsed 0:02 \| ETA 0:01 \| b\.png: tiger cat \(1200 ms\)\n$/);
  });
});
