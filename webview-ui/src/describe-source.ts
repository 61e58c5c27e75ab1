const KIND_LABELS: Record<string, string> = {
  chat: 'Chat',
  'model-picker': 'Model picker',
  'code-action': 'Code action',
  endpoint: 'Endpoint',
};

/** `endpoint:aider` → `Endpoint · aider`: the source keys the ledger groups by, as a person reads them. */
export function describeSource(key: string): string {
  const colon = key.indexOf(':');
  const kind = colon === -1 ? key : key.slice(0, colon);
  const label = KIND_LABELS[kind] ?? kind;
  return colon === -1 ? label : `${label} · ${key.slice(colon + 1)}`;
}
