import type { ChatRequest, ResponseFormat } from '../../spec/chat-request';
import { convertToOpenAIMessages } from './convert-to-openai-messages';
import type { OpenAICompatiblePreset } from './openai-compatible-presets';
import { prepareOpenAITools } from './prepare-openai-tools';

/** Body fields a provider option may not replace: the stream transform depends on them. */
const PROTECTED_FIELDS = new Set(['stream', 'stream_options', 'messages']);

/**
 * Our request → a streaming Chat Completions body, with the preset's quirks applied. Fields the
 * caller did not set are left out, so each server applies its own defaults. Provider options of
 * the preset's kind (OpenRouter's `models`, `provider`, `route`, `transforms`, `plugins`, …) are
 * merged in as they are.
 * @see https://platform.openai.com/docs/api-reference/chat/create
 * @see https://openrouter.ai/docs/api/reference/parameters
 * @see https://docs.mistral.ai/api/#tag/chat/operation/chat_completion_v1_chat_completions_post
 */
export function convertToOpenAIChatBody(request: ChatRequest, modelId: string, preset: OpenAICompatiblePreset, context: { provider: string }): Record<string, unknown> {
  const body: Record<string, unknown> = {
    // Azure routes by the deployment in the URL and ignores `model`; sending it anyway is harmless.
    model: modelId,
    messages: convertToOpenAIMessages(request.messages, context, preset.cacheBreakpoints),
    stream: true,
  };
  if (preset.sendStreamOptions) {
    body.stream_options = { include_usage: true };
  }
  setIfDefined(body, 'temperature', request.temperature);
  setIfDefined(body, 'top_p', request.topP);
  setIfDefined(body, preset.maxTokensField, request.maxOutputTokens);
  if (request.stop && request.stop.length > 0) {
    body.stop = request.stop;
  }
  setIfDefined(body, preset.seedField, request.seed);
  if (request.reasoningEffort !== undefined) {
    if (preset.reasoning === 'reasoning-effort') {
      body.reasoning_effort = request.reasoningEffort;
    } else if (preset.reasoning === 'openrouter') {
      body.reasoning = { effort: request.reasoningEffort };
    }
    // 'unsupported': the server has no such knob and some reject unknown fields; the model reasons as it always does.
  }
  if (request.outputModalities?.includes('image')) {
    // OpenRouter's image generation: `["image","text"]` for models that answer with both,
    // `["image"]` for image-only models; the images come back in `delta.images[]`.
    // @see https://openrouter.ai/docs/features/multimodal/image-generation
    body.modalities = request.outputModalities.includes('text') ? ['image', 'text'] : ['image'];
    const aspectRatio = request.imageOptions?.aspectRatio;
    if (aspectRatio !== undefined) {
      body.image_config = { aspect_ratio: aspectRatio };
    }
  }
  Object.assign(body, prepareOpenAITools(request.tools, request.toolChoice));
  const responseFormat = convertResponseFormat(request.responseFormat);
  if (responseFormat) {
    body.response_format = responseFormat;
  }
  for (const [key, value] of Object.entries(request.providerOptions?.[preset.providerOptionsKey] ?? {})) {
    if (!PROTECTED_FIELDS.has(key) && value !== undefined) {
      body[key] = value;
    }
  }
  return body;
}

/**
 * `json` with a schema → `json_schema` in strict mode (the model must follow it exactly);
 * without one → `json_object`. Plain text needs no field.
 * @see https://platform.openai.com/docs/guides/structured-outputs
 */
function convertResponseFormat(format: ResponseFormat | undefined): Record<string, unknown> | undefined {
  if (!format || format.type === 'text') {
    return undefined;
  }
  if (!format.schema) {
    return { type: 'json_object' };
  }
  return {
    type: 'json_schema',
    json_schema: {
      name: format.name ?? 'response',
      ...(format.description === undefined ? {} : { description: format.description }),
      schema: format.schema,
      strict: true,
    },
  };
}

function setIfDefined(body: Record<string, unknown>, key: string, value: unknown): void {
  if (value !== undefined) {
    body[key] = value;
  }
}
