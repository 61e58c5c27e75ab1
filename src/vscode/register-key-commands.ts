import * as vscode from 'vscode';
import { maskKey, redactSecrets } from '../core/errors/redact-secrets';
import type { KeyVerdict, ProviderConfig } from '../core/providers/provider-config';
import { providerConfigFor } from '../core/providers/provider-config-for';
import { DEFAULT_AZURE_API_VERSION } from '../core/providers/openai-compatible/openai-compatible-presets';
import { ENDPOINT_PRESETS, KEYED_PROVIDERS } from './known-providers';
import { loadOnDemand } from './load-on-demand';
import { registerOpenRouterSignIn } from './openrouter-sign-in';
import type { PerpetuoContext } from './perpetuo-context';
import { readProviderConfigs } from './read-provider-configs';

/** A stored key as commands show it: the provider and a masked form, never the key. */
export interface MaskedKey {
  provider: string;
  masked: string;
}

/** What `perpetuo.testKey` returns (and shows): the verdict and the message, never the key. */
export interface KeyTestResult {
  provider: string;
  status: KeyVerdict['status'] | 'no-key';
  message: string;
}

/** A key found in the environment: which variable, masked. */
export interface FoundEnvironmentKey {
  provider: string;
  variable: string;
  masked: string;
}

/** `perpetuo.configureEndpoint` arguments; without them the command asks step by step. */
export interface EndpointArguments {
  id: string;
  preset: 'azure' | 'ollama' | 'lmstudio' | 'custom';
  baseUrl?: string;
  azureApiVersion?: string;
  models?: string[];
  /** Stored in SecretStorage under `id`, never written to settings. */
  key?: string;
}

/** A key check is one cheap call; past this it is "unreachable", not a hung command. */
const KEY_TEST_TIMEOUT_MS = 20_000;

/**
 * Key management from the command palette. Keys go from the password box (or a command argument)
 * straight into SecretStorage; only masked forms are ever shown or returned, and log lines name
 * the provider only. Every command also takes arguments, so tests and other commands can drive
 * it without UI: a key passed as an argument is handled exactly like a typed one and never logged.
 */
export function registerKeyCommands(ctx: PerpetuoContext): void {
  ctx.extension.subscriptions.push(
    vscode.commands.registerCommand('perpetuo.manageKeys', () => manageKeys()),
    vscode.commands.registerCommand('perpetuo.addKey', (provider?: string, key?: string) => addKey(ctx, provider, key)),
    vscode.commands.registerCommand('perpetuo.removeKey', (provider?: string) => removeKey(ctx, provider)),
    vscode.commands.registerCommand('perpetuo.listKeys', () => listKeys(ctx)),
    vscode.commands.registerCommand('perpetuo.testKey', (provider?: string) => testKey(ctx, provider)),
    vscode.commands.registerCommand('perpetuo.importKeysFromEnvironment', (options?: { env?: Record<string, string | undefined>; confirm?: boolean }) =>
      importKeysFromEnvironment(ctx, options),
    ),
    vscode.commands.registerCommand('perpetuo.configureEndpoint', (endpoint?: EndpointArguments) => configureEndpoint(ctx, endpoint)),
  );
  registerOpenRouterSignIn(ctx);
}

async function manageKeys(): Promise<void> {
  const actions = [
    { label: vscode.l10n.t('Add or replace a key'), command: 'perpetuo.addKey' },
    { label: vscode.l10n.t('Test a key'), command: 'perpetuo.testKey' },
    { label: vscode.l10n.t('List keys'), command: 'perpetuo.listKeys' },
    { label: vscode.l10n.t('Remove a key'), command: 'perpetuo.removeKey' },
    { label: vscode.l10n.t('Import keys from environment variables'), command: 'perpetuo.importKeysFromEnvironment' },
    { label: vscode.l10n.t('Sign in to OpenRouter'), command: 'perpetuo.signInToOpenRouter' },
    { label: vscode.l10n.t('Configure an endpoint (Azure, Ollama, LM Studio, custom)'), command: 'perpetuo.configureEndpoint' },
  ];
  const picked = await vscode.window.showQuickPick(actions, { title: vscode.l10n.t('Perpetuo: Provider Keys') });
  if (picked) {
    await vscode.commands.executeCommand(picked.command);
  }
}

async function pickProvider(ctx: PerpetuoContext, title: string, only?: readonly string[]): Promise<string | undefined> {
  const items = [...KEYED_PROVIDERS.map((p) => ({ label: p.label, description: p.id, id: p.id }))];
  // Endpoints configured in settings (my-vllm, …) can hold a key too.
  for (const config of (await readProviderConfigs(ctx.keys)).configs) {
    if (!items.some((item) => item.id === config.id)) {
      items.push({ label: config.id, description: config.preset ?? config.kind, id: config.id });
    }
  }
  return (await vscode.window.showQuickPick(only ? items.filter((p) => only.includes(p.id)) : items, { title }))?.id;
}

async function addKey(ctx: PerpetuoContext, provider?: string, keyArgument?: string): Promise<boolean> {
  const id = provider ?? (await pickProvider(ctx, vscode.l10n.t('Add a key for which provider?')));
  if (!id) {
    return false;
  }
  const key =
    keyArgument ??
    (await vscode.window.showInputBox({
      title: vscode.l10n.t('API key for {0}', id),
      prompt: vscode.l10n.t('Stored in VS Code SecretStorage only. Leave empty to keep the current key.'),
      password: true,
      ignoreFocusOut: true,
    }));
  if (key === undefined || !(await ctx.keys.set(id, key))) {
    return false;
  }
  ctx.log.info(`key saved for ${id}`);
  void vscode.window.showInformationMessage(vscode.l10n.t('Saved the {0} key ({1}).', id, maskKey(key)));
  return true;
}

async function removeKey(ctx: PerpetuoContext, provider?: string): Promise<boolean> {
  const stored = await ctx.keys.providers();
  const id = provider ?? (await pickProvider(ctx, vscode.l10n.t('Remove the key of which provider?'), stored));
  if (!id || !stored.includes(id)) {
    return false;
  }
  await ctx.keys.delete(id);
  ctx.log.info(`key removed for ${id}`);
  void vscode.window.showInformationMessage(vscode.l10n.t('Removed the {0} key.', id));
  return true;
}

/** Returns the masked list too, so a test or another command can read it without a UI. */
async function listKeys(ctx: PerpetuoContext): Promise<MaskedKey[]> {
  const list: MaskedKey[] = [];
  for (const provider of await ctx.keys.providers()) {
    const key = await ctx.keys.get(provider);
    if (key) {
      list.push({ provider, masked: maskKey(key) });
    }
  }
  const text = list.length ? list.map((k) => `${k.provider}: ${k.masked}`).join(', ') : vscode.l10n.t('No keys yet.');
  void vscode.window.showInformationMessage(text);
  return list;
}

/**
 * One cheap authenticated call (the provider's model listing or key endpoint) with the stored key
 * and any base URL or Azure settings from `perpetuo.providers`, so it tests what routing would use.
 */
async function testKey(ctx: PerpetuoContext, provider?: string): Promise<KeyTestResult | undefined> {
  const id = provider ?? (await pickProvider(ctx, vscode.l10n.t('Test the key of which provider?')));
  if (!id) {
    return undefined;
  }
  const configured = (await readProviderConfigs(ctx.keys)).configs.find((c) => c.id === id);
  const config: ProviderConfig | undefined = configured ?? providerConfigFor(id, await ctx.keys.get(id));
  if (!config || (config.apiKey === undefined && !['ollama', 'lmstudio', 'custom'].includes(config.preset ?? ''))) {
    const message = vscode.l10n.t('There is no {0} key to test. Add one with "Perpetuo: Add or Replace Key".', id);
    void vscode.window.showWarningMessage(message);
    return { provider: id, status: 'no-key', message };
  }
  // The adapters load on first use, not at activation.
  const { driverFor } = loadOnDemand(ctx.extension.extensionPath);
  const verdict = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Testing the {0} key…', id), cancellable: true },
    (_progress, token) => {
      const controller = new AbortController();
      const subscription = token.onCancellationRequested(() => controller.abort());
      return driverFor(config.kind)
        .validateKey(config, AbortSignal.any([controller.signal, AbortSignal.timeout(KEY_TEST_TIMEOUT_MS)]))
        .finally(() => subscription.dispose());
    },
  );
  // The detail may quote the provider's own error text: scrub it again before it is shown.
  const detail = redactSecrets(verdict.detail);
  const message = describeVerdict(id, verdict.status, detail);
  ctx.log.info(`key test for ${id}: ${verdict.status}`);
  if (verdict.status === 'valid') {
    void vscode.window.showInformationMessage(message);
  } else {
    void vscode.window.showWarningMessage(message);
  }
  return { provider: id, status: verdict.status, message };
}

function describeVerdict(id: string, status: KeyVerdict['status'], detail: string): string {
  switch (status) {
    case 'valid':
      return vscode.l10n.t('{0}: the key works. {1}', id, detail);
    case 'invalid':
      return vscode.l10n.t('{0}: the key was refused (invalid or revoked). {1}', id, detail);
    case 'no-credit':
      return vscode.l10n.t('{0}: the key is valid but has no credit left. {1}', id, detail);
    case 'unreachable':
      return vscode.l10n.t('{0}: could not reach the provider to check the key. {1}', id, detail);
    default: {
      const unreachable: never = status;
      return String(unreachable);
    }
  }
}

/**
 * Finds provider keys in environment variables (this window's extension host environment, or an
 * explicit `env` for tests), shows them masked, and stores the ones the user confirms.
 * `confirm: true` stores every key found without asking.
 */
async function importKeysFromEnvironment(
  ctx: PerpetuoContext,
  options: { env?: Record<string, string | undefined>; confirm?: boolean } = {},
): Promise<{ found: FoundEnvironmentKey[]; stored: string[] }> {
  const env = options.env ?? process.env;
  const found: Array<FoundEnvironmentKey & { key: string }> = [];
  for (const provider of KEYED_PROVIDERS) {
    const variable = provider.env.find((name) => env[name]?.trim());
    const key = variable ? env[variable]?.trim() : undefined;
    if (variable && key) {
      found.push({ provider: provider.id, variable, masked: maskKey(key), key });
    }
  }
  const masked = found.map(({ provider, variable, masked: m }) => ({ provider, variable, masked: m }));
  if (found.length === 0) {
    void vscode.window.showInformationMessage(
      vscode.l10n.t('No provider keys found in environment variables ({0}).', KEYED_PROVIDERS.flatMap((p) => p.env).join(', ')),
    );
    return { found: [], stored: [] };
  }
  let chosen = found;
  if (options.confirm !== true) {
    const items = found.map((f) => ({ label: f.provider, description: `${f.variable} = ${f.masked}`, picked: true, found: f }));
    const picked = await vscode.window.showQuickPick(items, {
      title: vscode.l10n.t('Store these keys in SecretStorage?'),
      placeHolder: vscode.l10n.t('Found {0} keys; uncheck any you do not want Perpetuo to use.', found.length),
      canPickMany: true,
      ignoreFocusOut: true,
    });
    if (!picked || picked.length === 0) {
      return { found: masked, stored: [] };
    }
    chosen = picked.map((item) => item.found);
  }
  const stored: string[] = [];
  for (const entry of chosen) {
    if (await ctx.keys.set(entry.provider, entry.key)) {
      stored.push(entry.provider);
    }
  }
  ctx.log.info(`imported keys from the environment for ${stored.join(', ')}`);
  void vscode.window.showInformationMessage(
    vscode.l10n.t('Stored {0} keys from the environment: {1}.', stored.length, chosen.map((f) => `${f.provider} (${f.masked})`).join(', ')),
  );
  return { found: masked, stored };
}

/**
 * Writes one `perpetuo.providers` entry to the user settings — id, preset, base URL, Azure API
 * version, models, and never a key — and stores the endpoint's key (if any) in SecretStorage under
 * the same id. An entry with the same id is replaced.
 */
async function configureEndpoint(ctx: PerpetuoContext, endpoint?: EndpointArguments): Promise<boolean> {
  const answers = endpoint ?? (await askForEndpoint());
  if (!answers) {
    return false;
  }
  if (!/^[a-z0-9][a-z0-9-]*$/.test(answers.id)) {
    void vscode.window.showErrorMessage(vscode.l10n.t('"{0}" is not a valid endpoint id: use lowercase letters, digits and dashes.', answers.id));
    return false;
  }
  const entry: Record<string, unknown> = { id: answers.id, preset: answers.preset };
  if (answers.baseUrl) {
    entry.baseUrl = answers.baseUrl.trim().replace(/\/+$/, '');
  }
  if (answers.preset === 'azure') {
    entry.azureApiVersion = answers.azureApiVersion ?? DEFAULT_AZURE_API_VERSION;
  }
  if (answers.models?.length) {
    entry.models = answers.models;
  }
  const configuration = vscode.workspace.getConfiguration('perpetuo');
  const current = configuration.inspect<unknown[]>('providers')?.globalValue ?? [];
  const others = current.filter((e) => !(typeof e === 'object' && e !== null && (e as { id?: unknown }).id === answers.id));
  await configuration.update('providers', [...others, entry], vscode.ConfigurationTarget.Global);
  if (answers.key) {
    await ctx.keys.set(answers.id, answers.key);
  }
  ctx.log.info(`endpoint ${answers.id} (${answers.preset}) saved to settings${answers.key ? '; its key went to SecretStorage' : ''}`);
  void vscode.window.showInformationMessage(vscode.l10n.t('Saved the {0} endpoint. Test it with "Perpetuo: Test Key".', answers.id));
  return true;
}

async function askForEndpoint(): Promise<EndpointArguments | undefined> {
  const kind = await vscode.window.showQuickPick(
    ENDPOINT_PRESETS.map((p) => ({ label: p.label, description: p.defaultBaseUrl, preset: p })),
    { title: vscode.l10n.t('Which kind of endpoint?') },
  );
  if (!kind) {
    return undefined;
  }
  const { preset, defaultBaseUrl, needsKey } = kind.preset;
  const id = await vscode.window.showInputBox({
    title: vscode.l10n.t('A short id for this endpoint'),
    value: preset === 'custom' ? 'my-server' : preset,
    validateInput: (value) => (/^[a-z0-9][a-z0-9-]*$/.test(value) ? undefined : vscode.l10n.t('Lowercase letters, digits and dashes.')),
    ignoreFocusOut: true,
  });
  if (!id) {
    return undefined;
  }
  const baseUrl = await vscode.window.showInputBox({
    title: vscode.l10n.t('Base URL'),
    value: defaultBaseUrl,
    prompt: preset === 'azure' ? vscode.l10n.t('https://<resource>.openai.azure.com') : vscode.l10n.t('The server’s OpenAI-compatible API base, e.g. http://127.0.0.1:8000/v1'),
    validateInput: (value) => (URL.canParse(value) ? undefined : vscode.l10n.t('Enter a full URL.')),
    ignoreFocusOut: true,
  });
  if (!baseUrl) {
    return undefined;
  }
  let azureApiVersion: string | undefined;
  let models: string[] | undefined;
  if (preset === 'azure') {
    azureApiVersion = await vscode.window.showInputBox({ title: vscode.l10n.t('Azure api-version'), value: DEFAULT_AZURE_API_VERSION, ignoreFocusOut: true });
    const deployments = await vscode.window.showInputBox({
      title: vscode.l10n.t('Deployment names, comma-separated'),
      prompt: vscode.l10n.t('Azure cannot list deployments; name the ones Perpetuo may use.'),
      ignoreFocusOut: true,
    });
    models = deployments
      ?.split(',')
      .map((d) => d.trim())
      .filter(Boolean);
  }
  const key = await vscode.window.showInputBox({
    title: vscode.l10n.t('API key for {0}', id),
    prompt: needsKey ? vscode.l10n.t('Stored in VS Code SecretStorage only.') : vscode.l10n.t('Optional; leave empty if the server needs none. Stored in SecretStorage only.'),
    password: true,
    ignoreFocusOut: true,
  });
  return { id, preset, baseUrl, azureApiVersion, models, key: key || undefined };
}

