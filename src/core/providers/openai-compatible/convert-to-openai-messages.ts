import { parseDataUrl } from '../../attachments/parse-data-url';
import { PerpetuoError } from '../../errors/perpetuo-error';
import type { CacheControl, ChatMessage, MediaSource, UserContentPart } from '../../spec/chat-request';

/** One message of the Chat Completions `messages` array, as we send it. */
export type OpenAIMessage =
  | { role: 'system'; content: string | OpenAITextPart[] }
  | { role: 'user'; content: string | OpenAIUserContentPart[] }
  | { role: 'assistant'; content: string | null; tool_calls?: OpenAIToolCall[] }
  | { role: 'tool'; tool_call_id: string; content: string | OpenAITextPart[] };

/** A prompt-cache breakpoint on a content part, where the server takes one (OpenRouter). */
interface Cached {
  cache_control?: { type: 'ephemeral'; ttl?: '5m' | '1h' };
}

type OpenAITextPart = { type: 'text'; text: string } & Cached;

export type OpenAIUserContentPart = (
  | { type: 'text'; text: string }
  | { type: 'image_url'; image_url: { url: string } }
  | { type: 'input_audio'; input_audio: { data: string; format: string } }
  | { type: 'video_url'; video_url: { url: string } }
  | { type: 'file'; file: { filename: string; file_data: string } }
) &
  Cached;

export interface OpenAIToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

/**
 * Our messages → Chat Completions messages. A user message with only text goes as a plain string,
 * which every server of the family accepts (some local ones accept nothing else). Reasoning parts
 * are not sent back: no member of the family takes them as input. Each tool result becomes its
 * own `role:"tool"` message, as the API requires. With `cacheBreakpoints` (OpenRouter), a system
 * message, user part or tool result that carries a prompt-cache breakpoint goes as content parts
 * with `cache_control`; breakpoints on assistant turns and tool calls have no place in this
 * format and are left out.
 * @see https://platform.openai.com/docs/api-reference/chat/create#chat-create-messages
 * @see https://openrouter.ai/docs/guides/overview/multimodal/overview
 */
export function convertToOpenAIMessages(messages: ChatMessage[], context: { provider: string }, cacheBreakpoints = false): OpenAIMessage[] {
  const cached = (part: { cacheControl?: CacheControl }): Cached => (cacheBreakpoints && part.cacheControl !== undefined ? { cache_control: { ...part.cacheControl } } : {});
  const out: OpenAIMessage[] = [];
  for (const message of messages) {
    switch (message.role) {
      case 'system': {
        const breakpoint = cached(message);
        out.push({ role: 'system', content: breakpoint.cache_control === undefined ? message.content : [{ type: 'text', text: message.content, ...breakpoint }] });
        break;
      }
      case 'user': {
        const parts = message.content;
        const plain = parts.every((part) => part.type === 'text' && cached(part).cache_control === undefined);
        out.push({
          role: 'user',
          content: plain ? parts.map((part) => (part.type === 'text' ? part.text : '')).join('') : parts.map((part) => ({ ...convertUserPart(part, context), ...cached(part) })),
        });
        break;
      }
      case 'assistant': {
        const text = message.content.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('');
        const toolCalls: OpenAIToolCall[] = message.content.flatMap((part) =>
          part.type === 'tool-call'
            ? [{ id: part.toolCallId, type: 'function' as const, function: { name: part.toolName, arguments: JSON.stringify(part.input ?? {}) } }]
            : [],
        );
        // `content: null` with tool calls is what OpenAI itself returns; an empty string confuses some servers.
        out.push(toolCalls.length > 0 ? { role: 'assistant', content: text === '' ? null : text, tool_calls: toolCalls } : { role: 'assistant', content: text });
        break;
      }
      case 'tool':
        for (const result of message.content) {
          const breakpoint = cached(result);
          out.push({ role: 'tool', tool_call_id: result.toolCallId, content: breakpoint.cache_control === undefined ? result.output : [{ type: 'text', text: result.output, ...breakpoint }] });
        }
        break;
      default: {
        const unreachable: never = message;
        throw new Error(`Unknown message role: ${JSON.stringify(unreachable)}`);
      }
    }
  }
  return out;
}

function convertUserPart(part: UserContentPart, context: { provider: string }): OpenAIUserContentPart {
  switch (part.type) {
    case 'text':
      return { type: 'text', text: part.text };
    case 'image':
      return { type: 'image_url', image_url: { url: toUrl(part.source, part.mediaType) } };
    case 'audio': {
      const audio = inlineAudio(part.source, part.mediaType);
      if (audio === undefined) {
        // `input_audio` takes base64 only; a URL would be rejected upstream after we paid for the prompt.
        throw new PerpetuoError({
          kind: 'invalid-request',
          provider: context.provider,
          message: `${context.provider} takes audio as inline base64 only, not a URL${part.filename ? ` (${part.filename})` : ''}. Attach the file itself.`,
          isRetryable: false,
        });
      }
      return { type: 'input_audio', input_audio: { data: audio.data, format: audioFormat(audio.mediaType) } };
    }
    case 'video':
      return { type: 'video_url', video_url: { url: toUrl(part.source, part.mediaType) } };
    case 'file':
      return { type: 'file', file: { filename: part.filename ?? defaultFilename(part.mediaType), file_data: toUrl(part.source, part.mediaType) } };
    default: {
      const unreachable: never = part;
      throw new Error(`Unknown user content part: ${JSON.stringify(unreachable)}`);
    }
  }
}

/**
 * Audio bytes as base64: inline data as it is, a `data:` URL decoded (it is the same bytes, and
 * `input_audio.data` wants bare base64), undefined for an https:// link, which the API cannot take.
 * @see https://openrouter.ai/docs/guides/overview/multimodal/audio
 */
function inlineAudio(source: MediaSource, mediaType: string): { data: string; mediaType: string } | undefined {
  if (source.kind === 'base64') {
    return { data: source.data, mediaType };
  }
  const parsed = /^\s*data:/i.test(source.url) ? parseDataUrl(source.url) : undefined;
  if (parsed === undefined) {
    return undefined;
  }
  // A data URL without a type (`data:;base64,…`) reads as text/plain: keep the part's own type then.
  return { data: parsed.base64, mediaType: parsed.mediaType.startsWith('audio/') ? parsed.mediaType : mediaType };
}

function toUrl(source: MediaSource, mediaType: string): string {
  return source.kind === 'url' ? source.url : `data:${mediaType};base64,${source.data}`;
}

/** `audio/mpeg` → `mp3`, `audio/wav` → `wav`, …: the `format` values the API documents. */
function audioFormat(mediaType: string): string {
  const subtype = (mediaType.split('/')[1] ?? mediaType).split(';')[0]?.toLowerCase() ?? '';
  const known: Record<string, string> = { mpeg: 'mp3', mp3: 'mp3', wav: 'wav', 'x-wav': 'wav', wave: 'wav', aiff: 'aiff', 'x-aiff': 'aiff', aac: 'aac', ogg: 'ogg', flac: 'flac', 'x-flac': 'flac', mp4: 'm4a', 'x-m4a': 'm4a', m4a: 'm4a' };
  return known[subtype] ?? subtype;
}

function defaultFilename(mediaType: string): string {
  return mediaType === 'application/pdf' ? 'document.pdf' : 'file';
}
