/** A token count as people read it: `950`, `3.2k`, `128k`, `1.05M`. */
export function formatTokenCount(tokens: number): string {
  if (tokens < 1_000) {
    return String(Math.round(tokens));
  }
  if (tokens < 1_000_000) {
    const thousands = tokens / 1_000;
    return `${thousands < 10 ? trim(thousands.toFixed(1)) : Math.round(thousands)}k`;
  }
  return `${trim((tokens / 1_000_000).toFixed(2))}M`;
}

function trim(text: string): string {
  return text.replace(/\.?0+$/, '');
}
