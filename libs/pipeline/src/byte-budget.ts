/** What a ByteBudget holds now. */
export interface ByteBudgetStats {
  capacityBytes: number;
  reservedBytes: number;
  waiting: number;
}

interface Waiter {
  bytes: number;
  grant: (release: () => void) => void;
}

/**
 * Bytes of memory shared by the images in flight. An image reserves its estimate before its first
 * stage and waits, in order of arrival, until it fits; one larger than the whole budget runs once
 * it is alone, so nothing waits for ever. Memory then grows with the budget, not with the queue.
 */
export class ByteBudget {
  private reserved = 0;
  private readonly waiters: Waiter[] = [];

  constructor(readonly capacityBytes: number) {}

  /**
   * Resolves with the function that gives the bytes back, once they fit. Rejects with the
   * signal's reason when it aborts while waiting.
   */
  acquire(bytes: number, signal?: AbortSignal): Promise<() => void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const waiter: Waiter = {
        bytes,
        grant: (release) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(release);
        },
      };
      const onAbort = () => {
        const at = this.waiters.indexOf(waiter);
        if (at >= 0) this.waiters.splice(at, 1);
        reject(signal?.reason);
        this.grantWaiting();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
      this.grantWaiting();
    });
  }

  stats(): ByteBudgetStats {
    return { capacityBytes: this.capacityBytes, reservedBytes: this.reserved, waiting: this.waiters.length };
  }

  private grantWaiting(): void {
    for (let next = this.waiters[0]; next; next = this.waiters[0]) {
      const fits = this.reserved + next.bytes <= this.capacityBytes || this.reserved === 0;
      if (!fits) return;
      this.waiters.shift();
      this.reserved += next.bytes;
      let released = false;
      next.grant(() => {
        if (released) return;
        released = true;
        this.reserved -= next.bytes;
        this.grantWaiting();
      });
    }
  }
}
