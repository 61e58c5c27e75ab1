import { PerpetuoError } from '../../errors/perpetuo-error';
import { fetchJson } from '../../http/fetch-json';
import type { HttpOptions } from '../../http/http-options';
import type { ChatRequest, ImageOptions } from '../../spec/chat-request';
import type { ChatStreamPart } from '../../spec/chat-stream-part';
import type { ProviderConfig } from '../provider-config';
import { convertOpenAIImagesUsage } from './convert-openai-images-usage';
import { openAIImagesResponseSchema } from './openai-api';
import { mapOpenAIErrorResponse } from './openai-error';
import { resolveOpenAICompatibleEndpoint } from './resolve-openai-compatible-endpoint';

/**
 * An image request to one of OpenAI's image models, through the Images API: the text of the
 * last user message is the prompt, `imageOptions` give `size` (or one derived from the aspect
 * ratio) and `quality`, one image is asked for. The answer is not streamed: each image becomes a
 * `file` part, then a `finish` with the token usage the model is billed by. Faults come out as
 * one `error` part.
 * @see https://platform.openai.com/docs/api-reference/images/create
 * @see https://platform.openai.com/docs/guides/image-generation
 */
export async function* generateOpenAIImages(config: ProviderConfig, modelId: string, request: ChatRequest, signal: AbortSignal, http: HttpOptions): AsyncGenerator<ChatStreamPart> {
  const context = { provider: config.id, modelId };
  try {
    const endpoint = resolveOpenAICompatibleEndpoint(config, { kind: 'images', modelId });
    const body = buildImagesBody(request, modelId, context);
    const response = await fetchJson(
      { method: 'POST', url: endpoint.url, headers: endpoint.headers, body, ...context, schema: openAIImagesResponseSchema, mapErrorResponse: (error) => mapOpenAIErrorResponse(error, context) },
      signal,
      http,
    );
    const mediaType = `image/${response.output_format ?? 'png'}`;
    for (const image of response.data) {
      if (!image.b64_json) {
        throw new PerpetuoError({ kind: 'malformed-response', ...context, message: `${config.id} returned an image without b64_json.`, isRetryable: false });
      }
      yield { type: 'file', mediaType, data: image.b64_json };
    }
    yield { type: 'finish', finishReason: { unified: 'stop', raw: undefined }, usage: convertOpenAIImagesUsage(response.usage) };
  } catch (error) {
    yield { type: 'error', error: PerpetuoError.from(error, { kind: signal.aborted ? 'cancelled' : 'server', ...context }) };
  }
}

function buildImagesBody(request: ChatRequest, modelId: string, context: { provider: string; modelId: string }): Record<string, unknown> {
  const last = request.messages.findLast((message) => message.role === 'user');
  const parts = last?.role === 'user' ? last.content : [];
  if (parts.some((part) => part.type !== 'text')) {
    throw new PerpetuoError({
      kind: 'invalid-request',
      ...context,
      isRetryable: false,
      message: `${modelId} generates images from text here; editing an attached image (OpenAI's /images/edits) is not supported. Send the prompt without attachments.`,
    });
  }
  const prompt = parts.map((part) => (part.type === 'text' ? part.text : '')).join('\n').trim();
  if (prompt === '') {
    throw new PerpetuoError({ kind: 'invalid-request', ...context, isRetryable: false, message: `An image request to ${modelId} needs a text prompt in the last user message.` });
  }
  const dalle = /^dall-e/i.test(modelId);
  const size = request.imageOptions?.size ?? sizeForAspectRatio(request.imageOptions, dalle);
  return {
    model: modelId,
    prompt,
    n: 1,
    ...(size === undefined ? {} : { size }),
    ...(request.imageOptions?.quality === undefined ? {} : { quality: request.imageOptions.quality }),
    // The GPT image models always answer base64 and refuse this field; DALL·E defaults to URLs.
    ...(dalle ? { response_format: 'b64_json' } : {}),
  };
}

/**
 * The documented size closest to an aspect ratio: square, landscape or portrait (GPT Image
 * 1024×1024 / 1536×1024 / 1024×1536; DALL·E 3 1024×1024 / 1792×1024 / 1024×1792).
 */
function sizeForAspectRatio(options: ImageOptions | undefined, dalle: boolean): string | undefined {
  const match = /^(\d+(?:\.\d+)?):(\d+(?:\.\d+)?)$/.exec(options?.aspectRatio ?? '');
  if (!match) {
    return undefined;
  }
  const ratio = Number(match[1]) / Number(match[2]);
  const long = dalle ? 1792 : 1536;
  return ratio > 1.1 ? `${long}x1024` : ratio < 0.9 ? `1024x${long}` : '1024x1024';
}
