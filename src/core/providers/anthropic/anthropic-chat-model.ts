import { PerpetuoError } from '../../errors/perpetuo-error';
import type { HttpOptions } from '../../http/http-options';
import { runEventStreamCall } from '../../http/run-event-stream-call';
import type { ChatModel } from '../../spec/chat-model';
import type { ChatRequest } from '../../spec/chat-request';
import type { ChatStreamPart } from '../../spec/chat-stream-part';
import type { ProviderConfig } from '../provider-config';
import { anthropicStreamEventSchema } from './anthropic-api';
import { mapAnthropicErrorResponse } from './anthropic-error';
import { createAnthropicStreamTransform } from './anthropic-stream-transform';
import { buildAnthropicRequestBody } from './build-anthropic-request-body';
import { anthropicBaseUrl, buildAnthropicHeaders } from './build-anthropic-headers';

/**
 * A Claude model behind the native Messages API (`POST {baseUrl}/messages`, streamed). The
 * instance holds configuration only; each `stream()` call builds its own request and transform,
 * so concurrent streams never share state. A request Anthropic would refuse (audio input, forced
 * tool use with thinking) comes out as one `invalid-request` error part before any byte is sent.
 * @see https://platform.claude.com/docs/en/api/messages/create
 */
export function createAnthropicChatModel(config: ProviderConfig, modelId: string, http: HttpOptions = {}): ChatModel {
  const provider = config.id;
  const context = { provider, modelId };
  return {
    provider,
    modelId,
    async *stream(request: ChatRequest, signal: AbortSignal): AsyncGenerator<ChatStreamPart> {
      let plan: ReturnType<typeof buildAnthropicRequestBody>;
      try {
        plan = buildAnthropicRequestBody(request, modelId, provider);
      } catch (error) {
        yield { type: 'error', error: PerpetuoError.from(error, { kind: 'invalid-request', ...context, isRetryable: false }) };
        return;
      }
      yield* runEventStreamCall(
        {
          method: 'POST',
          url: `${anthropicBaseUrl(config)}/messages`,
          headers: buildAnthropicHeaders(config, plan.betas),
          body: plan.body,
          provider,
          modelId,
          schema: anthropicStreamEventSchema,
          mapErrorResponse: (response) => mapAnthropicErrorResponse(response, context),
          createTransform: () => createAnthropicStreamTransform(context),
        },
        signal,
        http,
      );
    },
  };
}
