import { randomBytes } from 'node:crypto';
import { PerpetuoError } from '../../errors/perpetuo-error';
import type { HttpOptions } from '../../http/http-options';
import { runEventStreamCall } from '../../http/run-event-stream-call';
import type { ChatModel } from '../../spec/chat-model';
import type { ChatRequest } from '../../spec/chat-request';
import type { ChatStreamPart } from '../../spec/chat-stream-part';
import type { ProviderConfig } from '../provider-config';
import { convertToGeminiRequest } from './convert-to-gemini-request';
import { geminiStreamChunkSchema, type GeminiRequestBody } from './gemini-api';
import { mapGeminiErrorResponse } from './gemini-error';
import { createGeminiStreamTransform } from './gemini-stream-transform';
import { resolveGeminiConnection, type GeminiConnection } from './resolve-gemini-connection';

/**
 * A Gemini model behind our ChatModel: `POST {baseUrl}/models/{model}:streamGenerateContent?alt=sse`
 * with the key in the `x-goog-api-key` header. The instance holds only configuration; each call
 * builds its own request and stream state, so concurrent streams never share anything. Faults of
 * any kind, including a request Gemini cannot take, arrive as one `error` part.
 * @see https://ai.google.dev/api/generate-content#method:-models.streamgeneratecontent
 */
export function createGeminiChatModel(config: ProviderConfig, modelId: string, http: HttpOptions = {}): ChatModel {
  const provider = config.id;
  // Accept the resource name the models listing returns (`models/gemini-2.5-flash`) as well.
  const model = modelId.replace(/^models\//, '');
  const context = { provider, modelId: model };
  return {
    provider,
    modelId: model,
    async *stream(request: ChatRequest, signal: AbortSignal): AsyncGenerator<ChatStreamPart> {
      let connection: GeminiConnection;
      let body: GeminiRequestBody;
      try {
        connection = resolveGeminiConnection(config);
        body = convertToGeminiRequest(request, context);
      } catch (error) {
        yield { type: 'error', error: PerpetuoError.from(error, { kind: 'invalid-request', ...context, isRetryable: false }) };
        return;
      }
      yield* runEventStreamCall(
        {
          method: 'POST',
          url: `${connection.baseUrl}/models/${encodeURIComponent(model)}:streamGenerateContent?alt=sse`,
          headers: connection.headers,
          body,
          provider,
          modelId: model,
          schema: geminiStreamChunkSchema,
          mapErrorResponse: (response) => mapGeminiErrorResponse(response, context),
          // A random prefix per stream keeps made-up call ids unique across streams and turns.
          createTransform: () => createGeminiStreamTransform({ ...context, toolCallIdPrefix: `gemini-call-${randomBytes(6).toString('hex')}` }),
        },
        signal,
        http,
      );
    },
  };
}
