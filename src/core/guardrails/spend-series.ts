/**
 * Settled spend of one scope over time, answering "how much since T" in O(log n): times stay
 * sorted and a prefix sum sits beside them. Entries arrive almost always in time order (they are
 * appended under a lock); a late one is inserted in place.
 */
export class SpendSeries {
  private readonly times: number[] = [];
  /** prefix[i] = sum of the first i amounts. */
  private readonly prefix: number[] = [0];

  add(atMs: number, nanos: number): void {
    const last = this.times[this.times.length - 1];
    if (last === undefined || atMs >= last) {
      this.times.push(atMs);
      this.prefix.push((this.prefix[this.prefix.length - 1] ?? 0) + nanos);
      return;
    }
    const index = this.firstIndexAtOrAfter(atMs + 1);
    const before = this.prefix[index] ?? 0;
    const amounts = this.times.map((_, i) => (this.prefix[i + 1] ?? 0) - (this.prefix[i] ?? 0));
    this.times.splice(index, 0, atMs);
    amounts.splice(index, 0, nanos);
    let running = before;
    this.prefix.length = index + 1;
    for (let i = index; i < amounts.length; i++) {
      running += amounts[i] ?? 0;
      this.prefix.push(running);
    }
  }

  /** Spend at or after `startMs`. */
  sumSince(startMs: number): number {
    const total = this.prefix[this.prefix.length - 1] ?? 0;
    return total - (this.prefix[this.firstIndexAtOrAfter(startMs)] ?? 0);
  }

  private firstIndexAtOrAfter(atMs: number): number {
    let low = 0;
    let high = this.times.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((this.times[mid] ?? 0) < atMs) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return low;
  }
}
