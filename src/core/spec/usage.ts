/**
 * Token usage of one call, normalised across providers, with the provider's own record kept for
 * audits. Every count is `undefined` when the provider did not report it: an unknown count is
 * never silently a zero, because the ledger prices each kind separately.
 */
export interface Usage {
  inputTokens: {
    /** All prompt tokens, cached or not. */
    total: number | undefined;
    /** Prompt tokens billed at the plain input price. */
    noCache: number | undefined;
    /** Prompt tokens read from the provider's cache (billed at the cache-read price). */
    cacheRead: number | undefined;
    /** Prompt tokens written to the provider's cache (billed at the cache-write price). */
    cacheWrite: number | undefined;
    /**
     * Of `cacheWrite`, the tokens written for one hour (Anthropic's `ttl: "1h"`), billed at the
     * one-hour write price. Absent when the provider does not split writes by lifetime.
     */
    cacheWrite1h?: number;
  };
  outputTokens: {
    /** All completion tokens, text and reasoning. */
    total: number | undefined;
    /** Visible text (and tool-call) tokens. */
    text: number | undefined;
    /** Hidden reasoning / thinking tokens. */
    reasoning: number | undefined;
  };
  /**
   * Web searches the provider ran for the answer and bills per search (Anthropic's
   * `server_tool_use.web_search_requests`); absent when it ran none or does not say.
   */
  webSearchRequests?: number;
  /** The usage object exactly as the provider sent it. */
  raw?: unknown;
}

/** A usage record with every count unknown: the start state of a stream. */
export function emptyUsage(): Usage {
  return {
    inputTokens: { total: undefined, noCache: undefined, cacheRead: undefined, cacheWrite: undefined },
    outputTokens: { total: undefined, text: undefined, reasoning: undefined },
  };
}
