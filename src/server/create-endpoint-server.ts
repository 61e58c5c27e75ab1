import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { RouteOptions, RoutingEngine } from '../core/engine/routed-call';
import { estimateRequestTokens } from '../core/tokens/estimate-request-tokens';
import { assertLoopbackHost } from './assert-loopback-host';
import { buildChatCompletionBody } from './build-chat-completion-body';
import { buildMessagesBody } from './build-messages-body';
import { buildPerpetuoHeaders } from './build-perpetuo-headers';
import { buildResponsesBody } from './build-responses-body';
import { checkRequestOrigin } from './check-request-origin';
import { collectRoutedCall, type AnswerBlock } from './collect-routed-call';
import { createRateLimiter, type RateLimits } from './create-rate-limiter';
import { createRedactingLogger, type EndpointLogger } from './create-redacting-logger';
import { createTokenVerifier, type EndpointToken } from './create-token-verifier';
import { createChatCompletionsEncoder, type CompletionContext } from './encode-chat-completions-stream';
import { createMessagesEncoder } from './encode-messages-stream';
import { createResponsesEncoder } from './encode-responses-stream';
import { EndpointRejection } from './endpoint-rejection';
import type { EndpointRequest } from './endpoint-request';
import { listModelsBody } from './list-models-body';
import { mapErrorToHttp } from './map-error-to-http';
import { parseChatCompletionsRequest } from './parse-chat-completions-request';
import { parseMessagesRequest } from './parse-messages-request';
import { parseResponsesRequest } from './parse-responses-request';
import { readRequestBody } from './read-request-body';
import { relayRoutedCall, type StreamEncoder } from './relay-routed-call';
import type { ApiDialect } from './render-error-body';
import { sendErrorResponse } from './send-error-response';
import { sendJsonResponse } from './send-json-response';
import type { FinishPart } from '../core/spec';
import type { ServedTarget } from '../core/engine/routed-call';

export interface EndpointLimits extends RateLimits {
  /** Largest request body accepted (413 above). Images and PDFs travel inline, hence megabytes. */
  maxBodyBytes: number;
  /** Interval of SSE keep-alive comments during silences in a committed stream; 0 turns them off. */
  keepAliveMs: number;
}

export const DEFAULT_ENDPOINT_LIMITS: EndpointLimits = {
  maxBodyBytes: 32 * 1024 * 1024,
  maxConcurrentPerToken: 16,
  requestsPerMinute: 600,
  keepAliveMs: 15_000,
};

export interface EndpointServerOptions {
  engine: RoutingEngine;
  tokens: readonly EndpointToken[];
  /** `127.0.0.1` (default) or `::1`; anything else is refused. */
  host?: string;
  /** 0 picks a free port. */
  port: number;
  limits?: Partial<EndpointLimits>;
  logger: EndpointLogger;
  /** Browser origins the user explicitly allowed (exact match, no wildcard). */
  allowedOrigins?: readonly string[];
  /** Clock for rate limits and `created` timestamps (ms since epoch). */
  now?: () => number;
}

export interface EndpointServer {
  /** Starts listening; resolves with the bound address. */
  listen(): Promise<{ host: string; port: number }>;
  /** Stops accepting, aborts every call in flight, resolves when the socket is closed. */
  close(): Promise<void>;
  /** The bound address once listening. */
  readonly address: { host: string; port: number } | undefined;
  /** Replaces the accepted tokens without a restart (rotate, add, remove an app). */
  setTokens(tokens: readonly EndpointToken[]): void;
}

/** One API's translation: request in, stream or body out. */
interface CompletionApi {
  dialect: ApiDialect;
  parse(body: unknown, headers: IncomingHttpHeaders): EndpointRequest;
  encoder(context: CompletionContext): StreamEncoder;
  body(context: CompletionContext, served: ServedTarget | undefined, blocks: AnswerBlock[], finish: FinishPart): Record<string, unknown>;
}

const CHAT_COMPLETIONS: CompletionApi = { dialect: 'openai', parse: parseChatCompletionsRequest, encoder: createChatCompletionsEncoder, body: buildChatCompletionBody };
const RESPONSES: CompletionApi = { dialect: 'openai', parse: parseResponsesRequest, encoder: createResponsesEncoder, body: buildResponsesBody };
const MESSAGES: CompletionApi = {
  dialect: 'anthropic',
  parse: (body, headers) => parseMessagesRequest(body, joinedHeader(headers['anthropic-beta'])),
  encoder: createMessagesEncoder,
  body: buildMessagesBody,
};

const ROUTE_METHODS: Record<string, string> = {
  '/health': 'GET',
  '/v1/models': 'GET',
  '/v1/chat/completions': 'POST',
  '/v1/responses': 'POST',
  '/v1/messages': 'POST',
  '/v1/messages/count_tokens': 'POST',
};

const CORS_ALLOWED_HEADERS = 'authorization, content-type, x-api-key, anthropic-version, anthropic-beta, x-title, http-referer, x-client-name';

/** A header that may be repeated, as one comma-separated list (what Node does for unknown headers). */
function joinedHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

/** A client-supplied header, bounded: it goes into the ledger and the dashboard. */
function headerText(value: string | string[] | undefined): string | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  return text === undefined || text === '' ? undefined : text.slice(0, 200);
}

function presentedToken(request: IncomingMessage): string[] {
  const presented: string[] = [];
  const authorization = request.headers.authorization;
  const bearer = authorization === undefined ? undefined : /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1];
  if (bearer !== undefined) presented.push(bearer);
  const apiKey = headerText(request.headers['x-api-key']);
  if (apiKey !== undefined) presented.push(apiKey);
  return presented;
}

/**
 * The localhost endpoint: OpenAI Chat Completions and Responses, Anthropic Messages, a model
 * list and a health check, each a thin layer — validate, call `engine.route()`, map. It listens
 * on loopback only, checks `Host` and `Origin` against DNS rebinding and web pages, requires a
 * named token compared in constant time, caps body size, concurrency and rate per token, and
 * never logs a body. Its streams commit to a status only at the first content part.
 */
export function createEndpointServer(options: EndpointServerOptions): EndpointServer {
  const host = assertLoopbackHost(options.host ?? '127.0.0.1');
  // Replaced whole by setTokens(): a rotated token stops working at once, streams in flight go on.
  let verify = createTokenVerifier(options.tokens);
  const limits: EndpointLimits = { ...DEFAULT_ENDPOINT_LIMITS, ...options.limits };
  const now = options.now ?? Date.now;
  const admit = createRateLimiter(limits, now);
  const logger = createRedactingLogger(options.logger);
  const allowedOrigins = new Set(options.allowedOrigins ?? []);
  const warnedFields = new Set<string>();
  let bound: { host: string; port: number } | undefined;

  /** True the first time a warning's key is seen. Bounded: keys hold names the client chooses, and a token holder must not grow the set forever. */
  const firstWarning = (key: string): boolean => {
    if (warnedFields.size >= 1000 || warnedFields.has(key)) return false;
    warnedFields.add(key);
    return true;
  };

  const warnOnce = (key: string, line: string): void => {
    if (firstWarning(key)) logger.warn(line);
  };

  const warnUnknownFields = (path: string, app: string, fields: string[]): void => {
    const fresh: string[] = [];
    for (const field of fields) {
      if (fresh.length === 10) break;
      if (firstWarning(`${path} ${field}`)) fresh.push(field);
    }
    if (fresh.length === 0) return;
    logger.warn(`endpoint: ignored unknown field(s) ${fresh.map((field) => `'${field.slice(0, 64)}'`).join(', ')} on POST ${path} (app ${app}); further occurrences are not logged`);
  };

  const serveCompletion = async (
    api: CompletionApi,
    request: IncomingMessage,
    response: ServerResponse,
    context: { app: string; path: string; signal: AbortSignal; startedAt: number; headers: Record<string, string> },
  ): Promise<string> => {
    const parsed = api.parse(await readRequestBody(request, limits.maxBodyBytes), request.headers);
    warnUnknownFields(context.path, context.app, parsed.unknownFields);
    for (const { item, reason } of parsed.withheld ?? []) warnOnce(`${context.path} ${item}`, `endpoint: not forwarding ${item} on POST ${context.path} (app ${context.app}): ${reason}; further occurrences are not logged`);
    const attribution: NonNullable<RouteOptions['attribution']> = {};
    const title = headerText(request.headers['x-title']);
    const referer = headerText(request.headers['http-referer']);
    const clientName = headerText(request.headers['x-client-name']);
    if (title !== undefined) attribution.title = title;
    if (referer !== undefined) attribution.referer = referer;
    if (clientName !== undefined) attribution.clientName = clientName;
    const routeOptions: RouteOptions = {
      model: parsed.model,
      source: { kind: 'endpoint', detail: context.app },
      app: context.app,
      ...parsed.routing,
      ...(Object.keys(attribution).length > 0 ? { attribution } : {}),
    };
    const endpointMs = performance.now() - context.startedAt;
    const call = options.engine.route(parsed.chat, routeOptions, context.signal);
    const completion: CompletionContext = { id: call.id, created: Math.floor(now() / 1000), requestedModel: parsed.model };
    if (parsed.customTools !== undefined) completion.customTools = parsed.customTools;
    if (parsed.stream) {
      const outcome = await relayRoutedCall({
        call,
        response,
        signal: context.signal,
        dialect: api.dialect,
        encoder: api.encoder(completion),
        keepAliveMs: limits.keepAliveMs,
        endpointMs,
        headers: context.headers,
      });
      return `decision ${call.id} stream ${outcome.kind}${'status' in outcome ? ` ${outcome.status}` : ''}${'errorType' in outcome ? ` ${outcome.errorType}` : ''}`;
    }
    const answer = await collectRoutedCall(call, context.signal);
    const headers = { ...context.headers, ...buildPerpetuoHeaders(call, endpointMs) };
    switch (answer.kind) {
      case 'cancelled':
        return `decision ${call.id} cancelled`;
      case 'error': {
        const mapped = sendErrorResponse(response, api.dialect, answer.error, headers, call.id);
        return `decision ${call.id} ${mapped.status} ${mapped.errorType}${answer.partial ? ' (after partial content)' : ''}`;
      }
      case 'answer':
        sendJsonResponse(response, 200, api.body(completion, call.served(), answer.blocks, answer.finish), headers);
        return `decision ${call.id} 200`;
      default: {
        const unreachable: never = answer;
        throw new Error(`unhandled answer ${JSON.stringify(unreachable)}`);
      }
    }
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const startedAt = performance.now();
    const method = request.method ?? 'GET';
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    const dialect: ApiDialect = path.startsWith('/v1/messages') ? 'anthropic' : 'openai';
    const controller = new AbortController();
    // A client that goes away (closes the tab, presses stop) cancels the upstream call at once.
    response.on('close', () => {
      if (!response.writableFinished) controller.abort();
    });
    let headers: Record<string, string> = {};
    let app = '-';
    try {
      const origin = checkRequestOrigin(request.headers, bound?.port ?? -1, allowedOrigins);
      if (origin !== undefined) headers = { 'access-control-allow-origin': origin, vary: 'Origin' };
      if (method === 'OPTIONS' && origin !== undefined) {
        response.writeHead(204, {
          ...headers,
          'access-control-allow-methods': 'GET, POST, OPTIONS',
          // An origin the user trusts may send what the SDKs send (they add x-stainless-* headers).
          'access-control-allow-headers': headerText(request.headers['access-control-request-headers']) ?? CORS_ALLOWED_HEADERS,
          'access-control-max-age': '600',
        });
        response.end();
        return;
      }
      const expected = ROUTE_METHODS[path];
      if (expected === undefined) {
        throw new EndpointRejection({ status: 404, errorType: 'not_found', message: `No such endpoint: ${path.slice(0, 100)}` });
      }
      if (method !== expected) {
        throw new EndpointRejection({ status: 405, errorType: 'invalid_request', message: `${path} answers ${expected} only.` });
      }
      if (path === '/health') {
        // `service` lets another VS Code window tell a Perpetuo endpoint from any other program on the port.
        sendJsonResponse(response, 200, { status: 'ok', service: 'perpetuo' }, headers);
        return;
      }
      const name = presentedToken(request).map(verify).find((found) => found !== undefined);
      if (name === undefined) {
        throw new EndpointRejection({ status: 401, errorType: 'authentication', message: 'Missing or unknown endpoint token (Authorization: Bearer … or x-api-key).' });
      }
      app = name;
      const release = admit(name);
      try {
        let outcome = '200';
        if (path === '/v1/models') {
          sendJsonResponse(response, 200, listModelsBody(options.engine.listModels(), request.headers['anthropic-version'] !== undefined), headers);
        } else if (path === '/v1/messages/count_tokens') {
          const parsed = parseMessagesRequest(await readRequestBody(request, limits.maxBodyBytes));
          sendJsonResponse(response, 200, { input_tokens: estimateRequestTokens(parsed.chat) }, headers);
        } else {
          const api = path === '/v1/chat/completions' ? CHAT_COMPLETIONS : path === '/v1/responses' ? RESPONSES : MESSAGES;
          outcome = await serveCompletion(api, request, response, { app, path, signal: controller.signal, startedAt, headers });
        }
        logger.info(`endpoint: ${method} ${path} app ${app} ${outcome} in ${(performance.now() - startedAt).toFixed(1)} ms`);
      } finally {
        release();
      }
    } catch (error) {
      const mapped = mapErrorToHttp(error);
      if (mapped.status === 413) {
        // The rest of an oversize body is not worth reading: close the connection after the answer.
        headers = { ...headers, connection: 'close' };
      }
      if (!response.headersSent) {
        sendErrorResponse(response, dialect, error, headers);
      } else {
        response.destroy();
      }
      const line = `endpoint: ${method} ${path.slice(0, 100)} app ${app} ${mapped.status} ${mapped.errorType}: ${mapped.message}`;
      if (mapped.status >= 500) logger.error(line);
      else logger.warn(line);
    }
  };

  const server = createServer({ noDelay: true }, (request, response) => {
    void handle(request, response);
  });
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
    else socket.destroy();
  });

  return {
    listen() {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(options.port, host, () => {
          server.off('error', reject);
          const address = server.address() as AddressInfo;
          bound = { host, port: address.port };
          resolve(bound);
        });
      });
    },
    close() {
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
    get address() {
      return bound;
    },
    setTokens(tokens) {
      verify = createTokenVerifier(tokens);
    },
  };
}
