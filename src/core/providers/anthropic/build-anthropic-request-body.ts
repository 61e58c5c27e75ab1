import { PerpetuoError } from '../../errors/perpetuo-error';
import type { ChatRequest } from '../../spec/chat-request';
import type { AnthropicMessagesBody, AnthropicOutputConfig } from './anthropic-api';
import { convertToAnthropicMessages } from './convert-to-anthropic-messages';
import { mapAnthropicReasoningEffort } from './map-anthropic-reasoning-effort';
import { prepareAnthropicTools } from './prepare-anthropic-tools';
import { resolveAnthropicModelTraits } from './resolve-anthropic-model-traits';

/** What one `POST /v1/messages` needs: the body, and the beta flags that go in a header. */
export interface AnthropicCallPlan {
  body: AnthropicMessagesBody;
  /** `providerOptions.anthropic.betas`, joined into `anthropic-beta`. */
  betas: string[];
}

/** Appended to `system` for JSON without a schema, where the API has no constrained mode. */
export const JSON_INSTRUCTION = 'Respond with a single valid JSON value and nothing else: no prose, no Markdown code fence.';

// Fields the adapter owns: provider options may add or override anything else.
const RESERVED = new Set(['model', 'messages', 'stream', 'betas']);

/**
 * Builds the streamed Messages request from our request. Throws a PerpetuoError
 * (`invalid-request`) for what Anthropic would refuse anyway, before any byte leaves.
 *
 * - JSON with a schema uses structured outputs, `output_config.format` (no beta header since
 *   GA); JSON without one has no constrained mode, so the system prompt asks for bare JSON.
 * - With thinking on, the API refuses `temperature` (dropped), accepts `top_p` only from 0.95 to
 *   1 (dropped outside that) and refuses forced tool use (`required` or a named tool: an error).
 * - `seed` has no Anthropic equivalent and is not sent.
 * - `providerOptions.anthropic` is merged last, as given (`top_k`, `metadata`, `service_tier`, a
 *   `thinking` of your own, …); its `betas` array becomes the `anthropic-beta` header.
 * @see https://platform.claude.com/docs/en/api/messages/create
 * @see https://platform.claude.com/docs/en/build-with-claude/structured-outputs
 * @see https://platform.claude.com/docs/en/build-with-claude/extended-thinking#feature-compatibility
 */
export function buildAnthropicRequestBody(request: ChatRequest, modelId: string, provider: string): AnthropicCallPlan {
  const context = { provider, modelId };
  const prompt = convertToAnthropicMessages(request.messages, context);
  const reasoning = mapAnthropicReasoningEffort(request, resolveAnthropicModelTraits(modelId), context);
  const tools = prepareAnthropicTools(request, context);
  const thinking = reasoning.thinking !== undefined;

  if (thinking && (tools.tool_choice?.type === 'any' || tools.tool_choice?.type === 'tool')) {
    throw new PerpetuoError({
      kind: 'invalid-request',
      ...context,
      message: 'Anthropic does not allow forced tool use (tool choice "required" or a named tool) together with thinking; drop the reasoning effort or let the model choose.',
    });
  }

  const outputConfig: AnthropicOutputConfig = {};
  if (reasoning.effort !== undefined) {
    outputConfig.effort = reasoning.effort;
  }
  let system = prompt.system;
  if (request.responseFormat?.type === 'json') {
    if (request.responseFormat.schema !== undefined) {
      outputConfig.format = { type: 'json_schema', schema: request.responseFormat.schema };
    } else {
      system = appendSystem(system, JSON_INSTRUCTION);
    }
  }

  const body: AnthropicMessagesBody = {
    model: modelId,
    max_tokens: reasoning.max_tokens,
    messages: prompt.messages,
    ...(system === undefined ? {} : { system }),
    ...tools,
    ...(request.temperature === undefined || thinking ? {} : { temperature: request.temperature }),
    ...(request.topP === undefined || (thinking && (request.topP < 0.95 || request.topP > 1)) ? {} : { top_p: request.topP }),
    ...(request.stop === undefined || request.stop.length === 0 ? {} : { stop_sequences: request.stop }),
    ...(reasoning.thinking === undefined ? {} : { thinking: reasoning.thinking }),
    ...(Object.keys(outputConfig).length === 0 ? {} : { output_config: outputConfig }),
    stream: true,
  };

  const options = request.providerOptions?.anthropic ?? {};
  for (const [key, value] of Object.entries(options)) {
    if (!RESERVED.has(key)) {
      body[key] = value;
    }
  }
  const betas = options['betas'];
  return {
    body,
    betas: Array.isArray(betas) ? betas.filter((beta): beta is string => typeof beta === 'string' && beta !== '') : [],
  };
}

function appendSystem(system: AnthropicMessagesBody['system'], text: string): AnthropicMessagesBody['system'] {
  if (system === undefined) {
    return text;
  }
  return typeof system === 'string' ? `${system}\n\n${text}` : [...system, { type: 'text', text }];
}
