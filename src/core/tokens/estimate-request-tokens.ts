import type { ChatRequest } from '../spec/chat-request';
import { estimateAudioTokens, estimateFileTokens, estimateImageTokens, estimateVideoTokens } from './estimate-media-tokens';
import { estimateTextTokens } from './estimate-text-tokens';

/**
 * Chat formats wrap every message in role markers: OpenAI documents 3 tokens a message plus 3 to
 * prime the reply; other providers are in the same range. We count 4 to stay on the high side.
 * @see https://cookbook.openai.com/examples/how_to_count_tokens_with_tiktoken
 */
const TOKENS_PER_MESSAGE = 4;
const REPLY_PRIMING_TOKENS = 3;
/** Each tool definition is rendered into the prompt with some framing around its JSON schema. */
const TOKENS_PER_TOOL = 8;

/**
 * An honest estimate of the prompt tokens of a request, before any provider has seen it: text by
 * a characters-per-token ratio for its script ({@link estimateTextTokens}), images, audio, video
 * and PDFs by the per-item approximations in `estimate-media-tokens.ts`, tool definitions by
 * their JSON text (an API's own tools and blocks too). `pdfTokensPerPage` is the serving provider's rate for a PDF sent as a file,
 * when it is known (`pdfTokensPerPageFor`). It is used for routing decisions (context windows, cost caps, the cheapest
 * strategy); a real tokenizer may replace it without changing this signature.
 */
export function estimateRequestTokens(request: ChatRequest, options: { pdfTokensPerPage?: number } = {}): number {
  let tokens = REPLY_PRIMING_TOKENS;
  for (const message of request.messages) {
    tokens += TOKENS_PER_MESSAGE;
    switch (message.role) {
      case 'system':
        tokens += estimateTextTokens(message.content);
        break;
      case 'user':
        for (const part of message.content) {
          switch (part.type) {
            case 'text':
              tokens += estimateTextTokens(part.text);
              break;
            case 'image':
              tokens += estimateImageTokens(part);
              break;
            case 'audio':
              tokens += estimateAudioTokens(part);
              break;
            case 'video':
              tokens += estimateVideoTokens(part);
              break;
            case 'file':
              tokens += estimateFileTokens(part, options.pdfTokensPerPage);
              break;
            default: {
              const unreachable: never = part;
              throw new Error(`unhandled user part ${JSON.stringify(unreachable)}`);
            }
          }
        }
        break;
      case 'assistant':
        for (const part of message.content) {
          switch (part.type) {
            case 'text':
            case 'reasoning':
              tokens += estimateTextTokens(part.text);
              break;
            case 'tool-call':
              tokens += estimateTextTokens(part.toolName) + estimateTextTokens(JSON.stringify(part.input) ?? '');
              break;
            case 'provider-block':
              // A search result's page text travels encrypted; its JSON errs on the high side.
              tokens += estimateTextTokens(JSON.stringify(part.block));
              break;
            default: {
              const unreachable: never = part;
              throw new Error(`unhandled assistant part ${JSON.stringify(unreachable)}`);
            }
          }
        }
        break;
      case 'tool':
        for (const part of message.content) {
          tokens += estimateTextTokens(part.output);
        }
        break;
      default: {
        const unreachable: never = message;
        throw new Error(`unhandled message ${JSON.stringify(unreachable)}`);
      }
    }
  }
  for (const tool of request.tools ?? []) {
    tokens += TOKENS_PER_TOOL + estimateTextTokens(tool.name) + estimateTextTokens(tool.description ?? '');
    tokens += estimateTextTokens(JSON.stringify(tool.inputSchema));
  }
  for (const tool of request.providerTools ?? []) {
    tokens += TOKENS_PER_TOOL + estimateTextTokens(JSON.stringify(tool.definition));
  }
  if (request.responseFormat?.type === 'json' && request.responseFormat.schema !== undefined) {
    tokens += estimateTextTokens(JSON.stringify(request.responseFormat.schema));
  }
  return tokens;
}
