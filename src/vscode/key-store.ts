import * as vscode from 'vscode';
import { registerSecret } from '../core/errors/redact-secrets';

/**
 * Provider keys live only in SecretStorage. The list of which providers have a key (never the
 * keys) is derived from SecretStorage itself under one index secret, so nothing about keys is
 * written to settings or global state.
 */
export class KeyStore {
  private static readonly indexKey = 'perpetuo.keys.index';
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly secrets: vscode.SecretStorage) {}

  async get(provider: string): Promise<string | undefined> {
    const key = await this.secrets.get(KeyStore.secretName(provider));
    if (key) {
      registerSecret(key);
    }
    return key;
  }

  /** Stores a key; an empty value leaves the stored key unchanged (deleting is its own command). */
  async set(provider: string, key: string): Promise<boolean> {
    const trimmed = key.trim();
    if (!trimmed) {
      return false;
    }
    registerSecret(trimmed);
    await this.secrets.store(KeyStore.secretName(provider), trimmed);
    const providers = new Set(await this.providers());
    providers.add(provider);
    await this.secrets.store(KeyStore.indexKey, JSON.stringify([...providers].sort()));
    this.changed.fire();
    return true;
  }

  async delete(provider: string): Promise<void> {
    await this.secrets.delete(KeyStore.secretName(provider));
    const providers = (await this.providers()).filter((p) => p !== provider);
    await this.secrets.store(KeyStore.indexKey, JSON.stringify(providers));
    this.changed.fire();
  }

  /** Provider ids that have a key. */
  async providers(): Promise<string[]> {
    const raw = await this.secrets.get(KeyStore.indexKey);
    if (!raw) {
      return [];
    }
    try {
      const parsed: unknown = JSON.parse(raw);
      return Array.isArray(parsed) ? parsed.filter((p): p is string => typeof p === 'string') : [];
    } catch {
      return [];
    }
  }

  dispose(): void {
    this.changed.dispose();
  }

  private static secretName(provider: string): string {
    return `perpetuo.key.${provider}`;
  }
}
