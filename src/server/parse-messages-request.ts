import { z } from 'zod';
import type { AssistantContentPart, ChatMessage, ChatRequest, ToolResultPart, UserContentPart } from '../core/spec';
import { EndpointRejection } from './endpoint-rejection';
import { breakpointOf, cacheControlSchema } from './parse-cache-control';
import { type EndpointRequest, openRouterRoutingFields, pickRouting } from './endpoint-request';
import { parseAnthropicBetaHeader } from './parse-anthropic-beta-header';
import { parseRequestBody } from './parse-request-body';

// Prompt-caching breakpoints, wherever Anthropic allows them; they travel with the part that
// carries them, to the providers that take them.
const cacheControl = cacheControlSchema;
const mediaSource = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('base64'), media_type: z.string(), data: z.string() }),
  z.looseObject({ type: z.literal('url'), url: z.string().regex(/^https?:\/\//i, 'expected an http(s) URL') }),
]);
const providerObject = z.looseObject({ type: z.string() });
const textBlock = z.looseObject({ type: z.literal('text'), text: z.string(), cache_control: cacheControl });
// An answer's text with the sources it cites (web search results), sent back as it came.
const citedTextBlock = textBlock.extend({ citations: z.array(providerObject).nullish() });
const imageBlock = z.looseObject({ type: z.literal('image'), source: mediaSource, cache_control: cacheControl });
const documentBlock = z.looseObject({
  type: z.literal('document'),
  source: z.discriminatedUnion('type', [
    z.looseObject({ type: z.literal('base64'), media_type: z.string(), data: z.string() }),
    z.looseObject({ type: z.literal('url'), url: z.string().regex(/^https?:\/\//i, 'expected an http(s) URL') }),
    z.looseObject({ type: z.literal('text'), data: z.string() }),
    z.looseObject({ type: z.literal('content'), content: z.union([z.string(), z.array(textBlock)]) }),
  ]),
  title: z.string().nullish(),
  context: z.string().nullish(),
  citations: z.looseObject({}).nullish(),
  cache_control: cacheControl,
});
/**
 * The blocks of Anthropic's server tools in an assistant turn: a search the model ran, and what
 * came back. They go back to Anthropic exactly as they came (the results' encrypted content is
 * what later citations point into).
 * @see https://platform.claude.com/docs/en/agents-and-tools/tool-use/web-search-tool
 */
const SERVER_BLOCK_TYPES = [
  'server_tool_use',
  'web_search_tool_result',
  'web_fetch_tool_result',
  'code_execution_tool_result',
  'bash_code_execution_tool_result',
  'text_editor_code_execution_tool_result',
  'tool_search_tool_result',
] as const;
const block = z.discriminatedUnion('type', [
  citedTextBlock,
  z.looseObject({ type: z.enum(SERVER_BLOCK_TYPES) }),
  imageBlock,
  documentBlock,
  z.looseObject({ type: z.literal('tool_use'), id: z.string(), name: z.string(), input: z.unknown(), cache_control: cacheControl }),
  z.looseObject({
    type: z.literal('tool_result'),
    tool_use_id: z.string(),
    content: z.union([z.string(), z.array(z.discriminatedUnion('type', [textBlock, imageBlock, documentBlock]))]).optional(),
    is_error: z.boolean().optional(),
    cache_control: cacheControl,
  }),
  z.looseObject({ type: z.literal('thinking'), thinking: z.string(), signature: z.string().optional() }),
  z.looseObject({ type: z.literal('redacted_thinking'), data: z.string() }),
]);
type Block = z.infer<typeof block>;
type ServerBlock = Extract<Block, { type: (typeof SERVER_BLOCK_TYPES)[number] }>;
const SERVER_BLOCK_TYPE_SET: ReadonlySet<string> = new Set(SERVER_BLOCK_TYPES);

function isServerBlock(item: Block): item is ServerBlock {
  return SERVER_BLOCK_TYPE_SET.has(item.type);
}

const customTool = z.looseObject({
  type: z.literal('custom').optional(),
  name: z.string().min(1),
  description: z.string().optional(),
  input_schema: z.record(z.string(), z.unknown()),
  cache_control: cacheControl,
});
/**
 * Anthropic's own tools, by dated type: server tools it runs (`web_search_20250305`) and client
 * tools whose schema it knows (`text_editor_20250728`, `bash_20250124`). Only Anthropic takes them.
 */
const anthropicTool = z.looseObject({
  type: z.string().regex(/^[a-z][a-z_]*_\d{8}$/, 'expected "custom" or one of Anthropic\'s dated tool types'),
  name: z.string().min(1),
});
type CustomTool = z.infer<typeof customTool>;
type AnthropicTool = z.infer<typeof anthropicTool>;

function isCustomTool(tool: CustomTool | AnthropicTool): tool is CustomTool {
  return tool.type === undefined || tool.type === 'custom';
}

const shape = {
  model: z.string().min(1),
  messages: z.array(z.looseObject({ role: z.enum(['user', 'assistant']), content: z.union([z.string(), z.array(block)]) })).min(1),
  max_tokens: z.int().positive().nullish(),
  system: z.union([z.string(), z.array(textBlock)]).nullish(),
  stream: z.boolean().nullish(),
  temperature: z.number().min(0).max(1).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  top_k: z.int().nonnegative().nullish(),
  stop_sequences: z.array(z.string()).nullish(),
  tools: z.array(z.union([customTool, anthropicTool])).nullish(),
  tool_choice: z
    .discriminatedUnion('type', [
      z.looseObject({ type: z.enum(['auto', 'any', 'none']), disable_parallel_tool_use: z.boolean().optional() }),
      z.looseObject({ type: z.literal('tool'), name: z.string(), disable_parallel_tool_use: z.boolean().optional() }),
    ])
    .nullish(),
  thinking: z
    .discriminatedUnion('type', [
      z.looseObject({ type: z.literal('enabled'), budget_tokens: z.int().positive() }),
      z.looseObject({ type: z.literal('disabled') }),
      z.looseObject({ type: z.literal('adaptive') }),
    ])
    .nullish(),
  metadata: z.looseObject({ user_id: z.string().nullish() }).nullish(),
  // Not Anthropic's: OpenRouter-style clients send it. Images cannot come back on this wire.
  modalities: z.array(z.string()).nullish(),
  service_tier: z.string().nullish(),
  ...openRouterRoutingFields,
};
const schema = z.looseObject(shape);
type Body = z.infer<typeof schema>;

function convertMediaBlock(item: Extract<Block, { type: 'image' | 'document' }>): UserContentPart {
  return { ...convertMediaSource(item), ...breakpointOf(item) };
}

function convertMediaSource(item: Extract<Block, { type: 'image' | 'document' }>): UserContentPart {
  if (item.type === 'image') {
    return item.source.type === 'base64'
      ? { type: 'image', source: { kind: 'base64', data: item.source.data }, mediaType: item.source.media_type }
      : { type: 'image', source: { kind: 'url', url: item.source.url }, mediaType: 'image/jpeg' };
  }
  const title = item.title ? { filename: item.title } : {};
  switch (item.source.type) {
    case 'base64':
      return { type: 'file', source: { kind: 'base64', data: item.source.data }, mediaType: item.source.media_type, ...title };
    case 'url':
      return { type: 'file', source: { kind: 'url', url: item.source.url }, mediaType: 'application/pdf', ...title };
    case 'text':
      return { type: 'text', text: item.source.data };
    case 'content': {
      const content = item.source.content;
      return { type: 'text', text: typeof content === 'string' ? content : content.map((part) => part.text).join('') };
    }
    default: {
      const unreachable: never = item.source;
      throw new Error(`unhandled source ${JSON.stringify(unreachable)}`);
    }
  }
}

/**
 * One Anthropic user turn may carry tool results and new content together; core wants the results
 * as a tool message, then the rest (including images a tool returned) as a user message.
 */
function convertUserTurn(content: Block[], toolNames: Map<string, string>): ChatMessage[] {
  const results: ToolResultPart[] = [];
  const parts: UserContentPart[] = [];
  for (const item of content) {
    // A server tool's blocks are the assistant's, dropped here like the others below.
    if (isServerBlock(item)) continue;
    switch (item.type) {
      case 'text':
        parts.push({ type: 'text', text: item.text, ...breakpointOf(item) });
        break;
      case 'image':
      case 'document':
        parts.push(convertMediaBlock(item));
        break;
      case 'tool_result': {
        let output = '';
        if (typeof item.content === 'string') {
          output = item.content;
        } else {
          for (const inner of item.content ?? []) {
            if (inner.type === 'text') output += inner.text;
            else parts.push(convertMediaBlock(inner));
          }
        }
        results.push({
          type: 'tool-result',
          toolCallId: item.tool_use_id,
          toolName: toolNames.get(item.tool_use_id) ?? '',
          output,
          ...(item.is_error ? { isError: true } : {}),
          ...breakpointOf(item),
        });
        break;
      }
      case 'tool_use':
      case 'thinking':
      case 'redacted_thinking':
        // Assistant-only blocks in a user turn: the API rejects them, and there is no user meaning to keep.
        break;
      default: {
        const unreachable: never = item;
        throw new Error(`unhandled block ${JSON.stringify(unreachable)}`);
      }
    }
  }
  const out: ChatMessage[] = [];
  if (results.length > 0) out.push({ role: 'tool', content: results });
  if (parts.length > 0) out.push({ role: 'user', content: parts });
  return out;
}

function convertAssistantTurn(content: Block[], toolNames: Map<string, string>): ChatMessage {
  const parts: AssistantContentPart[] = [];
  for (const item of content) {
    if (item.type === 'text') {
      parts.push({ type: 'text', text: item.text, ...breakpointOf(item), ...(item.citations == null || item.citations.length === 0 ? {} : { citations: item.citations }) });
    } else if (item.type === 'thinking') {
      parts.push({ type: 'reasoning', text: item.thinking, ...(item.signature ? { signature: item.signature } : {}) });
    } else if (item.type === 'redacted_thinking') {
      parts.push({ type: 'reasoning', text: '', redacted: item.data });
    } else if (item.type === 'tool_use') {
      toolNames.set(item.id, item.name);
      parts.push({ type: 'tool-call', toolCallId: item.id, toolName: item.name, input: item.input ?? {}, ...breakpointOf(item) });
    } else if (isServerBlock(item)) {
      parts.push({ type: 'provider-block', api: 'anthropic', block: item });
    }
  }
  return { role: 'assistant', content: parts };
}

function convertMessages(body: Body): ChatMessage[] {
  const out: ChatMessage[] = [];
  if (typeof body.system === 'string' || body.system?.every((part) => part.cache_control == null) === true) {
    const system = typeof body.system === 'string' ? body.system : body.system.map((part) => part.text).join('\n');
    if (system !== '') out.push({ role: 'system', content: system });
  } else if (body.system != null) {
    // Blocks with breakpoints stay blocks: a breakpoint marks where its block ends.
    for (const part of body.system) out.push({ role: 'system', content: part.text, ...breakpointOf(part) });
  }
  const toolNames = new Map<string, string>();
  for (const turn of body.messages) {
    const content: Block[] = typeof turn.content === 'string' ? [{ type: 'text', text: turn.content }] : turn.content;
    if (turn.role === 'user') out.push(...convertUserTurn(content, toolNames));
    else out.push(convertAssistantTurn(content, toolNames));
  }
  return out;
}

/** Extended thinking budgets onto our three effort steps; the exact budget also goes to Anthropic. */
function effortForBudget(budget: number): ChatRequest['reasoningEffort'] {
  return budget < 4096 ? 'low' : budget < 16384 ? 'medium' : 'high';
}

/**
 * An Anthropic Messages body (also a `count_tokens` body, where `max_tokens` is absent) as our
 * request. Anthropic's own tools (any dated `type`: web search, text editor, …) become
 * `providerTools`, and its server tools' blocks in the history `provider-block` parts: both go
 * to Anthropic as they came, and only there. Beta fields clients send (`metadata`, `thinking`, `cache_control`, `service_tier`)
 * are accepted; `thinking` is forwarded to Anthropic as it came, and as an effort to the others;
 * `cache_control` stays on its part, for the adapters of providers that take breakpoints. The
 * `anthropic-beta` header's betas go to Anthropic in the same header (others never see them),
 * except those `parseAnthropicBetaHeader` withholds.
 * @see https://docs.anthropic.com/en/api/messages
 */
export function parseMessagesRequest(body: unknown, betaHeader?: string): EndpointRequest {
  const betas = parseAnthropicBetaHeader(betaHeader);
  const { data, unknownFields } = parseRequestBody(schema, Object.keys(shape), body);
  if (data.modalities?.includes('image') === true) {
    throw new EndpointRejection({
      status: 400,
      errorType: 'invalid_request',
      message: "Invalid field 'modalities': image output is not available in the Messages API (its content blocks carry no images). Ask /v1/chat/completions (message.images) or /v1/responses (image_generation_call) for images.",
      param: 'modalities',
    });
  }
  const { routing, providerOptions } = pickRouting(data);
  const chat: ChatRequest = { messages: convertMessages(data) };
  if (data.tools) {
    const custom = data.tools.filter(isCustomTool);
    const own = data.tools.filter((tool): tool is AnthropicTool => !isCustomTool(tool));
    if (custom.length > 0) {
      chat.tools = custom.map((tool) => ({
        name: tool.name,
        ...(tool.description === undefined ? {} : { description: tool.description }),
        inputSchema: tool.input_schema,
        ...breakpointOf(tool),
      }));
    }
    if (own.length > 0) chat.providerTools = own.map((tool) => ({ api: 'anthropic', definition: tool }));
  }
  if (data.tool_choice) {
    const choice = data.tool_choice;
    chat.toolChoice = choice.type === 'tool' ? { type: 'tool', toolName: choice.name } : choice.type === 'any' ? 'required' : choice.type;
  }
  if (data.max_tokens != null) chat.maxOutputTokens = data.max_tokens;
  if (data.temperature != null) chat.temperature = data.temperature;
  if (data.top_p != null) chat.topP = data.top_p;
  if (data.stop_sequences != null) chat.stop = data.stop_sequences;
  const anthropic: Record<string, unknown> = {};
  if (data.top_k != null) anthropic.top_k = data.top_k;
  if (data.thinking != null) {
    anthropic.thinking = data.thinking;
    if (data.thinking.type === 'enabled') chat.reasoningEffort = effortForBudget(data.thinking.budget_tokens);
  }
  if (betas.forwarded.length > 0) anthropic.betas = betas.forwarded;
  const options = { ...providerOptions, ...(Object.keys(anthropic).length > 0 ? { anthropic } : {}) };
  if (Object.keys(options).length > 0) chat.providerOptions = options;
  const parsed: EndpointRequest = { model: data.model, stream: data.stream === true, chat, routing, unknownFields };
  if (betas.withheld.length > 0) parsed.withheld = betas.withheld.map(({ beta, reason }) => ({ item: `anthropic-beta ${beta}`, reason }));
  return parsed;
}
