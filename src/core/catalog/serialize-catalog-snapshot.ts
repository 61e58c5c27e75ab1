import type { CatalogSnapshot } from './catalog-snapshot-schema';

/**
 * Writes a snapshot as JSON with one model per line: compact enough for the bundle and the cache,
 * and a price change shows up in a diff as one changed line.
 */
export function serializeCatalogSnapshot(snapshot: CatalogSnapshot): string {
  const { models, ...header } = snapshot;
  const head = JSON.stringify(header).slice(0, -1);
  const lines = models.map((model) => JSON.stringify(model));
  return `${head},"models":[\n${lines.join(',\n')}\n]}\n`;
}
