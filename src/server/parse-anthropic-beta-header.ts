import { EndpointRejection } from './endpoint-rejection';

/** What becomes of a client's `anthropic-beta` header. */
export interface AnthropicBetas {
  /** Sent on to Anthropic in the same header, when Anthropic serves the request. */
  forwarded: string[];
  /** Kept back, each with the reason: logged once, never sent. */
  withheld: Array<{ beta: string; reason: string }>;
}

/** Anthropic's beta names: a feature and a date, `interleaved-thinking-2025-05-14`. */
const BETA_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const MAX_BETAS = 32;

/**
 * Betas that change what a request costs beyond what the catalog prices. `context-1m` opens a
 * 1M-token window on models the catalog lists with 200K, and bills prompts above 200K at a
 * long-context price it has no entry for; without it, such a prompt is refused by Anthropic and
 * falls back to a model whose window and price the catalog knows (the planner already routes
 * prompts above 200K elsewhere).
 * @see https://platform.claude.com/docs/en/build-with-claude/context-windows#1m-token-context-window
 */
const WITHHELD: ReadonlyArray<{ prefix: string; reason: string }> = [
  { prefix: 'context-1m-', reason: "long-context pricing above 200K tokens is not in Perpetuo's catalog for Anthropic's endpoints" },
];

/**
 * The `anthropic-beta` header (comma-separated names; Node joins repeated headers with ", ") as
 * the betas to forward. A malformed name is a 400 naming the header, as Anthropic answers an
 * unknown one: it would otherwise reach an outgoing header.
 * @see https://platform.claude.com/docs/en/api/beta-headers
 */
export function parseAnthropicBetaHeader(header: string | undefined): AnthropicBetas {
  const result: AnthropicBetas = { forwarded: [], withheld: [] };
  if (header === undefined) return result;
  const names = header
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  if (names.length > MAX_BETAS) {
    throw rejection(`at most ${MAX_BETAS} betas are accepted, got ${names.length}`);
  }
  for (const name of new Set(names)) {
    if (!BETA_NAME.test(name)) {
      throw rejection(`'${name.slice(0, 100)}' is not a beta name (letters, digits, '.', '_' and '-', up to 100 characters)`);
    }
    const withheld = WITHHELD.find((entry) => name.startsWith(entry.prefix));
    if (withheld === undefined) result.forwarded.push(name);
    else result.withheld.push({ beta: name, reason: withheld.reason });
  }
  return result;
}

function rejection(detail: string): EndpointRejection {
  return new EndpointRejection({ status: 400, errorType: 'invalid_request', message: `Invalid header 'anthropic-beta': ${detail}.`, param: 'anthropic-beta' });
}
