import { z } from 'zod';
import type { AssistantContentPart, ChatMessage, ChatRequest, ToolChoice, UserContentPart } from '../core/spec';
import { EndpointRejection } from './endpoint-rejection';
import { breakpointOf, cacheControlSchema } from './parse-cache-control';
import { mapReasoningEffort, openRouterRoutingFields, pickRouting, reasoningEffortSchema, type EndpointRequest } from './endpoint-request';
import { parseMediaUrl } from './parse-media-url';
import { parseRequestBody } from './parse-request-body';

// `cache_control` on content parts is OpenRouter's way to set prompt-cache breakpoints for
// Anthropic and Gemini models; it travels with the part, to the providers that take it.
const textPart = z.looseObject({ type: z.literal('text'), text: z.string(), cache_control: cacheControlSchema });
const userPart = z.discriminatedUnion('type', [
  textPart,
  z.looseObject({ type: z.literal('image_url'), image_url: z.looseObject({ url: z.string(), detail: z.string().optional() }), cache_control: cacheControlSchema }),
  z.looseObject({ type: z.literal('input_audio'), input_audio: z.looseObject({ data: z.string(), format: z.string() }), cache_control: cacheControlSchema }),
  z.looseObject({ type: z.literal('video_url'), video_url: z.looseObject({ url: z.string() }), cache_control: cacheControlSchema }),
  z.looseObject({
    type: z.literal('file'),
    file: z.looseObject({ filename: z.string().optional(), file_data: z.string().optional(), file_id: z.string().optional() }),
    cache_control: cacheControlSchema,
  }),
]);
const assistantPart = z.discriminatedUnion('type', [textPart, z.looseObject({ type: z.literal('refusal'), refusal: z.string() })]);
const toolCall = z.looseObject({
  id: z.string(),
  type: z.literal('function').optional(),
  function: z.looseObject({ name: z.string(), arguments: z.string() }),
});

const message = z.discriminatedUnion('role', [
  z.looseObject({ role: z.enum(['system', 'developer']), content: z.union([z.string(), z.array(textPart)]) }),
  z.looseObject({ role: z.literal('user'), content: z.union([z.string(), z.array(userPart)]) }),
  z.looseObject({
    role: z.literal('assistant'),
    content: z.union([z.string(), z.array(assistantPart)]).nullish(),
    tool_calls: z.array(toolCall).nullish(),
    reasoning: z.string().nullish(),
    reasoning_content: z.string().nullish(),
  }),
  z.looseObject({ role: z.literal('tool'), tool_call_id: z.string(), content: z.union([z.string(), z.array(textPart)]) }),
]);

const shape = {
  model: z.string().min(1),
  messages: z.array(message).min(1),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  max_tokens: z.int().positive().nullish(),
  max_completion_tokens: z.int().positive().nullish(),
  stop: z.union([z.string(), z.array(z.string()).max(16)]).nullish(),
  seed: z.int().nullish(),
  n: z.literal(1).nullish(),
  tools: z
    .array(
      z.looseObject({
        type: z.literal('function'),
        function: z.looseObject({
          name: z.string().min(1),
          description: z.string().optional(),
          parameters: z.record(z.string(), z.unknown()).optional(),
          strict: z.boolean().nullish(),
        }),
      }),
    )
    .nullish(),
  tool_choice: z
    .union([z.enum(['auto', 'none', 'required']), z.looseObject({ type: z.literal('function'), function: z.looseObject({ name: z.string() }) })])
    .nullish(),
  parallel_tool_calls: z.boolean().nullish(),
  response_format: z
    .discriminatedUnion('type', [
      z.looseObject({ type: z.literal('text') }),
      z.looseObject({ type: z.literal('json_object') }),
      z.looseObject({
        type: z.literal('json_schema'),
        json_schema: z.looseObject({
          name: z.string(),
          description: z.string().optional(),
          schema: z.record(z.string(), z.unknown()).optional(),
          strict: z.boolean().nullish(),
        }),
      }),
    ])
    .nullish(),
  reasoning_effort: reasoningEffortSchema.nullish(),
  reasoning: z.looseObject({ effort: reasoningEffortSchema.optional(), max_tokens: z.int().optional(), exclude: z.boolean().optional() }).nullish(),
  // Known and accepted; nothing in core acts on them, so they are not forwarded.
  user: z.string().nullish(),
  metadata: z.record(z.string(), z.unknown()).nullish(),
  store: z.boolean().nullish(),
  service_tier: z.string().nullish(),
  logprobs: z.boolean().nullish(),
  top_logprobs: z.int().nullish(),
  frequency_penalty: z.number().nullish(),
  presence_penalty: z.number().nullish(),
  logit_bias: z.record(z.string(), z.number()).nullish(),
  // OpenRouter's image generation: `["image","text"]` or `["image"]`, the look in `image_config`.
  modalities: z.array(z.string()).nullish(),
  image_config: z.looseObject({ aspect_ratio: z.string().optional(), quality: z.string().optional(), size: z.string().optional() }).nullish(),
  usage: z.looseObject({ include: z.boolean().optional() }).nullish(),
  ...openRouterRoutingFields,
};
const schema = z.looseObject(shape);
type Body = z.infer<typeof schema>;

function joinText(content: string | Array<{ text: string }>): string {
  return typeof content === 'string' ? content : content.map((part) => part.text).join('');
}

function convertUserContent(content: Extract<Body['messages'][number], { role: 'user' }>['content'], at: string): UserContentPart[] {
  if (typeof content === 'string') {
    return [{ type: 'text', text: content }];
  }
  return content.map((part, index): UserContentPart => ({ ...convertUserPart(part, `${at}.content[${index}]`), ...breakpointOf(part) }));
}

function convertUserPart(part: z.infer<typeof userPart>, param: string): UserContentPart {
  switch (part.type) {
      case 'text':
        return { type: 'text', text: part.text };
      case 'image_url':
        return { type: 'image', ...parseMediaUrl(part.image_url.url, 'image/jpeg', `${param}.image_url.url`) };
      case 'input_audio':
        return { type: 'audio', source: { kind: 'base64', data: part.input_audio.data }, mediaType: `audio/${part.input_audio.format}` };
      case 'video_url':
        return { type: 'video', ...parseMediaUrl(part.video_url.url, 'video/mp4', `${param}.video_url.url`) };
      case 'file': {
        if (part.file.file_data === undefined) {
          throw new EndpointRejection({
            status: 400,
            errorType: 'invalid_request',
            message: `Invalid field '${param}.file': only inline file_data is supported (no uploaded file ids).`,
            param: `${param}.file.file_data`,
          });
        }
        const media = parseMediaUrl(part.file.file_data, 'application/pdf', `${param}.file.file_data`);
        return { type: 'file', ...media, ...(part.file.filename === undefined ? {} : { filename: part.file.filename }) };
      }
      default: {
        const unreachable: never = part;
        throw new Error(`unhandled part ${JSON.stringify(unreachable)}`);
      }
  }
}

/** Tool call arguments are JSON text on the wire and parsed JSON in core; unparsable text is kept as text. */
function parseArguments(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function convertMessages(messages: Body['messages']): ChatMessage[] {
  const out: ChatMessage[] = [];
  const toolNames = new Map<string, string>();
  messages.forEach((entry, index) => {
    switch (entry.role) {
      case 'system':
      case 'developer':
        if (typeof entry.content !== 'string' && entry.content.some((part) => part.cache_control != null)) {
          // Parts with breakpoints stay apart: a breakpoint marks where its part ends.
          for (const part of entry.content) out.push({ role: 'system', content: part.text, ...breakpointOf(part) });
        } else {
          out.push({ role: 'system', content: joinText(entry.content) });
        }
        break;
      case 'user':
        out.push({ role: 'user', content: convertUserContent(entry.content, `messages[${index}]`) });
        break;
      case 'assistant': {
        const content: AssistantContentPart[] = [];
        const reasoning = entry.reasoning ?? entry.reasoning_content;
        if (reasoning) content.push({ type: 'reasoning', text: reasoning });
        if (typeof entry.content === 'string' && entry.content !== '') {
          content.push({ type: 'text', text: entry.content });
        } else if (Array.isArray(entry.content)) {
          for (const part of entry.content) {
            content.push({ type: 'text', text: part.type === 'text' ? part.text : part.refusal });
          }
        }
        for (const call of entry.tool_calls ?? []) {
          toolNames.set(call.id, call.function.name);
          content.push({ type: 'tool-call', toolCallId: call.id, toolName: call.function.name, input: parseArguments(call.function.arguments) });
        }
        out.push({ role: 'assistant', content });
        break;
      }
      case 'tool': {
        const marked = typeof entry.content === 'string' ? undefined : entry.content.findLast((part) => part.cache_control != null);
        const result = {
          type: 'tool-result' as const,
          toolCallId: entry.tool_call_id,
          toolName: toolNames.get(entry.tool_call_id) ?? '',
          output: joinText(entry.content),
          ...(marked === undefined ? {} : breakpointOf(marked)),
        };
        const previous = out[out.length - 1];
        // Consecutive tool messages answer one assistant turn: core wants them as one message.
        if (previous?.role === 'tool') {
          previous.content.push(result);
        } else {
          out.push({ role: 'tool', content: [result] });
        }
        break;
      }
      default: {
        const unreachable: never = entry;
        throw new Error(`unhandled message ${JSON.stringify(unreachable)}`);
      }
    }
  });
  return out;
}

function convertToolChoice(choice: Body['tool_choice']): ToolChoice | undefined {
  if (choice === undefined || choice === null) return undefined;
  return typeof choice === 'string' ? choice : { type: 'tool', toolName: choice.function.name };
}

/**
 * A Chat Completions body (with OpenRouter's extensions) as our request.
 * @see https://platform.openai.com/docs/api-reference/chat/create
 * @see https://openrouter.ai/docs/api-reference/chat-completion
 */
export function parseChatCompletionsRequest(body: unknown): EndpointRequest {
  const { data, unknownFields } = parseRequestBody(schema, Object.keys(shape), body);
  const { routing, providerOptions } = pickRouting(data);
  const chat: ChatRequest = { messages: convertMessages(data.messages) };
  if (data.tools) {
    chat.tools = data.tools.map((tool) => ({
      name: tool.function.name,
      ...(tool.function.description === undefined ? {} : { description: tool.function.description }),
      inputSchema: tool.function.parameters ?? { type: 'object', properties: {} },
    }));
  }
  const toolChoice = convertToolChoice(data.tool_choice);
  if (toolChoice !== undefined) chat.toolChoice = toolChoice;
  if (data.response_format) {
    const format = data.response_format;
    chat.responseFormat =
      format.type === 'text'
        ? { type: 'text' }
        : format.type === 'json_object'
          ? { type: 'json' }
          : {
              type: 'json',
              name: format.json_schema.name,
              ...(format.json_schema.schema === undefined ? {} : { schema: format.json_schema.schema }),
              ...(format.json_schema.description === undefined ? {} : { description: format.json_schema.description }),
            };
  }
  if (data.temperature != null) chat.temperature = data.temperature;
  if (data.top_p != null) chat.topP = data.top_p;
  const maxTokens = data.max_completion_tokens ?? data.max_tokens;
  if (maxTokens != null) chat.maxOutputTokens = maxTokens;
  if (data.stop != null) chat.stop = typeof data.stop === 'string' ? [data.stop] : data.stop;
  if (data.seed != null) chat.seed = data.seed;
  const effort = mapReasoningEffort(data.reasoning_effort ?? data.reasoning?.effort);
  if (effort !== undefined) chat.reasoningEffort = effort;
  const outputs = convertModalities(data.modalities);
  if (outputs !== undefined) chat.outputModalities = outputs;
  let options = providerOptions;
  if (data.image_config != null) {
    const { aspect_ratio: aspectRatio, quality, size } = data.image_config;
    chat.imageOptions = { ...(aspectRatio === undefined ? {} : { aspectRatio }), ...(quality === undefined ? {} : { quality }), ...(size === undefined ? {} : { size }) };
    // OpenRouter takes provider-specific keys here too: it gets the object as the client sent it.
    options = { ...options, openrouter: { ...options?.openrouter, image_config: data.image_config } };
  }
  if (options !== undefined) chat.providerOptions = options;
  return { model: data.model, stream: data.stream === true, chat, routing, unknownFields };
}

/**
 * `modalities` onto core's output modalities: undefined for a text answer, `['image', …]` when
 * images are asked for. Audio output is refused rather than answered with text.
 * @see https://openrouter.ai/docs/features/multimodal/image-generation
 */
function convertModalities(modalities: string[] | null | undefined): ChatRequest['outputModalities'] {
  if (modalities == null) return undefined;
  const outputs: Array<'text' | 'image'> = [];
  modalities.forEach((modality, index) => {
    if (modality !== 'text' && modality !== 'image') {
      throw new EndpointRejection({
        status: 400,
        errorType: 'invalid_request',
        message: `Invalid field 'modalities[${index}]': '${modality.slice(0, 40)}' output is not supported; Perpetuo answers with text and images.`,
        param: `modalities[${index}]`,
      });
    }
    if (!outputs.includes(modality)) outputs.push(modality);
  });
  return outputs.includes('image') ? outputs : undefined;
}
