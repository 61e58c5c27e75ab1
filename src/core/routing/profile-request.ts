import type { ChatRequest, InputModality } from '../spec/chat-request';
import { estimateRequestTokens } from '../tokens/estimate-request-tokens';
import { modalityBit } from './index-catalog';

/**
 * Output tokens assumed for cost estimates when the request sets no `maxOutputTokens`: a typical
 * chat or code answer. The guardrails reserve budget against the worst case separately; this
 * number only ranks endpoints and checks the per-request cost cap.
 */
export const DEFAULT_EXPECTED_OUTPUT_TOKENS = 1_024;

const TEXT_OUTPUT: ReadonlyArray<'text'> = ['text'];

/** A request parameter an endpoint must support, with the names that satisfy it (any one). */
export interface RequiredParameter {
  name: string;
  anyOf: readonly string[];
}

/** What the router reads from a request, computed once per plan. */
export interface RequestProfile {
  promptTokens: number;
  /** Output the estimates assume. */
  outputTokens: number;
  outputTokensBasis: 'request' | 'default';
  /** The request's own maxOutputTokens, checked against each endpoint's limit. */
  requestedMaxOutput: number | undefined;
  /** Non-text modalities present, as a bit set, and by name. */
  modalityMask: number;
  modalities: InputModality[];
  images: number;
  /** What the answer must contain: the request's `outputModalities`, `['text']` when it sets none. */
  outputModalities: ReadonlyArray<'text' | 'image'>;
  /** `outputModalities` as a bit set (see `modalityBit`). */
  outputModalityMask: number;
  /** Capabilities an endpoint must have or the request fails outright: tools, structured output. */
  capabilities: RequiredParameter[];
  /** Every parameter the request sets (OpenRouter's `require_parameters` checks all of them). */
  parameters: RequiredParameter[];
}

/**
 * Reads the token estimate, modalities and parameters of a request. `promptTokens`, when given,
 * is the caller's estimate of the prompt (see `RouteRequest.promptTokens`) and replaces the one
 * made from `chat`.
 */
export function profileRequest(chat: ChatRequest, promptTokens: number = estimateRequestTokens(chat)): RequestProfile {
  let modalityMask = 0;
  let images = 0;
  const modalities: InputModality[] = [];
  for (const message of chat.messages) {
    if (message.role !== 'user') {
      continue;
    }
    for (const part of message.content) {
      if (part.type === 'text') {
        continue;
      }
      if (part.type === 'image') {
        images++;
      }
      const bit = modalityBit(part.type);
      if ((modalityMask & bit) === 0) {
        modalityMask |= bit;
        modalities.push(part.type);
      }
    }
  }
  const capabilities: RequiredParameter[] = [];
  if (chat.tools !== undefined && chat.tools.length > 0) {
    capabilities.push({ name: 'tools', anyOf: ['tools'] });
  }
  if (chat.responseFormat?.type === 'json') {
    capabilities.push(
      chat.responseFormat.schema === undefined
        ? { name: 'response_format', anyOf: ['response_format', 'structured_outputs'] }
        : { name: 'response_format (json schema)', anyOf: ['structured_outputs', 'response_format'] },
    );
  }
  const parameters = [...capabilities];
  const add = (set: boolean, name: string): void => {
    if (set) {
      parameters.push({ name, anyOf: [name] });
    }
  };
  add(chat.toolChoice !== undefined, 'tool_choice');
  add(chat.temperature !== undefined, 'temperature');
  add(chat.topP !== undefined, 'top_p');
  add(chat.maxOutputTokens !== undefined, 'max_tokens');
  add(chat.stop !== undefined, 'stop');
  add(chat.seed !== undefined, 'seed');
  add(chat.reasoningEffort !== undefined, 'reasoning');
  const outputModalities = chat.outputModalities !== undefined && chat.outputModalities.length > 0 ? chat.outputModalities : TEXT_OUTPUT;
  let outputModalityMask = 0;
  for (const modality of outputModalities) {
    outputModalityMask |= modalityBit(modality);
  }
  return {
    promptTokens,
    outputTokens: chat.maxOutputTokens ?? DEFAULT_EXPECTED_OUTPUT_TOKENS,
    outputTokensBasis: chat.maxOutputTokens === undefined ? 'default' : 'request',
    requestedMaxOutput: chat.maxOutputTokens,
    modalityMask,
    modalities,
    images,
    outputModalities,
    outputModalityMask,
    capabilities,
    parameters,
  };
}
