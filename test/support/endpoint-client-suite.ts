/**
 * The endpoint's client suite (issue #9): the official `openai` and `@anthropic-ai/sdk` clients,
 * unmodified except for base URL and key, against a running Perpetuo endpoint whose engine routes
 * to OpenRouter on a fake upstream. One set of cases for both targets — `perpetuo serve`
 * (test/unit/server/endpoint-clients-serve.test.ts) and the in-editor endpoint inside a real
 * VS Code (test/vscode/endpoint-clients.test.ts) — so the two cannot drift.
 *
 * For each API (chat completions, responses, messages), streamed and not: text; a tool call out
 * and its result back in the next turn; an image in; errors before the first token (an upstream
 * 401 and a budget block) with a real status and the API's own error shape; an upstream failure
 * after the first token; and cancellation (the client aborts, the upstream sees its connection
 * close). Registers mocha cases; call it inside a `describe` whose `before` fills the target.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { readSseFixture, type FakeReply, type FakeUpstream, type RecordedRequest } from './fake-upstream';

/** A running endpoint and the fake OpenRouter behind it. */
export interface EndpointClientTarget {
  /** `http://127.0.0.1:PORT` (OpenAI clients add `/v1`). */
  url: string;
  /** An endpoint token of an app without limits. */
  token: string;
  /** An endpoint token of an app whose budget is too small for any paid request. */
  budgetBlockedToken: string;
  upstream: FakeUpstream;
  /** The fake upstream route the engine posts OpenRouter chat completions to, e.g. `POST /or/api/v1/chat/completions`. */
  upstreamRoute: string;
  /** The OpenRouter key the engine sends upstream: it must never reach a client. */
  providerKey: string;
  /** test/fixtures, as this target reaches it. */
  fixturesDir: string;
}

/** A model the bundled catalog prices and lists under OpenRouter. */
export const SUITE_MODEL = 'anthropic/claude-sonnet-4';
/** The text of test/fixtures/openai-compatible/openrouter-text-cost.jsonl. */
const ANSWER = 'The tallest building needs a deep foundation.';
const PROMPT = 'How tall can a building be?';

/** What a user turn carries, whatever the API. */
interface Turn {
  image?: { mediaType: 'image/png'; base64: string };
  /** Offer the get_weather tool. */
  tools?: boolean;
  /** The assistant's tool calls of the previous turn and their results (sent back in this one). */
  toolResults?: Array<ToolCall & { result: string }>;
}

interface ToolCall {
  id: string;
  name: string;
  /** The arguments as a JSON text. */
  arguments: string;
}

/** What came back, normalised across APIs. */
interface Reply {
  text: string;
  toolCalls: ToolCall[];
  /** The API's own stop word (`stop`, `tool_calls`, `end_turn`, `tool_use`, `completed`, …). */
  stop: string | null | undefined;
  headers: Headers;
}

/** One API seen through its official client. */
interface ApiDriver {
  name: string;
  /** The stop words of a finished text answer and of a tool-call turn. */
  stops: { text: string; tools: string };
  /** Sends one turn; `onFirstText` runs once the first text delta arrived (streams only). */
  send(target: EndpointClientTarget, token: string, turn: Turn, stream: boolean, signal?: AbortSignal, onFirstText?: () => void): Promise<Reply>;
  /** Whose error vocabulary the API speaks. */
  errorTypes: 'openai' | 'anthropic';
  /** Asserts the API's own error shape: the client's error class, the status and the body type; returns the message. */
  assertError(error: unknown, status: number, type: string): string;
  /** Asserts how the client surfaced an upstream failure after streamed text (OpenRouter's 502 `provider_unavailable`). */
  assertMidStreamError(error: unknown): void;
}

const WEATHER_SCHEMA = { type: 'object' as const, properties: { location: { type: 'string' }, unit: { type: 'string' } }, required: ['location'] };

const openaiClient = (target: EndpointClientTarget, token: string) => new OpenAI({ baseURL: `${target.url}/v1`, apiKey: token, maxRetries: 0 });
const imageUrl = (image: NonNullable<Turn['image']>) => `data:${image.mediaType};base64,${image.base64}`;

/** The OpenAI SDK's error: `error.error` is the body's `error` object, `{ message, type, code }`. */
function assertOpenAiError(error: unknown, status: number, type: string): string {
  assert.ok(error instanceof OpenAI.APIError, `not an OpenAI.APIError: ${String(error)}`);
  assert.equal(error.status, status, error.message);
  const body = error.error as { message?: unknown; type?: unknown; code?: unknown };
  assert.equal(body.type, type, JSON.stringify(body));
  assert.equal(typeof body.message, 'string');
  assert.equal(typeof body.code, 'string');
  return body.message as string;
}

const chatCompletions: ApiDriver = {
  name: 'OpenAI chat completions',
  stops: { text: 'stop', tools: 'tool_calls' },
  errorTypes: 'openai',
  async send(target, token, turn, stream, signal, onFirstText) {
    const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [
      { role: 'user', content: turn.image ? [{ type: 'text', text: PROMPT }, { type: 'image_url', image_url: { url: imageUrl(turn.image) } }] : PROMPT },
    ];
    if (turn.toolResults) {
      messages.push(
        { role: 'assistant', content: null, tool_calls: turn.toolResults.map((call) => ({ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } })) },
        ...turn.toolResults.map((call): OpenAI.Chat.ChatCompletionToolMessageParam => ({ role: 'tool', tool_call_id: call.id, content: call.result })),
      );
    }
    const tools: OpenAI.Chat.ChatCompletionTool[] | undefined =
      turn.tools || turn.toolResults ? [{ type: 'function', function: { name: 'get_weather', description: 'Current weather', parameters: WEATHER_SCHEMA } }] : undefined;
    const body = { model: SUITE_MODEL, messages, ...(tools ? { tools } : {}) };
    const client = openaiClient(target, token);
    if (!stream) {
      const { data, response } = await client.chat.completions.create(body, { signal }).withResponse();
      const choice = data.choices[0];
      const toolCalls = (choice?.message.tool_calls ?? []).map((call) => {
        assert.equal(call.type, 'function');
        return { id: call.id, name: call.function.name, arguments: call.function.arguments };
      });
      return { text: choice?.message.content ?? '', toolCalls, stop: choice?.finish_reason, headers: response.headers };
    }
    const { data: chunks, response } = await client.chat.completions.create({ ...body, stream: true }, { signal }).withResponse();
    let text = '';
    let stop: string | null | undefined;
    const calls: ToolCall[] = [];
    for await (const chunk of chunks) {
      const choice = chunk.choices[0];
      if (choice?.delta.content) {
        if (text === '') onFirstText?.();
        text += choice.delta.content;
      }
      for (const delta of choice?.delta.tool_calls ?? []) {
        const call = (calls[delta.index] ??= { id: '', name: '', arguments: '' });
        call.id ||= delta.id ?? '';
        call.name ||= delta.function?.name ?? '';
        call.arguments += delta.function?.arguments ?? '';
      }
      stop = choice?.finish_reason ?? stop;
    }
    if (signal?.aborted) throw new StreamAbortedError(text);
    return { text, toolCalls: calls, stop, headers: response.headers };
  },
  assertError: assertOpenAiError,
  assertMidStreamError(error) {
    // The OpenAI SDK throws on a chunk that carries `error` (OpenRouter's in-band shape).
    assert.ok(error instanceof OpenAI.APIError, String(error));
    assert.equal(error.code, 'provider_unavailable');
    assert.match(error.message, /disconnected/);
  },
};

const responses: ApiDriver = {
  name: 'OpenAI responses',
  stops: { text: 'completed', tools: 'completed' },
  errorTypes: 'openai',
  async send(target, token, turn, stream, signal, onFirstText) {
    const content: OpenAI.Responses.ResponseInputContent[] = [{ type: 'input_text', text: PROMPT }];
    if (turn.image) content.push({ type: 'input_image', image_url: imageUrl(turn.image), detail: 'auto' });
    const input: OpenAI.Responses.ResponseInputItem[] = [{ role: 'user', content }];
    for (const call of turn.toolResults ?? []) {
      input.push({ type: 'function_call', call_id: call.id, name: call.name, arguments: call.arguments });
    }
    for (const call of turn.toolResults ?? []) {
      input.push({ type: 'function_call_output', call_id: call.id, output: call.result });
    }
    const tools: OpenAI.Responses.Tool[] | undefined =
      turn.tools || turn.toolResults ? [{ type: 'function', name: 'get_weather', description: 'Current weather', parameters: WEATHER_SCHEMA, strict: false }] : undefined;
    const body = { model: SUITE_MODEL, input, ...(tools ? { tools } : {}) };
    const client = openaiClient(target, token);
    // `output_text` is the SDK's own convenience on create(); streamed responses carry only the items.
    const toReply = (response: OpenAI.Responses.Response, headers: Headers): Reply => ({
      text: response.output.flatMap((item) => (item.type === 'message' ? item.content.map((part) => (part.type === 'output_text' ? part.text : '')) : [])).join(''),
      toolCalls: response.output.flatMap((item) => (item.type === 'function_call' ? [{ id: item.call_id, name: item.name, arguments: item.arguments }] : [])),
      stop: response.status,
      headers,
    });
    if (!stream) {
      const { data, response } = await client.responses.create(body, { signal }).withResponse();
      return toReply(data, response.headers);
    }
    const { data: events, response } = await client.responses.create({ ...body, stream: true }, { signal }).withResponse();
    let text = '';
    let final: OpenAI.Responses.Response | undefined;
    for await (const event of events) {
      if (event.type === 'response.output_text.delta') {
        if (text === '') onFirstText?.();
        text += event.delta;
      }
      if (event.type === 'response.completed' || event.type === 'response.failed' || event.type === 'response.incomplete') final = event.response;
      if (event.type === 'error') throw new ResponsesStreamError(event, text);
    }
    if (signal?.aborted) throw new StreamAbortedError(text);
    assert.ok(final, 'the stream ended without response.completed');
    const reply = toReply(final, response.headers);
    assert.equal(reply.text, text, 'the final response holds the streamed text');
    return reply;
  },
  assertError: assertOpenAiError,
  assertMidStreamError(error) {
    assert.ok(error instanceof ResponsesStreamError, String(error));
    assert.equal(error.textBefore, 'Partial answer before the');
    assert.equal(error.event.code, 'provider_unavailable');
    assert.match(error.event.message, /disconnected/);
  },
};

/** Both SDKs end a stream's iteration quietly when its request is aborted; the drivers say so. */
class StreamAbortedError extends Error {
  constructor(readonly textBefore: string) {
    super('aborted by the client');
  }
}

/** A Responses stream's `error` event, which the SDK yields rather than throws. */
class ResponsesStreamError extends Error {
  constructor(
    readonly event: OpenAI.Responses.ResponseErrorEvent,
    readonly textBefore: string,
  ) {
    super(event.message);
  }
}

const messages: ApiDriver = {
  name: 'Anthropic messages',
  stops: { text: 'end_turn', tools: 'tool_use' },
  errorTypes: 'anthropic',
  async send(target, token, turn, stream, signal, onFirstText) {
    const content: Anthropic.ContentBlockParam[] = [{ type: 'text', text: PROMPT }];
    if (turn.image) content.push({ type: 'image', source: { type: 'base64', media_type: turn.image.mediaType, data: turn.image.base64 } });
    const history: Anthropic.MessageParam[] = [{ role: 'user', content }];
    if (turn.toolResults) {
      history.push(
        { role: 'assistant', content: turn.toolResults.map((call) => ({ type: 'tool_use', id: call.id, name: call.name, input: JSON.parse(call.arguments) as unknown })) },
        { role: 'user', content: turn.toolResults.map((call) => ({ type: 'tool_result', tool_use_id: call.id, content: call.result })) },
      );
    }
    const tools: Anthropic.Tool[] | undefined = turn.tools || turn.toolResults ? [{ name: 'get_weather', description: 'Current weather', input_schema: WEATHER_SCHEMA }] : undefined;
    const body = { model: SUITE_MODEL, max_tokens: 200, messages: history, ...(tools ? { tools } : {}) };
    const client = new Anthropic({ baseURL: target.url, apiKey: token, maxRetries: 0 });
    if (!stream) {
      const { data, response } = await client.messages.create(body, { signal }).withResponse();
      return {
        text: data.content.map((block) => (block.type === 'text' ? block.text : '')).join(''),
        toolCalls: data.content.flatMap((block) => (block.type === 'tool_use' ? [{ id: block.id, name: block.name, arguments: JSON.stringify(block.input) }] : [])),
        stop: data.stop_reason,
        headers: response.headers,
      };
    }
    const { data: events, response } = await client.messages.create({ ...body, stream: true }, { signal }).withResponse();
    let text = '';
    let stop: string | null | undefined;
    const calls: ToolCall[] = [];
    for await (const event of events) {
      if (event.type === 'content_block_start' && event.content_block.type === 'tool_use') {
        calls.push({ id: event.content_block.id, name: event.content_block.name, arguments: '' });
      }
      if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') {
        if (text === '') onFirstText?.();
        text += event.delta.text;
      }
      if (event.type === 'content_block_delta' && event.delta.type === 'input_json_delta') {
        const call = calls.at(-1);
        assert.ok(call, 'input_json_delta before a tool_use block');
        call.arguments += event.delta.partial_json;
      }
      if (event.type === 'message_delta') stop = event.delta.stop_reason;
    }
    if (signal?.aborted) throw new StreamAbortedError(text);
    return { text, toolCalls: calls, stop, headers: response.headers };
  },
  assertError(error, status, type) {
    assert.ok(error instanceof Anthropic.APIError, `not an Anthropic.APIError: ${String(error)}`);
    assert.equal(error.status, status, error.message);
    const body = error.error as { type?: unknown; error?: { type?: unknown; message?: unknown } };
    assert.equal(body.type, 'error', JSON.stringify(body));
    assert.equal(body.error?.type, type, JSON.stringify(body));
    assert.equal(typeof body.error?.message, 'string');
    return body.error?.message as string;
  },
  assertMidStreamError(error) {
    // The Anthropic SDK throws on `event: error`, with the body's error inside.
    assert.ok(error instanceof Anthropic.APIError, String(error));
    assert.equal((error.error as { error?: { type?: string } }).error?.type, 'api_error');
    assert.match(error.message, /disconnected/);
  },
};

/** The OpenAI and Anthropic `type` words of one endpoint status. */
const ERROR_TYPES = {
  401: { openai: 'authentication_error', anthropic: 'authentication_error' },
  402: { openai: 'insufficient_quota', anthropic: 'billing_error' },
  502: { openai: 'server_error', anthropic: 'api_error' },
} as const;
const typeFor = (driver: ApiDriver, status: keyof typeof ERROR_TYPES) => ERROR_TYPES[status][driver.errorTypes];

/** Registers the client suite against the target `before` hooks fill in. */
export function registerEndpointClientSuite(target: () => EndpointClientTarget): void {
  const fixture = (name: string) => readSseFixture(join(target().fixturesDir, 'openai-compatible', name));
  /** Sets the upstream reply and returns the requests that arrive from now on. */
  const reply = (answer: FakeReply | ((request: RecordedRequest) => FakeReply)) => {
    const { upstream, upstreamRoute } = target();
    upstream.on(upstreamRoute, answer);
    const from = upstream.requests.length;
    return () => upstream.requests.slice(from).filter((request) => `${request.method} ${request.path}` === upstreamRoute);
  };
  const sentMessages = (request: RecordedRequest | undefined) => (request?.body as { messages: Array<Record<string, unknown>> }).messages;

  for (const driver of [chatCompletions, responses, messages]) {
    for (const stream of [false, true]) {
      describe(`${driver.name}, ${stream ? 'streamed' : 'not streamed'}`, () => {
        it('answers text, routed to OpenRouter with the provider key, and names what served in its headers', async () => {
          const sent = reply({ sse: fixture('openrouter-text-cost.jsonl') });
          const answer = await driver.send(target(), target().token, {}, stream);
          assert.equal(answer.text, ANSWER);
          assert.equal(answer.stop, driver.stops.text);
          assert.deepEqual(answer.toolCalls, []);
          assert.equal(answer.headers.get('x-perpetuo-provider'), 'openrouter');
          assert.equal(answer.headers.get('x-perpetuo-model'), SUITE_MODEL);
          const [upstreamRequest, ...more] = sent();
          assert.equal(more.length, 0, 'one upstream call');
          assert.equal(upstreamRequest?.headers.authorization, `Bearer ${target().providerKey}`);
          assert.equal((upstreamRequest?.body as { model: string }).model, SUITE_MODEL);
          assert.deepEqual(sentMessages(upstreamRequest).at(-1), { role: 'user', content: PROMPT });
        });

        it('hands out tool calls, and takes their results back in the next turn', async () => {
          const sent = reply({ sse: fixture('openai-parallel-tool-calls.jsonl') });
          const first = await driver.send(target(), target().token, { tools: true }, stream);
          assert.equal(first.stop, driver.stops.tools);
          assert.deepEqual(
            first.toolCalls.map((call) => [call.name, JSON.parse(call.arguments) as unknown]),
            [
              ['get_weather', { location: 'Paris, France', unit: 'celsius' }],
              ['get_weather', { location: 'Bogotá, Colombia' }],
            ],
          );
          assert.ok(first.toolCalls.every((call) => call.id !== ''), 'every call has an id to answer');
          const offered = (sent()[0]?.body as { tools?: Array<{ function: { name: string } }> }).tools;
          assert.deepEqual(
            offered?.map((tool) => tool.function.name),
            ['get_weather'],
          );

          const resultsSent = reply({ sse: fixture('openrouter-text-cost.jsonl') });
          const results = first.toolCalls.map((call, index) => ({ ...call, result: index === 0 ? '18°C, cloudy' : '14°C, rain' }));
          const second = await driver.send(target(), target().token, { toolResults: results }, stream);
          assert.equal(second.text, ANSWER);
          const history = sentMessages(resultsSent()[0]);
          const assistant = history.find((message) => message.role === 'assistant') as { tool_calls?: Array<{ id: string; function: { name: string; arguments: string } }> };
          assert.deepEqual(
            assistant.tool_calls?.map((call) => [call.id, call.function.name, JSON.parse(call.function.arguments) as unknown]),
            results.map((call) => [call.id, call.name, JSON.parse(call.arguments) as unknown]),
          );
          assert.deepEqual(
            history.filter((message) => message.role === 'tool').map((message) => [message.tool_call_id, message.content]),
            results.map((call) => [call.id, call.result]),
          );
        });

        it('passes an image in', async () => {
          const png = readFileSync(join(target().fixturesDir, 'media', 'gradient.png')).toString('base64');
          const sent = reply({ sse: fixture('openrouter-text-cost.jsonl') });
          const answer = await driver.send(target(), target().token, { image: { mediaType: 'image/png', base64: png } }, stream);
          assert.equal(answer.text, ANSWER);
          const content = sentMessages(sent()[0]).at(-1)?.content as Array<{ type: string; text?: string; image_url?: { url: string } }>;
          assert.deepEqual(
            content.map((part) => part.text ?? part.image_url?.url),
            [PROMPT, `data:image/png;base64,${png}`],
          );
        });

        it('answers an upstream 401 before the first token with a real 401 that names the key without showing it', async () => {
          // An upstream that echoes the key it refused (OpenAI's own 401 names the key it got).
          reply({ status: 401, json: { error: { code: 401, message: `Incorrect API key provided: ${target().providerKey}` } } });
          const error = await driver.send(target(), target().token, {}, stream).then(
            (answer) => assert.fail(`answered ${JSON.stringify(answer.text)}`),
            (caught: unknown) => caught,
          );
          const message = driver.assertError(error, 401, typeFor(driver, 401));
          assert.match(message, /openrouter/i, 'the message names the provider whose key failed');
          assert.ok(!message.includes(target().providerKey), 'the key itself is not in the message');
          assert.ok(!JSON.stringify(error).includes(target().providerKey.slice(8, 30)), 'no part of the key is in the error');
        });

        it('answers a budget block with 402 before calling the upstream', async () => {
          const sent = reply({ sse: fixture('openrouter-text-cost.jsonl') });
          const error = await driver.send(target(), target().budgetBlockedToken, {}, stream).then(
            (answer) => assert.fail(`answered ${JSON.stringify(answer.text)}`),
            (caught: unknown) => caught,
          );
          const message = driver.assertError(error, 402, typeFor(driver, 402));
          assert.match(message, /budget/i);
          assert.equal(sent().length, 0, 'nothing went upstream');
        });

        it('reports an upstream failure after the first token as an error, never as a clean end', async () => {
          reply({ sse: fixture('openrouter-midstream-error-number-code.jsonl') });
          const error = await driver.send(target(), target().token, {}, stream).then(
            (answer) => assert.fail(`ended cleanly with ${JSON.stringify(answer)}`),
            (caught: unknown) => caught,
          );
          if (stream) {
            driver.assertMidStreamError(error);
          } else {
            // Nothing was sent yet: the whole answer becomes one real error status.
            assert.match(driver.assertError(error, 502, typeFor(driver, 502)), /disconnected/);
          }
        });

        it('closes the upstream connection when the client aborts', async () => {
          const controller = new AbortController();
          let arrived: (request: RecordedRequest) => void = () => undefined;
          const upstreamRequest = new Promise<RecordedRequest>((resolve) => (arrived = resolve));
          // Streamed: the first text, then silence. Not streamed: silence after the headers.
          const items = fixture('openrouter-text-cost.jsonl');
          reply((request) => {
            arrived(request);
            return { sse: items, stallAfter: stream ? items.findIndex((item) => JSON.stringify(item).includes('The tallest')) + 1 : 0 };
          });
          const answered = driver.send(target(), target().token, {}, stream, controller.signal, () => controller.abort());
          if (!stream) {
            await upstreamRequest;
            controller.abort();
          }
          await assert.rejects(answered, (error: unknown) => {
            if (stream) {
              assert.ok(error instanceof StreamAbortedError, String(error));
              assert.equal(error.textBefore, 'The tallest', 'the client had the first text before it aborted');
            } else {
              assert.ok(error instanceof OpenAI.APIUserAbortError || error instanceof Anthropic.APIUserAbortError, String(error));
            }
            return true;
          });
          await (await upstreamRequest).connectionClosed;
        });
      });
    }
  }

  describe('Responses custom tools and hosted web search, as Codex declares them', () => {
    const patch = '*** Begin Patch\n*** Add File: hello.txt\n+Hello\n*** End Patch';
    // With the hosted web search Codex declares by default (`web_search = "cached"`), which is left out.
    const webSearch = { type: 'web_search', external_web_access: false } as OpenAI.Responses.Tool;
    const tools: OpenAI.Responses.Tool[] = [{ type: 'custom', name: 'apply_patch', description: 'Edit files.', format: { type: 'grammar', syntax: 'lark', definition: 'start: "*** Begin Patch" LF' } }, webSearch];
    const callsOf = (output: OpenAI.Responses.ResponseOutputItem[] | undefined) => output?.map((item) => (item.type === 'custom_tool_call' ? [item.name, item.input] : item.type));
    for (const stream of [false, true]) {
      it(`offers apply_patch as a function taking input and leaves web search out, and answers the call as a custom_tool_call${stream ? ', streamed' : ''}`, async () => {
        const sent = reply({ sse: fixture('openai-custom-tool-call.jsonl') });
        const request = { model: SUITE_MODEL, input: 'Create hello.txt', tools, store: false };
        const client = openaiClient(target(), target().token);
        let output: OpenAI.Responses.ResponseOutputItem[] | undefined;
        if (stream) {
          for await (const event of await client.responses.create({ ...request, stream: true })) {
            if (event.type === 'response.completed') output = event.response.output;
          }
        } else {
          output = (await client.responses.create(request)).output;
        }
        assert.deepEqual(callsOf(output), [['apply_patch', patch]]);
        const offered = (sent()[0]?.body as { tools?: Array<{ function: { name: string; parameters: { required?: string[] } } }> }).tools;
        assert.deepEqual(
          offered?.map((tool) => [tool.function.name, tool.function.parameters.required]),
          [['apply_patch', ['input']]],
        );
      });
    }
  });
}
