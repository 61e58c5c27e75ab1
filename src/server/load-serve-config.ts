import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { type AttachmentSettings, DEFAULT_ATTACHMENT_SETTINGS } from '../core/engine/attachment-settings';
import { registerSecret } from '../core/errors';
import type { ProviderConfig } from '../core/providers/provider-config';
import type { EndpointLimits } from './create-endpoint-server';
import type { EndpointToken } from './create-token-verifier';
import { readSecretFile } from './read-secret-file';
import { KNOWN_KEY_VARIABLES, serveConfigSchema, type ServeConfigFile } from './serve-config-schema';

/** Everything `perpetuo serve` needs, secrets loaded and paths absolute. */
export interface ServeConfig {
  port: number;
  host: string;
  providers: ProviderConfig[];
  /** Per provider id: model ids it serves that the catalog may not know, and whether they are free. */
  listedModels: Record<string, { models: string[]; free: boolean }>;
  liveCatalog: boolean;
  strategy: ServeConfigFile['strategy'];
  /** Absolute path of the guardrails policy file, if any. */
  guardrailsFile: string | undefined;
  /** Absolute folder of the decision log and budget journal. */
  ledgerDir: string;
  tokens: EndpointToken[];
  limits: Partial<EndpointLimits>;
  allowedOrigins: string[];
  /** PDF engine and page limit; the extension's defaults (`native`, 50 pages) when absent. */
  attachments?: AttachmentSettings;
}

/** The token variable used when no config file names tokens. */
export const DEFAULT_TOKEN_VARIABLE = 'PERPETUO_ENDPOINT_TOKEN';

/** A config problem, naming the file and the field. */
export class ServeConfigError extends Error {
  constructor(file: string, field: string, problem: string) {
    super(`${file}: ${field}: ${problem}`);
    this.name = 'ServeConfigError';
  }
}

function expandPath(path: string, base: string): string {
  const home = path === '~' || path.startsWith('~/') ? join(homedir(), path.slice(1)) : path;
  return isAbsolute(home) ? home : resolve(base, home);
}

function fieldPath(path: readonly PropertyKey[]): string {
  return path.map((key, index) => (typeof key === 'number' ? `[${key}]` : index === 0 ? String(key) : `.${String(key)}`)).join('') || '(root)';
}

async function fromSecretSource(
  file: string,
  field: string,
  source: { variable?: string | undefined; path?: string | undefined },
  env: NodeJS.ProcessEnv,
  base: string,
): Promise<string> {
  if (source.path !== undefined) {
    try {
      return await readSecretFile(expandPath(source.path, base));
    } catch (error) {
      throw new ServeConfigError(file, field, (error as Error).message);
    }
  }
  const value = source.variable === undefined ? undefined : env[source.variable]?.trim();
  if (!value) {
    throw new ServeConfigError(file, field, `the environment variable ${source.variable ?? '(none)'} is not set.`);
  }
  registerSecret(value);
  return value;
}

/**
 * Reads and checks the `perpetuo serve` config (or, without a file, builds one from the
 * environment alone: every provider whose well-known key variable is set, and one token from
 * `PERPETUO_ENDPOINT_TOKEN`). Any problem is a `ServeConfigError` naming the file and the field.
 */
export async function loadServeConfig(configPath: string | undefined, env: NodeJS.ProcessEnv): Promise<ServeConfig> {
  const file = configPath === undefined ? '(environment)' : resolve(configPath);
  const base = configPath === undefined ? process.cwd() : dirname(file);
  let raw: unknown = {};
  if (configPath !== undefined) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      throw new ServeConfigError(file, '(file)', `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}).`);
    }
    try {
      raw = JSON.parse(text);
    } catch (error) {
      throw new ServeConfigError(file, '(file)', `is not valid JSON: ${(error as Error).message}`);
    }
  }
  const parsed = serveConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ServeConfigError(file, issue ? fieldPath(issue.path) : '(root)', issue?.message ?? 'invalid');
  }
  const config = parsed.data;

  const providers: ProviderConfig[] = [];
  const listedModels: ServeConfig['listedModels'] = {};
  if (config.providers === undefined) {
    for (const [id, known] of Object.entries(KNOWN_KEY_VARIABLES)) {
      const key = env[known.variable]?.trim();
      if (key) {
        registerSecret(key);
        providers.push({ id, kind: known.kind, ...(known.kind === 'openai-compatible' ? { preset: id } : {}), apiKey: key });
      }
    }
  } else {
    for (const [index, entry] of config.providers.entries()) {
      const field = `providers[${index}]`;
      if (providers.some((provider) => provider.id === entry.id)) {
        throw new ServeConfigError(file, `${field}.id`, `"${entry.id}" is used twice.`);
      }
      if (entry.keyEnv !== undefined && entry.keyFile !== undefined) {
        throw new ServeConfigError(file, field, 'give keyEnv or keyFile, not both.');
      }
      const provider: ProviderConfig = { id: entry.id, kind: entry.kind };
      if (entry.preset !== undefined) provider.preset = entry.preset;
      if (entry.baseUrl !== undefined) provider.baseUrl = entry.baseUrl;
      if (entry.headers !== undefined) provider.headers = entry.headers;
      if (entry.azureApiVersion !== undefined) provider.azureApiVersion = entry.azureApiVersion;
      if (entry.models !== undefined) listedModels[entry.id] = { models: entry.models, free: entry.free ?? false };
      if (!entry.noKey) {
        const variable = entry.keyEnv ?? KNOWN_KEY_VARIABLES[entry.preset ?? entry.id]?.variable;
        if (variable === undefined && entry.keyFile === undefined) {
          throw new ServeConfigError(file, `${field}.keyEnv`, `no key source for "${entry.id}": set keyEnv or keyFile (or noKey for a local server).`);
        }
        provider.apiKey = await fromSecretSource(file, entry.keyFile === undefined ? `${field}.keyEnv` : `${field}.keyFile`, { variable, path: entry.keyFile }, env, base);
      }
      providers.push(provider);
    }
  }
  if (providers.length === 0) {
    throw new ServeConfigError(file, 'providers', `no provider has a key: set ${Object.values(KNOWN_KEY_VARIABLES).map((known) => known.variable).join(', ')} or list providers in a config file.`);
  }

  const tokens: EndpointToken[] = [];
  const tokenEntries = config.tokens ?? [{ name: 'default', tokenEnv: DEFAULT_TOKEN_VARIABLE, tokenFile: undefined }];
  for (const [index, entry] of tokenEntries.entries()) {
    const field = config.tokens === undefined ? 'tokens' : `tokens[${index}]${entry.tokenFile === undefined ? '.tokenEnv' : '.tokenFile'}`;
    tokens.push({ name: entry.name, token: await fromSecretSource(file, field, { variable: entry.tokenEnv, path: entry.tokenFile }, env, base) });
  }

  const limits: Partial<EndpointLimits> = {};
  for (const [key, value] of Object.entries(config.limits ?? {})) {
    if (value !== undefined) limits[key as keyof EndpointLimits] = value;
  }
  return {
    port: config.port,
    host: config.host,
    providers,
    listedModels,
    liveCatalog: config.liveCatalog,
    strategy: config.strategy,
    guardrailsFile: config.guardrails === undefined ? undefined : expandPath(config.guardrails, base),
    ledgerDir: expandPath(config.ledgerDir ?? join(homedir(), '.perpetuo', 'ledger'), base),
    tokens,
    limits,
    allowedOrigins: config.allowedOrigins ?? [],
    attachments: { ...DEFAULT_ATTACHMENT_SETTINGS, ...config.attachments },
  };
}
