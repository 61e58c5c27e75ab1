/**
 * Something the catalog noticed and worked around without failing: a price of the wrong
 * magnitude dropped to "unknown", a corrupt cache file set aside, a live refresh that failed.
 * Warnings name the source and, where there is one, the model, provider and field, so that a
 * user can find the bad value.
 */
export interface CatalogWarning {
  /** Where the data came from: `bundled snapshot`, `cache file /…/catalog.json`, `openrouter /models`, … */
  source: string;
  modelId?: string;
  provider?: string;
  /** Dotted path of the field, e.g. `pricing.input`. */
  field?: string;
  message: string;
}

/** Renders a warning as one line for a log or an output channel. */
export function formatCatalogWarning(warning: CatalogWarning): string {
  const where = [warning.modelId, warning.provider && `via ${warning.provider}`, warning.field].filter(Boolean).join(' ');
  return where ? `${warning.source}: ${where}: ${warning.message}` : `${warning.source}: ${warning.message}`;
}
