/**
 * Removes anything shaped like a provider key or bearer token from text that may reach a log,
 * an error message, a ledger line or a webview. Shapes come from the providers' documented key
 * formats; exact values registered with `registerSecret` are removed too, whatever their shape
 * (Azure keys, custom server tokens).
 */
const KEY_SHAPES: RegExp[] = [
  /sk-ant-[A-Za-z0-9_-]{8,}/g, // Anthropic
  /sk-or-v1-[A-Za-z0-9]{8,}/g, // OpenRouter
  /sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{16,}/g, // OpenAI, DeepSeek
  /AIza[0-9A-Za-z_-]{20,}/g, // Google / Gemini
  /gsk_[A-Za-z0-9]{20,}/g, // Groq
  /xai-[A-Za-z0-9]{20,}/g, // xAI
  /fw_[A-Za-z0-9]{16,}/g, // Fireworks
  /pplx-[A-Za-z0-9]{16,}/g,
  /ppt_[A-Za-z0-9_-]{16,}/g, // Perpetuo endpoint tokens
  /(?<=[Bb]earer\s+)[A-Za-z0-9._~+/=-]{12,}/g,
  /(?<=[?&](?:key|api_key|api-key|token|access_token)=)[^&\s"']+/g,
];

const registered = new Set<string>();

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
  for (const shape of KEY_SHAPES) {
    out = out.replace(shape, '[REDACTED]');
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
