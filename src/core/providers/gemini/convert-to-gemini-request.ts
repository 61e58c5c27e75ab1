import type { ChatRequest } from '../../spec/chat-request';
import { convertToGeminiContents } from './convert-to-gemini-contents';
import type { GeminiGenerationConfig, GeminiRequestBody } from './gemini-api';
import { mapGeminiThinkingConfig } from './map-gemini-thinking-config';
import { prepareGeminiTools } from './prepare-gemini-tools';

/**
 * The whole `streamGenerateContent` body for one request: contents, system instruction, tools,
 * and `generationConfig` (temperature, topP, maxOutputTokens, stopSequences, seed, JSON output,
 * thinking, and for image requests `responseModalities` with `imageConfig.aspectRatio`). A JSON response format becomes `responseMimeType: application/json` plus, when a
 * schema is given, `responseJsonSchema` (plain JSON Schema; the format's `name` and `description`
 * have no Gemini field and are not sent).
 *
 * `providerOptions.gemini` is merged last, as given (e.g. `safetySettings`,
 * `cachedContent`, `generationConfig.thinkingConfig`): a top-level key replaces ours, except that
 * two objects under the same key are merged one level deep, so
 * `{ generationConfig: { topK: 40 } }` adds to our generation config instead of erasing it.
 * Throws an `invalid-request` PerpetuoError for input Gemini cannot take.
 * @see https://ai.google.dev/api/generate-content#method:-models.streamgeneratecontent
 * @see https://ai.google.dev/api/generate-content#v1beta.GenerationConfig
 * @see https://ai.google.dev/gemini-api/docs/structured-output
 * @see https://ai.google.dev/gemini-api/docs/safety-settings
 * @see https://ai.google.dev/gemini-api/docs/image-generation
 */
export function convertToGeminiRequest(request: ChatRequest, context: { provider: string; modelId: string }): GeminiRequestBody {
  const body: GeminiRequestBody = {
    ...convertToGeminiContents(request.messages, context),
    ...prepareGeminiTools(request.tools, request.toolChoice, context),
  };
  const generationConfig: GeminiGenerationConfig = {};
  setDefined(generationConfig, 'temperature', request.temperature);
  setDefined(generationConfig, 'topP', request.topP);
  setDefined(generationConfig, 'maxOutputTokens', request.maxOutputTokens);
  if (request.stop && request.stop.length > 0) {
    generationConfig.stopSequences = request.stop;
  }
  setDefined(generationConfig, 'seed', request.seed);
  if (request.responseFormat?.type === 'json') {
    generationConfig.responseMimeType = 'application/json';
    setDefined(generationConfig, 'responseJsonSchema', request.responseFormat.schema);
  }
  setDefined(generationConfig, 'thinkingConfig', mapGeminiThinkingConfig(request.reasoningEffort, context.modelId));
  if (request.outputModalities?.includes('image')) {
    generationConfig.responseModalities = request.outputModalities.includes('text') ? ['TEXT', 'IMAGE'] : ['IMAGE'];
    const aspectRatio = request.imageOptions?.aspectRatio;
    if (aspectRatio !== undefined) {
      generationConfig.imageConfig = { aspectRatio };
    }
  }
  if (Object.keys(generationConfig).length > 0) {
    body.generationConfig = generationConfig;
  }
  return mergeProviderOptions(body, request.providerOptions?.gemini);
}

function setDefined<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) {
    target[key] = value;
  }
}

function mergeProviderOptions(body: GeminiRequestBody, options: Record<string, unknown> | undefined): GeminiRequestBody {
  if (!options) {
    return body;
  }
  const merged: GeminiRequestBody = { ...body };
  for (const [key, value] of Object.entries(options)) {
    const ours = merged[key];
    merged[key] = isPlainObject(ours) && isPlainObject(value) ? { ...ours, ...value } : value;
  }
  return merged;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
