import type { CatalogModel } from '../catalog/catalog-model';
import { PerpetuoError } from '../errors/perpetuo-error';
import type { ChatRequest, InputModality } from '../spec/chat-request';
import { describeAttachment, type MediaPart } from './describe-attachment';

/** What the capability check knows: the models the route could use, and the catalog for suggestions. */
export interface UnservableAttachmentsInput {
  /**
   * The models the route considered, as `{ modelId, provider }` (a plan's `targets` and
   * `rejected`). When omitted: every catalog endpoint whose provider has a key.
   */
  candidates?: ReadonlyArray<{ modelId: string; provider: string }>;
  catalog: readonly CatalogModel[];
  /** Provider ids the user has a key for. */
  availableProviders: Iterable<string>;
  /** Display names by provider id; defaults cover the built-in providers. */
  providerNames?: Readonly<Record<string, string>>;
  /** Most models suggested per modality (default 3). */
  maxSuggestions?: number;
}

const PROVIDER_NAMES: Readonly<Record<string, string>> = {
  openai: 'OpenAI',
  anthropic: 'Anthropic',
  google: 'Google',
  gemini: 'Google',
  openrouter: 'OpenRouter',
  groq: 'Groq',
  mistral: 'Mistral',
  xai: 'xAI',
  deepseek: 'DeepSeek',
  together: 'Together',
  fireworks: 'Fireworks',
  perplexity: 'Perplexity',
};

const NOUNS: Readonly<Record<Exclude<InputModality, 'text'>, string>> = { image: 'images', audio: 'audio', video: 'video', file: 'PDF documents' };

/**
 * For the UI, before anything is sent: when no candidate model can take one of the request's
 * modalities, an error that names the modality, the files, and the catalog models that could read
 * them with the key each one needs, e.g.
 * "No model you can reach reads audio (recording.wav). Models that can: google/gemini-2.5-flash
 * (needs a Google key), openai/gpt-4o-audio-preview (needs an OpenAI key)."
 * Returns undefined when every modality has a candidate. Pure: no catalog refresh, no I/O.
 *
 * Suggestions prefer the strongest tier, then models reachable with fewer new keys; a model that
 * a key the user already has would reach (but that this route did not consider) says so instead.
 */
export function describeUnservableAttachments(request: ChatRequest, input: UnservableAttachmentsInput): PerpetuoError | undefined {
  const available = new Set([...input.availableProviders].map((id) => id.toLowerCase()));
  const byModality = groupByModality(request);
  if (byModality.size === 0) {
    return undefined;
  }
  const modelsById = new Map(input.catalog.map((model) => [model.id.toLowerCase(), model]));
  const candidates =
    input.candidates ??
    input.catalog.flatMap((model) => model.endpoints.filter((endpoint) => available.has(endpoint.provider.toLowerCase())).map((endpoint) => ({ modelId: model.id, provider: endpoint.provider })));
  const names = { ...PROVIDER_NAMES, ...input.providerNames };
  const providerName = (id: string) => names[id.toLowerCase()] ?? id.charAt(0).toUpperCase() + id.slice(1);

  const sentences: string[] = [];
  for (const [modality, parts] of byModality) {
    const servable = candidates.some((candidate) => {
      if (!available.has(candidate.provider.toLowerCase())) {
        return false;
      }
      const model = modelsById.get(candidate.modelId.toLowerCase());
      return model?.endpoints.some((endpoint) => endpoint.provider.toLowerCase() === candidate.provider.toLowerCase() && endpoint.inputModalities.includes(modality)) === true;
    });
    if (servable) {
      continue;
    }
    const files = parts.map(describeAttachment).join(', ');
    const suggestions = suggestModels(input.catalog, modality, available, providerName, input.maxSuggestions ?? 3);
    sentences.push(
      `No model you can reach reads ${NOUNS[modality]} (${files}).` +
        (suggestions.length > 0 ? ` Models that can: ${suggestions.join(', ')}.` : ` No model in the catalog reads ${NOUNS[modality]}.`),
    );
  }
  if (sentences.length === 0) {
    return undefined;
  }
  return new PerpetuoError({ kind: 'no-eligible-model', message: sentences.join(' '), isRetryable: false });
}

function groupByModality(request: ChatRequest): Map<Exclude<InputModality, 'text'>, MediaPart[]> {
  const groups = new Map<Exclude<InputModality, 'text'>, MediaPart[]>();
  for (const message of request.messages) {
    if (message.role !== 'user') {
      continue;
    }
    for (const part of message.content) {
      if (part.type !== 'text') {
        groups.set(part.type, [...(groups.get(part.type) ?? []), part]);
      }
    }
  }
  return groups;
}

function suggestModels(
  catalog: readonly CatalogModel[],
  modality: InputModality,
  available: ReadonlySet<string>,
  providerName: (id: string) => string,
  limit: number,
): string[] {
  const rows = catalog.flatMap((model) => {
    const providers = [...new Set(model.endpoints.filter((endpoint) => endpoint.inputModalities.includes(modality)).map((endpoint) => endpoint.provider.toLowerCase()))];
    if (providers.length === 0) {
      return [];
    }
    const owned = providers.find((id) => available.has(id));
    // The model's own maker first ("needs a Google key" for google/…), aggregators after.
    const author = model.id.split('/', 1)[0]?.toLowerCase() ?? '';
    const sorted = providers.sort((a, b) => rank(a, author) - rank(b, author) || a.localeCompare(b));
    const why =
      owned !== undefined
        ? `your ${providerName(owned)} key reaches it, but this route did not consider it`
        : `needs ${orList(sorted.slice(0, 2).map((id) => `${article(providerName(id))} ${providerName(id)}`))} key`;
    return [{ id: model.id, tier: model.tier ?? 5, owned: owned !== undefined, text: `${model.id} (${why})` }];
  });
  rows.sort((a, b) => Number(b.owned) - Number(a.owned) || a.tier - b.tier || a.id.localeCompare(b.id));
  return rows.slice(0, limit).map((row) => row.text);
}

function rank(provider: string, author: string): number {
  if (provider === author || (author === 'google' && provider === 'gemini')) {
    return 0;
  }
  return provider === 'openrouter' ? 2 : 1;
}

function orList(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;
}

/** "an OpenAI", "a Google", "an xAI": by the sound of the first letter. */
function article(name: string): string {
  return /^[aeiou]/i.test(name) || name === 'xAI' ? 'an' : 'a';
}
