import { PerpetuoError } from '../../errors/perpetuo-error';
import type { ProviderConfig } from '../provider-config';
import { DEFAULT_AZURE_API_VERSION, resolveOpenAICompatiblePreset, type OpenAICompatiblePreset } from './openai-compatible-presets';

/** Which call of the family: chat streaming, image generation, model listing, or OpenRouter's key check. */
export type OpenAICompatibleOperation = { kind: 'chat'; modelId: string } | { kind: 'images'; modelId: string } | { kind: 'models' } | { kind: 'key' };

export interface OpenAICompatibleEndpoint {
  preset: OpenAICompatiblePreset;
  url: string;
  headers: Record<string, string>;
}

/**
 * The URL and headers of one call. Keys go into headers only — never the URL — so no log line,
 * error message or stack trace that quotes a URL can carry one. Azure's `api-version` is the only
 * query parameter we ever add, and it is not secret.
 * @see https://learn.microsoft.com/en-us/azure/ai-services/openai/reference#chat-completions
 * @see https://platform.openai.com/docs/api-reference/authentication
 */
export function resolveOpenAICompatibleEndpoint(config: ProviderConfig, operation: OpenAICompatibleOperation): OpenAICompatibleEndpoint {
  const preset = resolveOpenAICompatiblePreset(config.preset);
  if (!preset) {
    throw configError(config, `Unknown OpenAI-compatible preset "${config.preset ?? ''}".`);
  }
  const baseUrl = (config.baseUrl ?? preset.defaultBaseUrl)?.replace(/\/+$/, '');
  if (!baseUrl) {
    throw configError(config, `${preset.displayName} needs a base URL (provider "${config.id}").`);
  }
  const headers: Record<string, string> = { accept: operation.kind === 'chat' ? 'text/event-stream' : 'application/json', ...config.headers };
  const key = config.apiKey?.trim();
  switch (preset.auth) {
    case 'bearer':
    case 'api-key':
      if (!key) {
        throw configError(config, `No API key is set for ${preset.displayName} (provider "${config.id}").`);
      }
      if (preset.auth === 'bearer') {
        headers.authorization = `Bearer ${key}`;
      } else {
        headers['api-key'] = key;
      }
      break;
    case 'optional-bearer':
      if (key) {
        headers.authorization = `Bearer ${key}`;
      }
      break;
    case 'none':
      break;
  }
  return { preset, url: buildUrl(baseUrl, preset, config, operation), headers };
}

function buildUrl(baseUrl: string, preset: OpenAICompatiblePreset, config: ProviderConfig, operation: OpenAICompatibleOperation): string {
  if (preset.urlStyle === 'azure') {
    const version = `api-version=${encodeURIComponent(config.azureApiVersion ?? DEFAULT_AZURE_API_VERSION)}`;
    switch (operation.kind) {
      case 'chat':
        return `${baseUrl}/openai/deployments/${encodeURIComponent(operation.modelId)}/chat/completions?${version}`;
      case 'images':
        return `${baseUrl}/openai/deployments/${encodeURIComponent(operation.modelId)}/images/generations?${version}`;
      default:
        return `${baseUrl}/openai/models?${version}`;
    }
  }
  switch (operation.kind) {
    case 'chat':
      return `${baseUrl}/chat/completions`;
    case 'images':
      return `${baseUrl}/images/generations`;
    case 'models':
      return `${baseUrl}/models`;
    case 'key':
      return `${baseUrl}/key`;
  }
}

function configError(config: ProviderConfig, message: string): PerpetuoError {
  return new PerpetuoError({ kind: 'config', provider: config.id, message, isRetryable: false });
}
