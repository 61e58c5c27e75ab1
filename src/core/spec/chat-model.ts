import type { ChatRequest } from './chat-request';
import type { ChatStreamPart } from './chat-stream-part';

/**
 * The one interface everything above the adapters speaks: the router, the guardrails, the
 * ledger, the VS Code surfaces and the localhost endpoint.
 *
 * `stream` never throws for provider faults and never rejects: an HTTP error before the first
 * byte, a malformed chunk, a stall or a stream that ends without a finish all arrive as one
 * `error` part, after which the iterable ends. Aborting `signal` closes the upstream request.
 * Per-request state lives inside the returned iterable, never on the model instance, so one
 * instance serves any number of concurrent requests.
 */
export interface ChatModel {
  /** Provider instance id, e.g. `openai`, `anthropic`, `openrouter`, `azure`. */
  readonly provider: string;
  /** The model id as the provider's API knows it, e.g. `claude-sonnet-4-5`. */
  readonly modelId: string;
  stream(request: ChatRequest, signal: AbortSignal): AsyncIterable<ChatStreamPart>;
}
