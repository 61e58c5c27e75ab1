import { z } from 'zod';
import type { AssistantMessage, ChatMessage, ChatRequest, ToolDefinition, UserContentPart } from '../core/spec';
import { customToolAsFunction, wrapCustomToolInput } from './custom-tool-input';
import { EndpointRejection } from './endpoint-rejection';
import { mapReasoningEffort, openRouterRoutingFields, pickRouting, reasoningEffortSchema, type EndpointRequest } from './endpoint-request';
import { parseMediaUrl } from './parse-media-url';
import { parseRequestBody } from './parse-request-body';

const contentPart = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('input_text'), text: z.string() }),
  z.looseObject({ type: z.literal('output_text'), text: z.string() }),
  z.looseObject({ type: z.literal('refusal'), refusal: z.string() }),
  z.looseObject({ type: z.literal('input_image'), image_url: z.string().nullish(), file_id: z.string().nullish(), detail: z.string().optional() }),
  z.looseObject({ type: z.literal('input_file'), file_data: z.string().nullish(), filename: z.string().nullish(), file_url: z.string().nullish(), file_id: z.string().nullish() }),
]);
type ContentPart = z.infer<typeof contentPart>;

const toolOutput = z.union([z.string(), z.array(contentPart)]);

const inputItem = z.discriminatedUnion('type', [
  z.looseObject({
    type: z.literal('message'),
    role: z.enum(['user', 'assistant', 'system', 'developer']),
    content: z.union([z.string(), z.array(contentPart)]),
  }),
  z.looseObject({ type: z.literal('function_call'), call_id: z.string(), name: z.string(), arguments: z.string() }),
  z.looseObject({
    type: z.literal('function_call_output'),
    call_id: z.string(),
    output: toolOutput,
  }),
  z.looseObject({ type: z.literal('custom_tool_call'), call_id: z.string(), name: z.string(), input: z.string() }),
  z.looseObject({ type: z.literal('custom_tool_call_output'), call_id: z.string(), output: toolOutput }),
  z.looseObject({
    type: z.literal('reasoning'),
    summary: z.array(z.looseObject({ text: z.string() })).optional(),
    content: z.array(z.looseObject({ text: z.string() })).nullish(),
  }),
  // A search OpenAI ran in an earlier turn: what it found is in the turn's message, not here.
  z.looseObject({ type: z.literal('web_search_call') }),
]);

/**
 * OpenAI's hosted web search, which Codex declares by default (`web_search = "cached"`). It runs on
 * OpenAI's servers, inside their Responses API; no model behind this endpoint can run it.
 */
const WEB_SEARCH_TOOLS = ['web_search', 'web_search_2025_08_26', 'web_search_preview', 'web_search_preview_2025_03_11'] as const;
const isWebSearchTool = (type: string): boolean => (WEB_SEARCH_TOOLS as readonly string[]).includes(type);
const WEB_SEARCH_ELSEWHERE = 'OpenAI runs web search on its own servers, and no model behind this endpoint can';

const shape = {
  model: z.string().min(1),
  input: z.union([z.string(), z.array(inputItem)]),
  instructions: z.string().nullish(),
  stream: z.boolean().nullish(),
  tools: z
    .array(
      z.discriminatedUnion('type', [
        z.looseObject({
          type: z.literal('function'),
          name: z.string().min(1),
          description: z.string().nullish(),
          parameters: z.record(z.string(), z.unknown()).nullish(),
          strict: z.boolean().nullish(),
        }),
        // Free-text tools (Codex's apply_patch): a function taking `input` for every model.
        z.looseObject({
          type: z.literal('custom'),
          name: z.string().min(1),
          description: z.string().nullish(),
          format: z
            .discriminatedUnion('type', [
              z.looseObject({ type: z.literal('text') }),
              z.looseObject({ type: z.literal('grammar'), syntax: z.enum(['lark', 'regex']), definition: z.string() }),
            ])
            .nullish(),
        }),
        // OpenAI's hosted image tool: here it routes the request to a model that generates images.
        z.looseObject({ type: z.literal('image_generation'), size: z.string().nullish(), quality: z.string().nullish() }),
        // Left out of what the model is offered, with a warning in the log.
        z.looseObject({ type: z.enum(WEB_SEARCH_TOOLS) }),
      ]),
    )
    .nullish(),
  tool_choice: z
    .union([
      z.enum(['auto', 'none', 'required']),
      z.looseObject({ type: z.literal('function'), name: z.string() }),
      z.looseObject({ type: z.literal('custom'), name: z.string() }),
      z.looseObject({ type: z.literal('image_generation') }),
      z.looseObject({ type: z.enum(WEB_SEARCH_TOOLS) }),
    ])
    .nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  max_output_tokens: z.int().positive().nullish(),
  text: z
    .looseObject({
      format: z
        .discriminatedUnion('type', [
          z.looseObject({ type: z.literal('text') }),
          z.looseObject({ type: z.literal('json_object') }),
          z.looseObject({
            type: z.literal('json_schema'),
            name: z.string(),
            schema: z.record(z.string(), z.unknown()),
            description: z.string().optional(),
            strict: z.boolean().nullish(),
          }),
        ])
        .optional(),
      verbosity: z.string().nullish(),
    })
    .nullish(),
  reasoning: z.looseObject({ effort: reasoningEffortSchema.nullish(), summary: z.string().nullish() }).nullish(),
  // State the endpoint does not keep: refusing is honest, ignoring would answer a different question.
  previous_response_id: z.null().optional(),
  conversation: z.null().optional(),
  background: z.literal(false).nullish(),
  // Known and accepted; nothing in core acts on them.
  store: z.boolean().nullish(),
  metadata: z.record(z.string(), z.string()).nullish(),
  user: z.string().nullish(),
  parallel_tool_calls: z.boolean().nullish(),
  truncation: z.enum(['auto', 'disabled']).nullish(),
  include: z.array(z.string()).nullish(),
  service_tier: z.string().nullish(),
  prompt_cache_key: z.string().nullish(),
  safety_identifier: z.string().nullish(),
  ...openRouterRoutingFields,
};
const schema = z.looseObject(shape);
type Body = z.infer<typeof schema>;

function rejectField(param: string, message: string): never {
  throw new EndpointRejection({ status: 400, errorType: 'invalid_request', message: `Invalid field '${param}': ${message}`, param });
}

function convertUserPart(part: ContentPart, param: string): UserContentPart {
  switch (part.type) {
    case 'input_text':
    case 'output_text':
      return { type: 'text', text: part.text };
    case 'refusal':
      return { type: 'text', text: part.refusal };
    case 'input_image':
      if (!part.image_url) rejectField(`${param}.image_url`, 'only image_url is supported (no uploaded file ids).');
      return { type: 'image', ...parseMediaUrl(part.image_url, 'image/jpeg', `${param}.image_url`) };
    case 'input_file': {
      const url = part.file_data ?? part.file_url;
      if (!url) rejectField(`${param}.file_data`, 'only file_data or file_url is supported (no uploaded file ids).');
      const media = parseMediaUrl(url, 'application/pdf', `${param}.file_data`);
      return { type: 'file', ...media, ...(part.filename ? { filename: part.filename } : {}) };
    }
    default: {
      const unreachable: never = part;
      throw new Error(`unhandled part ${JSON.stringify(unreachable)}`);
    }
  }
}

function textOf(content: string | ContentPart[]): string {
  if (typeof content === 'string') return content;
  return content.map((part) => (part.type === 'refusal' ? part.refusal : 'text' in part ? part.text : '')).join('');
}

function parseArguments(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function convertInput(input: Body['input'], instructions: string | null | undefined): ChatMessage[] {
  const out: ChatMessage[] = [];
  if (instructions) out.push({ role: 'system', content: instructions });
  if (typeof input === 'string') {
    out.push({ role: 'user', content: [{ type: 'text', text: input }] });
    return out;
  }
  const toolNames = new Map<string, string>();
  // Images and files a tool returned: core's tool results are text, so they follow the run of
  // results as a user message (a message between two results would break the run).
  let toolMedia: UserContentPart[] = [];
  const flushToolMedia = (): void => {
    if (toolMedia.length === 0) return;
    out.push({ role: 'user', content: toolMedia });
    toolMedia = [];
  };
  // Reasoning and function calls are separate items on the wire and one assistant turn in core.
  const assistantTurn = (): AssistantMessage => {
    const previous = out[out.length - 1];
    if (previous?.role === 'assistant') return previous;
    const created: AssistantMessage = { role: 'assistant', content: [] };
    out.push(created);
    return created;
  };
  input.forEach((item, index) => {
    const param = `input[${index}]`;
    if (item.type !== 'function_call_output' && item.type !== 'custom_tool_call_output') flushToolMedia();
    switch (item.type) {
      case 'message':
        if (item.role === 'system' || item.role === 'developer') {
          out.push({ role: 'system', content: textOf(item.content) });
        } else if (item.role === 'assistant') {
          assistantTurn().content.push({ type: 'text', text: textOf(item.content) });
        } else {
          const content =
            typeof item.content === 'string'
              ? [{ type: 'text' as const, text: item.content }]
              : item.content.map((part, partIndex) => convertUserPart(part, `${param}.content[${partIndex}]`));
          out.push({ role: 'user', content });
        }
        break;
      case 'function_call':
        toolNames.set(item.call_id, item.name);
        assistantTurn().content.push({ type: 'tool-call', toolCallId: item.call_id, toolName: item.name, input: parseArguments(item.arguments) });
        break;
      case 'custom_tool_call':
        toolNames.set(item.call_id, item.name);
        assistantTurn().content.push({ type: 'tool-call', toolCallId: item.call_id, toolName: item.name, input: wrapCustomToolInput(item.input) });
        break;
      case 'function_call_output':
      case 'custom_tool_call_output': {
        let output = '';
        if (typeof item.output === 'string') {
          output = item.output;
        } else {
          item.output.forEach((part, partIndex) => {
            const converted = convertUserPart(part, `${param}.output[${partIndex}]`);
            if (converted.type === 'text') output += converted.text;
            else toolMedia.push(converted);
          });
        }
        const result = { type: 'tool-result' as const, toolCallId: item.call_id, toolName: toolNames.get(item.call_id) ?? '', output };
        const previous = out[out.length - 1];
        if (previous?.role === 'tool') previous.content.push(result);
        else out.push({ role: 'tool', content: [result] });
        break;
      }
      case 'reasoning': {
        const text = [...(item.summary ?? []), ...(item.content ?? [])].map((part) => part.text).join('\n');
        if (text !== '') assistantTurn().content.push({ type: 'reasoning', text });
        break;
      }
      case 'web_search_call':
        break;
      default: {
        const unreachable: never = item;
        throw new Error(`unhandled item ${JSON.stringify(unreachable)}`);
      }
    }
  });
  flushToolMedia();
  return out;
}

/** Easy input messages may omit `type: 'message'`; the schema's discriminator wants it spelled out. */
function withItemTypes(body: unknown): unknown {
  if (typeof body !== 'object' || body === null || !('input' in body) || !Array.isArray(body.input)) return body;
  const input = body.input.map((item: unknown) =>
    typeof item === 'object' && item !== null && !('type' in item) && 'role' in item ? { ...item, type: 'message' } : item,
  );
  return { ...body, input };
}

/**
 * A Responses API body as our request. Stateless: `previous_response_id`, `conversation` and
 * `background` are refused with a 400 rather than ignored.
 * @see https://platform.openai.com/docs/api-reference/responses/create
 */
export function parseResponsesRequest(body: unknown): EndpointRequest {
  const { data, unknownFields } = parseRequestBody(schema, Object.keys(shape), withItemTypes(body));
  const { routing, providerOptions } = pickRouting(data);
  const chat: ChatRequest = { messages: convertInput(data.input, data.instructions) };
  const functions: ToolDefinition[] = [];
  const customTools = new Set<string>();
  const leftOut: string[] = [];
  for (const tool of data.tools ?? []) {
    if (tool.type === 'custom') {
      customTools.add(tool.name);
      functions.push(customToolAsFunction(tool));
    } else if (tool.type === 'image_generation') {
      // The images come back as `image_generation_call` items, from the model that serves.
      chat.outputModalities = ['image', 'text'];
      const options = { ...(tool.size == null ? {} : { size: tool.size }), ...(tool.quality == null ? {} : { quality: tool.quality }) };
      if (Object.keys(options).length > 0) chat.imageOptions = options;
    } else if (tool.type === 'function') {
      functions.push({ name: tool.name, ...(tool.description ? { description: tool.description } : {}), inputSchema: tool.parameters ?? { type: 'object', properties: {} } });
    } else {
      leftOut.push(tool.type);
    }
  }
  if (functions.length > 0) chat.tools = functions;
  const choice = data.tool_choice;
  if (choice != null && typeof choice !== 'string' && isWebSearchTool(choice.type)) {
    rejectField('tool_choice', `${choice.type} cannot be required here: ${WEB_SEARCH_ELSEWHERE}.`);
  }
  if (choice === 'required' && functions.length === 0 && leftOut.length > 0) {
    rejectField('tool_choice', `'required' leaves the model only ${leftOut.join(' and ')} to call: ${WEB_SEARCH_ELSEWHERE}.`);
  }
  if (choice != null && (typeof choice === 'string' || choice.type === 'function' || choice.type === 'custom')) {
    chat.toolChoice = typeof choice === 'string' ? choice : { type: 'tool', toolName: choice.name };
  }
  const format = data.text?.format;
  if (format) {
    chat.responseFormat =
      format.type === 'text'
        ? { type: 'text' }
        : format.type === 'json_object'
          ? { type: 'json' }
          : { type: 'json', name: format.name, schema: format.schema, ...(format.description === undefined ? {} : { description: format.description }) };
  }
  if (data.temperature != null) chat.temperature = data.temperature;
  if (data.top_p != null) chat.topP = data.top_p;
  if (data.max_output_tokens != null) chat.maxOutputTokens = data.max_output_tokens;
  const effort = mapReasoningEffort(data.reasoning?.effort);
  if (effort !== undefined) chat.reasoningEffort = effort;
  if (providerOptions !== undefined) chat.providerOptions = providerOptions;
  const parsed: EndpointRequest = { model: data.model, stream: data.stream === true, chat, routing, unknownFields };
  if (customTools.size > 0) parsed.customTools = customTools;
  if (leftOut.length > 0) parsed.withheld = leftOut.map((type) => ({ item: `tool ${type}`, reason: `${WEB_SEARCH_ELSEWHERE}, so the model answers without searching` }));
  return parsed;
}
