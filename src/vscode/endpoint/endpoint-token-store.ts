import type * as vscode from 'vscode';
import { registerSecret } from '../../core/errors/redact-secrets';
import type { EndpointToken } from '../../server/create-token-verifier';
import { ENDPOINT_TOKEN_PREFIX, generateEndpointToken } from '../../server/generate-endpoint-token';

/** The app every first start creates a token for. */
export const DEFAULT_ENDPOINT_APP = 'default';

/** `ppt_` and 32 random bytes in base64url, as `generateEndpointToken()` makes: the endpoint refuses weaker ones. */
const TOKEN_PATTERN = new RegExp(`^${ENDPOINT_TOKEN_PREFIX}[A-Za-z0-9_-]{43,}$`);

/** App names go to the decision log and per-app guardrails: short, printable, no spaces. */
const APP_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * The endpoint's tokens, one per app, kept only in SecretStorage (one secret holding the list).
 * Nothing about them is written to settings or global state; callers outside this store see
 * names and masked forms only. Every token read or written is registered with the redactor.
 */
export class EndpointTokenStore {
  /** The one secret that holds the list. */
  static readonly secretName = 'perpetuo.endpoint.tokens';
  /** Writes are serialised: two commands at once must not lose each other's token. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly secrets: vscode.SecretStorage) {}

  static isValidToken(token: string): boolean {
    return TOKEN_PATTERN.test(token);
  }

  static isValidName(name: string): boolean {
    return APP_NAME_PATTERN.test(name);
  }

  /** `ppt_…` and the last four characters. */
  static mask(token: string): string {
    return `${ENDPOINT_TOKEN_PREFIX}…${token.slice(-4)}`;
  }

  async list(): Promise<EndpointToken[]> {
    const raw = await this.secrets.get(EndpointTokenStore.secretName);
    if (!raw) {
      return [];
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      return [];
    }
    if (!Array.isArray(parsed)) {
      return [];
    }
    const tokens: EndpointToken[] = [];
    for (const entry of parsed) {
      const { name, token } = (entry ?? {}) as { name?: unknown; token?: unknown };
      if (typeof name === 'string' && typeof token === 'string' && EndpointTokenStore.isValidToken(token) && !tokens.some((t) => t.name === name)) {
        registerSecret(token);
        tokens.push({ name, token });
      }
    }
    return tokens;
  }

  /** The tokens, creating the `default` app's on first use. */
  ensureDefault(): Promise<EndpointToken[]> {
    return this.update((tokens) => (tokens.length > 0 ? tokens : [{ name: DEFAULT_ENDPOINT_APP, token: generateEndpointToken() }]));
  }

  /** Sets (adds or replaces) the token of `name`; a new random one when `token` is undefined. */
  async set(name: string, token: string = generateEndpointToken()): Promise<void> {
    registerSecret(token);
    await this.update((tokens) => [...tokens.filter((t) => t.name !== name), { name, token }]);
  }

  /** Removes an app; false when there was no such app. */
  async remove(name: string): Promise<boolean> {
    let removed = false;
    await this.update((tokens) => {
      removed = tokens.some((t) => t.name === name);
      return tokens.filter((t) => t.name !== name);
    });
    return removed;
  }

  private update(change: (tokens: EndpointToken[]) => EndpointToken[]): Promise<EndpointToken[]> {
    const next = this.queue.then(async () => {
      const before = await this.list();
      const after = change(before);
      if (JSON.stringify(after) !== JSON.stringify(before)) {
        await this.secrets.store(EndpointTokenStore.secretName, JSON.stringify(after));
      }
      return after;
    });
    this.queue = next.catch(() => undefined);
    return next;
  }
}
