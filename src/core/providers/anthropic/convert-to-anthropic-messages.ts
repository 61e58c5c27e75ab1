import { normalizeMediaType } from '../../attachments/classify-media-type';
import { parseDataUrl } from '../../attachments/parse-data-url';
import { sniffMediaType } from '../../attachments/sniff-media-type';
import { PerpetuoError } from '../../errors/perpetuo-error';
import { untagGeminiThoughtSignature } from '../gemini/tag-gemini-thought-signature';
import type { AssistantContentPart, ChatMessage, FilePart, ImagePart, UserContentPart } from '../../spec/chat-request';
import { type AnthropicCacheControl, type AnthropicContentBlock, type AnthropicMediaSource, type AnthropicMessage, type AnthropicMessagesBody, isAnthropicServerBlock } from './anthropic-api';
import { cacheControlOf } from './convert-anthropic-cache-control';

/** Image types Claude reads. @see https://platform.claude.com/docs/en/build-with-claude/vision */
const IMAGE_MEDIA_TYPES = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp']);

export interface AnthropicPrompt {
  system: AnthropicMessagesBody['system'];
  messages: AnthropicMessage[];
}

/**
 * Converts our messages to Anthropic's `system` + `messages`.
 *
 * - System messages, wherever they stand, become the top-level `system` (a string for one, text
 *   blocks for several): the Messages API has no system role inside `messages`.
 * - Tool results go back as `tool_result` blocks in a *user* message, and consecutive messages of
 *   one role are merged, because the API wants user and assistant turns to alternate.
 * - Images and PDFs travel as `image` / `document` blocks (base64 or URL); a plain-text file as a
 *   text `document`. Audio, video and any other file type are refused with an `invalid-request`
 *   error naming the file: Claude does not read them, and dropping them silently would answer a
 *   question the user did not ask.
 * - Empty text parts are skipped (the API rejects empty text blocks). A reasoning part without a
 *   signature, or with Gemini's (another provider's reasoning, after a fallback), is skipped too:
 *   Anthropic accepts only thinking blocks it signed itself. Redacted thinking goes back as the
 *   `redacted_thinking` block it came as.
 * - Blocks of Anthropic's server tools (a search and its results) and the citations of an answer's
 *   text go back exactly as they came.
 * - Prompt-cache breakpoints (`cacheControl`) go out as `cache_control` on the block, tool result
 *   or system block that carries them; system messages are sent as blocks when one has one.
 * @see https://platform.claude.com/docs/en/api/messages/create
 * @see https://platform.claude.com/docs/en/build-with-claude/pdf-support
 * @see https://platform.claude.com/docs/en/agents-and-tools/tool-use/implement-tool-use
 */
export function convertToAnthropicMessages(messages: ChatMessage[], context: { provider: string; modelId: string }): AnthropicPrompt {
  const system: Array<{ type: 'text'; text: string; cache_control?: AnthropicCacheControl }> = [];
  const out: AnthropicMessage[] = [];
  const append = (role: AnthropicMessage['role'], blocks: AnthropicContentBlock[]) => {
    if (blocks.length === 0) {
      return;
    }
    const last = out.at(-1);
    if (last?.role === role) {
      // In a user turn, tool results must come before any other content: results that arrive
      // after a user message go in front of its text, behind any earlier results.
      const firstOther = last.content.findIndex((block) => block.type !== 'tool_result');
      if (blocks.every((block) => block.type === 'tool_result') && firstOther !== -1) {
        last.content.splice(firstOther, 0, ...blocks);
      } else {
        last.content.push(...blocks);
      }
    } else {
      out.push({ role, content: blocks });
    }
  };

  for (const message of messages) {
    switch (message.role) {
      case 'system':
        if (message.content.trim() !== '') {
          system.push({ type: 'text', text: message.content, ...cacheControlOf(message) });
        }
        break;
      case 'user':
        append('user', message.content.flatMap((part) => convertUserPart(part, context)));
        break;
      case 'assistant':
        append('assistant', message.content.flatMap(convertAssistantPart));
        break;
      case 'tool':
        append(
          'user',
          message.content.map((result) => ({
            type: 'tool_result' as const,
            tool_use_id: result.toolCallId,
            content: result.output,
            ...(result.isError ? { is_error: true } : {}),
            ...cacheControlOf(result),
          })),
        );
        break;
      default: {
        const unreachable: never = message;
        throw new Error(`unknown message role ${JSON.stringify(unreachable)}`);
      }
    }
  }

  const plainSystem = system.length === 1 && system[0]?.cache_control === undefined;
  return {
    system: system.length === 0 ? undefined : plainSystem ? system[0]?.text : system,
    messages: out,
  };
}

function convertUserPart(part: UserContentPart, context: { provider: string; modelId: string }): AnthropicContentBlock[] {
  switch (part.type) {
    case 'text':
      return part.text === '' ? [] : [{ type: 'text', text: part.text, ...cacheControlOf(part) }];
    case 'image':
      return [{ type: 'image', source: convertImageSource(part, context), ...cacheControlOf(part) }];
    case 'file':
      return [{ type: 'document', source: convertDocumentSource(part, context), ...cacheControlOf(part) }];
    case 'audio':
    case 'video':
      throw unsupported(part, `Anthropic does not accept ${part.type} input`, context);
    default: {
      const unreachable: never = part;
      throw new Error(`unknown user part ${JSON.stringify(unreachable)}`);
    }
  }
}

function convertAssistantPart(part: AssistantContentPart): AnthropicContentBlock[] {
  switch (part.type) {
    case 'text':
      return part.text === '' ? [] : [{ type: 'text', text: part.text, ...cacheControlOf(part), ...(part.citations === undefined ? {} : { citations: part.citations }) }];
    case 'reasoning':
      if (part.redacted !== undefined) return [{ type: 'redacted_thinking', data: part.redacted }];
      return part.signature === undefined || untagGeminiThoughtSignature(part.signature) !== undefined
        ? []
        : [{ type: 'thinking', thinking: part.text, signature: part.signature }];
    case 'tool-call':
      return [{ type: 'tool_use', id: part.toolCallId, name: part.toolName, input: toolInputObject(part.input), ...cacheControlOf(part) }];
    case 'provider-block':
      return part.api === 'anthropic' && isAnthropicServerBlock(part.block) ? [part.block] : [];
    default: {
      const unreachable: never = part;
      throw new Error(`unknown assistant part ${JSON.stringify(unreachable)}`);
    }
  }
}

function convertImageSource(part: ImagePart, context: { provider: string; modelId: string }): AnthropicMediaSource {
  const inline = inlineSource(part, context);
  if (inline === undefined) {
    return { type: 'url', url: (part.source as { url: string }).url };
  }
  // The API checks the bytes against the declared type; a PNG named image/jpeg is refused, so the
  // bytes decide when they carry a signature.
  const mediaType = sniffMediaType(Buffer.from(inline.data.slice(0, 1400), 'base64')) ?? inline.mediaType;
  if (!IMAGE_MEDIA_TYPES.has(mediaType)) {
    throw unsupported(part, `Anthropic accepts only JPEG, PNG, GIF and WebP images, not ${mediaType}`, context);
  }
  return { type: 'base64', media_type: mediaType, data: inline.data };
}

function convertDocumentSource(part: FilePart, context: { provider: string; modelId: string }): AnthropicMediaSource {
  const inline = inlineSource(part, context);
  const mediaType = inline?.mediaType ?? normalizeMediaType(part.mediaType);
  if (mediaType === 'application/pdf') {
    return inline === undefined ? { type: 'url', url: (part.source as { url: string }).url } : { type: 'base64', media_type: 'application/pdf', data: inline.data };
  }
  if (mediaType === 'text/plain' && inline !== undefined) {
    return { type: 'text', media_type: 'text/plain', data: Buffer.from(inline.data, 'base64').toString('utf8') };
  }
  throw unsupported(part, `Anthropic accepts PDF documents (and plain text inline), not ${mediaType}${inline === undefined ? ' by URL' : ''}`, context);
}

/**
 * The part's bytes as base64 with its media type, or undefined for an https:// link the API
 * fetches itself. A `data:` URL is decoded here: Anthropic's `url` source takes only http(s) links
 * and refuses a data URL with a 400.
 * @see https://platform.claude.com/docs/en/build-with-claude/vision
 */
function inlineSource(part: ImagePart | FilePart, context: { provider: string; modelId: string }): { data: string; mediaType: string } | undefined {
  if (part.source.kind === 'base64') {
    return { data: part.source.data, mediaType: normalizeMediaType(part.mediaType) };
  }
  if (!/^\s*data:/i.test(part.source.url)) {
    return undefined;
  }
  const parsed = parseDataUrl(part.source.url);
  if (parsed === undefined) {
    throw unsupported(part, 'its data: URL is not well-formed base64 or percent-encoding', context);
  }
  return { data: parsed.base64, mediaType: normalizeMediaType(parsed.mediaType === 'text/plain' && part.mediaType !== '' ? part.mediaType : parsed.mediaType) };
}

/**
 * `tool_use.input` must be an object. A caller that kept the arguments as JSON text (as our
 * stream's `tool-call` part carries them) gets them parsed; `{}` stands for none.
 */
function toolInputObject(input: unknown): unknown {
  if (typeof input !== 'string') {
    return input ?? {};
  }
  try {
    return JSON.parse(input.trim() === '' ? '{}' : input) as unknown;
  } catch {
    // Arguments cut short (an answer that hit max_tokens): send the text rather than lose it.
    return { _raw_arguments: input };
  }
}

function unsupported(
  part: { type: string; mediaType: string; filename?: string },
  reason: string,
  context: { provider: string; modelId: string },
): PerpetuoError {
  const name = part.filename ? `"${part.filename}"` : `the ${part.type} attachment`;
  return new PerpetuoError({
    kind: 'invalid-request',
    provider: context.provider,
    modelId: context.modelId,
    isRetryable: false,
    message: `Cannot send ${name} (${part.mediaType}) to ${context.modelId}: ${reason}. Remove it or pick a model that reads ${part.type} input.`,
  });
}
