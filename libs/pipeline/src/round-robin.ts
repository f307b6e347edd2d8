/**
 * Takes turns over a stage's replicas (channels, addresses), passing over those that are down.
 * When every one is down it still answers the next in turn: a call then fails fast and the
 * caller's retry policy decides, rather than this picker waiting on its own.
 */
export class RoundRobin<T> {
  private next = 0;

  constructor(private items: readonly T[]) {
    if (items.length === 0) throw new RangeError('RoundRobin needs at least one item');
  }

  /** The next item in turn for which `isUp` holds, else the next item in turn. */
  pick(isUp: (item: T) => boolean = () => true): T {
    const { items } = this;
    for (let step = 0; step < items.length; step += 1) {
      const item = items[(this.next + step) % items.length];
      if (isUp(item)) {
        this.next = (this.next + step + 1) % items.length;
        return item;
      }
    }
    const item = items[this.next % items.length];
    this.next = (this.next + 1) % items.length;
    return item;
  }

  /** Takes a new set of items (e.g. freshly resolved addresses), keeping the turn's position. */
  replace(items: readonly T[]): void {
    if (items.length > 0) this.items = items;
  }

  get all(): readonly T[] {
    return this.items;
  }
}
