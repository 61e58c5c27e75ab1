import { PerpetuoError } from '../../errors/perpetuo-error';
import { registerSecret } from '../../errors/redact-secrets';
import type { HttpOptions } from '../../http/http-options';
import { runEventStreamCall } from '../../http/run-event-stream-call';
import type { ChatModel } from '../../spec/chat-model';
import type { ChatRequest } from '../../spec/chat-request';
import type { ChatStreamPart } from '../../spec/chat-stream-part';
import type { ProviderConfig } from '../provider-config';
import { convertToOpenAIChatBody } from './convert-to-openai-chat-body';
import { createOpenAIStreamTransform } from './create-openai-stream-transform';
import { generateOpenAIImages } from './generate-openai-images';
import { openAIChunkSchema } from './openai-api';
import { mapOpenAIErrorResponse } from './openai-error';
import { resolveOpenAICompatibleEndpoint } from './resolve-openai-compatible-endpoint';
import { usesOpenAIImagesApi } from './uses-openai-images-api';

/**
 * A model behind any server of the OpenAI Chat Completions family, with the quirks of the
 * config's preset. The instance holds configuration only; each `stream` call builds its own
 * request and transform, so one instance serves concurrent requests. Faults — a bad config, an
 * HTTP error, a broken stream — come out as one `error` part, never as a throw. An image request
 * to one of OpenAI's image models goes to the Images API instead (`generateOpenAIImages`).
 * @see https://platform.openai.com/docs/api-reference/chat/create
 */
export function createOpenAICompatibleChatModel(config: ProviderConfig, modelId: string, http: HttpOptions = {}): ChatModel {
  if (config.apiKey) {
    // Shapes like `sk-…` are redacted anyway; Azure keys and custom tokens have no shape.
    registerSecret(config.apiKey.trim());
  }
  return {
    provider: config.id,
    modelId,
    stream: (request, signal) => streamOpenAICompatibleChat(config, modelId, request, signal, http),
  };
}

/**
 * The stream of one call: the Images API's, or the shared event-stream flow's own generator,
 * returned as it is rather than delegated to from a generator of this adapter's (a delegating
 * generator costs a step, a promise and its microtasks per part).
 */
function streamOpenAICompatibleChat(
  config: ProviderConfig,
  modelId: string,
  request: ChatRequest,
  signal: AbortSignal,
  http: HttpOptions,
): AsyncIterable<ChatStreamPart> {
  if (request.outputModalities?.includes('image') && usesOpenAIImagesApi(config, modelId)) {
    return generateOpenAIImages(config, modelId, request, signal, http);
  }
  const context = { provider: config.id, modelId };
  let endpoint: ReturnType<typeof resolveOpenAICompatibleEndpoint>;
  let body: Record<string, unknown>;
  try {
    endpoint = resolveOpenAICompatibleEndpoint(config, { kind: 'chat', modelId });
    body = convertToOpenAIChatBody(request, modelId, endpoint.preset, context);
  } catch (error) {
    return onePart({ type: 'error', error: PerpetuoError.from(error, { kind: 'invalid-request', ...context, isRetryable: false }) });
  }
  const { reasoningTokensInCompletion } = endpoint.preset;
  return runEventStreamCall(
    {
      method: 'POST',
      url: endpoint.url,
      headers: endpoint.headers,
      body,
      provider: config.id,
      modelId,
      schema: openAIChunkSchema,
      mapErrorResponse: (response) => mapOpenAIErrorResponse(response, context),
      createTransform: () => createOpenAIStreamTransform({ provider: config.id, modelId, reasoningTokensInCompletion }),
    },
    signal,
    http,
  );
}

async function* onePart(part: ChatStreamPart): AsyncGenerator<ChatStreamPart> {
  yield part;
}
