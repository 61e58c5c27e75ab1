import { FLAG_REASONING, META_COLUMNS, META_FLAGS, META_TIER, type CatalogIndex } from './index-catalog';

/**
 * The rows of each provider's run of a catalog's figures, cheapest first, with bounds of what is
 * left from each place on. A catalog-wide plan ranked by cost (cheapest, `provider.sort: price`)
 * or by the auto router (whose ties cost breaks) visits a provider's rows in this order and stops
 * at the first place from which no row can beat its last kept target: in a catalog of two
 * thousand endpoints it ranks a few dozen. Request-independent: computed once per catalog.
 */
export interface PriceOrder {
  /**
   * By slot, a row of `CatalogIndex.figures`. Slots run parallel to rows: a provider whose rows
   * are `start…start + n` has its rows in slots `start…start + n`, in this order.
   */
  readonly rows: Int32Array;
  /**
   * By slot: the lowest input and output USD per token of the rows from this slot to the
   * provider's last, over rows whose two prices are known (the others never rank from the
   * figures); Infinity when none is. Sorted by the sum of the two, the order only makes these
   * bounds rise early: any order would give true bounds.
   */
  readonly lowestInput: Float64Array;
  readonly lowestOutput: Float64Array;
  /** By slot: bit `1 << tierKindOf(…)` of each kind of model among the rows from this slot to the provider's last. */
  readonly tierKinds: Int32Array;
}

/** The number of a kind of model: tier 0 (none) to 4, reasoning or not. Its bit in `PriceOrder.tierKinds` is `1 << kind`. */
export function tierKindOf(tier: number, reasoning: boolean): number {
  return tier * 2 + (reasoning ? 1 : 0);
}

/** Kinds in `PriceOrder.tierKinds`: five tiers (none, 1–4), each with and without reasoning. */
export const TIER_KINDS = 10;

/** The price order of a catalog's figures; the caller keeps it with the catalog's index. */
export function sortRowsByPrice(index: CatalogIndex): PriceOrder {
  const { meta, prices, start } = index.figures;
  const count = index.endpoints.length;
  const order: PriceOrder = {
    rows: new Int32Array(count),
    lowestInput: new Float64Array(count),
    lowestOutput: new Float64Array(count),
    tierKinds: new Int32Array(count),
  };
  // Input plus output price: output usually dominates a request's cost, input a long prompt's.
  const keys = Float64Array.from({ length: count }, (_, row) => (prices[row * 2] ?? Number.NaN) + (prices[row * 2 + 1] ?? Number.NaN));
  for (const [provider, endpoints] of index.byProvider) {
    const first = start.get(provider) ?? 0;
    const rows = Array.from({ length: endpoints.length }, (_, offset) => first + offset);
    rows.sort((a, b) => compareKeys(keys[a] ?? Number.NaN, keys[b] ?? Number.NaN) || a - b);
    order.rows.set(rows, first);
    let lowestInput = Number.POSITIVE_INFINITY;
    let lowestOutput = Number.POSITIVE_INFINITY;
    let kinds = 0;
    for (let slot = first + rows.length - 1; slot >= first; slot--) {
      const row = order.rows[slot] ?? 0;
      const input = prices[row * 2] ?? Number.NaN;
      const output = prices[row * 2 + 1] ?? Number.NaN;
      if (!Number.isNaN(input) && !Number.isNaN(output)) {
        lowestInput = Math.min(lowestInput, input);
        lowestOutput = Math.min(lowestOutput, output);
      }
      kinds |= 1 << tierKindOf(meta[row * META_COLUMNS + META_TIER] ?? 0, ((meta[row * META_COLUMNS + META_FLAGS] ?? 0) & FLAG_REASONING) !== 0);
      order.lowestInput[slot] = lowestInput;
      order.lowestOutput[slot] = lowestOutput;
      order.tierKinds[slot] = kinds;
    }
  }
  return order;
}

/** Ascending, unknown (NaN) last. */
function compareKeys(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) {
    return (Number.isNaN(a) ? 1 : 0) - (Number.isNaN(b) ? 1 : 0);
  }
  return a - b;
}
