import type { ChatRequest } from '../spec/chat-request';
import type { ProviderPreferences } from './provider-preferences';

/**
 * What the caller asked the router for. The endpoint and the VS Code surfaces validate the wire
 * shapes (`parseProviderPreferences`) at their edge and hand over this typed value.
 */
export interface RouteRequest {
  /**
   * `author/model`, `author/model:variant` (`free`, `floor`, `nitro`, `thinking`),
   * `perpetuo/auto`, `perpetuo/<strategy>` or `perpetuo/default` (the policy's strategy).
   */
  model: string;
  /** The request itself: its parts, tools and limits drive the capability filters and the estimates. */
  chat: ChatRequest;
  /** OpenRouter's `models[]`: models tried in order after `model` (or instead of the catalog for a route). */
  models?: string[];
  /** OpenRouter's `provider{}` preferences. */
  provider?: ProviderPreferences;
  /**
   * The prompt's estimated size in tokens, when the caller knows more than `chat` shows: the
   * engine plans over a view of the request in which each inline PDF is a short text placeholder
   * (any model can get its text), and counts the PDFs here as the budget reservation does
   * (`estimateRequestTokens`). Estimated from `chat` when absent.
   */
  promptTokens?: number;
}
