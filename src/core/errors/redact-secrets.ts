/**
 * Removes anything shaped like a provider key or bearer token from text that may reach a log,
 * an error message, a ledger line or a webview. Shapes come from the providers' documented key
 * formats; exact values registered with `registerSecret` are removed too, whatever their shape
 * (Azure keys, custom server tokens).
 */
const REGISTRY = Symbol.for('perpetuo.registered-secrets');

const KEY_SHAPES: Array<{ shape: RegExp; hints: string[] }> = [
  { shape: /sk-ant-[A-Za-z0-9_-]{8,}/g, hints: ['sk-ant-'] }, // Anthropic
  { shape: /sk-or-v1-[A-Za-z0-9]{8,}/g, hints: ['sk-or-v1-'] }, // OpenRouter
  { shape: /sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{16,}/g, hints: ['sk-'] }, // OpenAI, DeepSeek
  { shape: /AIza[0-9A-Za-z_-]{20,}/g, hints: ['AIza'] }, // Google / Gemini
  { shape: /gsk_[A-Za-z0-9]{20,}/g, hints: ['gsk_'] }, // Groq
  { shape: /xai-[A-Za-z0-9]{20,}/g, hints: ['xai-'] }, // xAI
  { shape: /fw_[A-Za-z0-9]{16,}/g, hints: ['fw_'] }, // Fireworks
  { shape: /pplx-[A-Za-z0-9]{16,}/g, hints: ['pplx-'] },
  { shape: /ppt_[A-Za-z0-9_-]{16,}/g, hints: ['ppt_'] }, // Perpetuo endpoint tokens
  { shape: /(?<=[Bb]earer\s+)[A-Za-z0-9._~+/=-]{12,}/g, hints: ['earer'] },
  { shape: /(?<=[?&](?:key|api_key|api-key|token|access_token)=)[^&\s"']+/g, hints: ['key=', 'token='] },
];

/** Matches where any shape's hint does (`KEY_SHAPES`); no match means no shape can match. */
const ANY_HINT = new RegExp(KEY_SHAPES.flatMap(({ hints }) => hints.map((hint) => hint.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('|'));

/**
 * Exact secret values to remove. One set per process, kept on `globalThis`: the extension is
 * split into bundles (`dist/extension.js` for activation, `dist/on-demand.js` for the engine), and
 * each bundle carries its own copy of this module. A key registered by the key store in one bundle
 * must be removed from an error built in the other, or it would leak.
 */
const registered: Set<string> = ((globalThis as { [REGISTRY]?: Set<string> })[REGISTRY] ??= new Set<string>());

/** Remember an exact secret value (a key loaded from SecretStorage) so that it is always removed. */
export function registerSecret(value: string): void {
  if (value.length >= 8) {
    registered.add(value);
  }
}

export function redactSecrets(text: string): string {
  let out = text;
  for (const secret of registered) {
    if (out.includes(secret)) {
      out = out.split(secret).join('[REDACTED]');
    }
  }
  // One scan for every shape's literal hint first: most text (every ledger line) holds none of
  // them, and one pass is far cheaper than a regex scan per shape.
  if (!ANY_HINT.test(out)) {
    return out;
  }
  for (const { shape, hints } of KEY_SHAPES) {
    if (hints.some((hint) => out.includes(hint))) {
      out = out.replace(shape, '[REDACTED]');
    }
  }
  return out;
}

/** A short, non-reversible label for a key, safe to log: `sk-…9f2c`. */
export function maskKey(key: string): string {
  const trimmed = key.trim();
  if (trimmed.length < 12) {
    return '…';
  }
  const prefix = /^(sk-ant-|sk-or-v1-|sk-|AIza|gsk_|xai-|fw_)/.exec(trimmed)?.[0] ?? '';
  return `${prefix}…${trimmed.slice(-4)}`;
}
