/** One measured figure, as `npm run bench` writes it into BENCHMARKS.md. */
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  /** The target, in words (e.g. "≤ 50 ms"). */
  goal?: string;
  /** Whether `value` meets the goal; undefined when there is no goal. */
  pass?: boolean;
  notes?: string;
}
