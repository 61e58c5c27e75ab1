import * as vscode from 'vscode';
import type { ProviderConfig } from '../core/providers/provider-config';
import { providerConfigFor } from '../core/providers/provider-config-for';
import type { KeyStore } from './key-store';

/** One `perpetuo.providers` entry as the user wrote it. */
interface ProviderSetting {
  id?: unknown;
  preset?: unknown;
  baseUrl?: unknown;
  azureApiVersion?: unknown;
  models?: unknown;
}

export interface ConfiguredProviders {
  configs: ProviderConfig[];
  /** Model ids the user listed for an endpoint, by provider id (empty: ask the server). */
  models: Map<string, string[]>;
  /** Entries that could not be used, each naming the setting and why. */
  problems: string[];
}

/**
 * The providers Perpetuo may call: every provider with a stored key, plus the endpoints in
 * `perpetuo.providers` (local servers need no key; a known id there only changes its base URL).
 */
export async function readProviderConfigs(keys: KeyStore): Promise<ConfiguredProviders> {
  const entries = vscode.workspace.getConfiguration('perpetuo').get<ProviderSetting[]>('providers', []);
  const byId = new Map<string, ProviderConfig>();
  const models = new Map<string, string[]>();
  const problems: string[] = [];
  for (const id of await keys.providers()) {
    const config = providerConfigFor(id, await keys.get(id));
    if (config) {
      byId.set(id, config);
    }
  }
  entries.forEach((entry, index) => {
    const where = `perpetuo.providers[${index}]`;
    if (typeof entry.id !== 'string' || !/^[a-z0-9][a-z0-9-]*$/.test(entry.id)) {
      problems.push(`${where}.id: expected a short lowercase id such as "my-vllm"`);
      return;
    }
    const overrides: Partial<ProviderConfig> = {};
    if (typeof entry.baseUrl === 'string') {
      overrides.baseUrl = entry.baseUrl.replace(/\/+$/, '');
    }
    if (typeof entry.azureApiVersion === 'string') {
      overrides.azureApiVersion = entry.azureApiVersion;
    }
    const existing = byId.get(entry.id);
    const preset = typeof entry.preset === 'string' ? entry.preset : undefined;
    const config = existing
      ? { ...existing, ...overrides }
      : preset
        ? { id: entry.id, kind: 'openai-compatible' as const, preset, ...overrides }
        : providerConfigFor(entry.id, undefined, overrides);
    if (!config) {
      problems.push(`${where}: "${entry.id}" is not a known provider; set "preset" (azure, ollama, lmstudio or custom) and "baseUrl"`);
      return;
    }
    if ((preset === 'custom' || preset === 'azure') && !config.baseUrl) {
      problems.push(`${where}.baseUrl: a ${preset} endpoint needs its base URL`);
      return;
    }
    byId.set(entry.id, config);
    if (Array.isArray(entry.models)) {
      models.set(entry.id, entry.models.filter((m): m is string => typeof m === 'string'));
    }
  });
  // A custom endpoint's key is stored under its own id, like any other.
  for (const [id, config] of byId) {
    if (config.apiKey === undefined) {
      const key = await keys.get(id);
      if (key) {
        byId.set(id, { ...config, apiKey: key });
      }
    }
  }
  return { configs: [...byId.values()], models, problems };
}
