import type { AssistantContentPart, ChatMessage, ToolResultPart, UserContentPart } from '../../spec/chat-request';
import { convertToGeminiMediaPart, type InlineBudget } from './convert-to-gemini-media-part';
import type { GeminiContent, GeminiRequestPart } from './gemini-api';
import { FOREIGN_THOUGHT_SIGNATURE, untagGeminiThoughtSignature } from './tag-gemini-thought-signature';

/** The conversation part of a Gemini request body. */
export interface GeminiPrompt {
  systemInstruction?: { parts: Array<{ text: string }> };
  contents: GeminiContent[];
}

/**
 * Our messages as Gemini `contents` plus a `systemInstruction`:
 * - every system message becomes one part of `systemInstruction`, in order (Gemini has no
 *   system role inside `contents`);
 * - user → role `user`, assistant → role `model`, tool results → role `user` with one
 *   `functionResponse {name, response}` per result, where `response` is `{output}` or, for a
 *   failed tool, `{error}` — the two keys the API documents;
 * - consecutive messages of the same role are merged into one content (a tool-result message
 *   followed by a user message is one `user` turn);
 * - assistant tool calls become `functionCall {name, args}`; ids are not sent, as Gemini pairs
 *   calls and responses by name and order;
 * - reasoning text is not sent back (thought summaries are for display; the model's state lives
 *   in the signature). A Gemini thought signature carried by a reasoning part is put back on the
 *   next text or function-call part of that message, where Gemini emitted it. A step whose
 *   function calls carry no Gemini signature (another provider's turn) gets Google's placeholder
 *   on its first call, without which Gemini 3 refuses the history.
 * Throws an `invalid-request` PerpetuoError for media Gemini cannot take (see
 * convertToGeminiMediaPart).
 * @see https://ai.google.dev/api/generate-content#request-body
 * @see https://ai.google.dev/gemini-api/docs/function-calling
 * @see https://ai.google.dev/gemini-api/docs/thought-signatures
 */
export function convertToGeminiContents(messages: ChatMessage[], context: { provider: string; modelId?: string }): GeminiPrompt {
  const system: Array<{ text: string }> = [];
  const contents: GeminiContent[] = [];
  const budget: InlineBudget = { usedBytes: 0 };

  const append = (role: GeminiContent['role'], parts: GeminiRequestPart[]) => {
    if (parts.length === 0) {
      return;
    }
    const last = contents.at(-1);
    if (last?.role === role) {
      last.parts.push(...parts);
    } else {
      contents.push({ role, parts });
    }
  };

  for (const message of messages) {
    switch (message.role) {
      case 'system':
        if (message.content !== '') {
          system.push({ text: message.content });
        }
        break;
      case 'user':
        append('user', message.content.map((part) => convertUserPart(part, budget, context)).filter((p) => p !== undefined));
        break;
      case 'assistant':
        append('model', convertAssistantParts(message.content));
        break;
      case 'tool':
        append('user', message.content.map(convertToolResult));
        break;
      default: {
        const unreachable: never = message;
        throw new Error(`unknown message role ${JSON.stringify(unreachable)}`);
      }
    }
  }
  return system.length > 0 ? { systemInstruction: { parts: system }, contents } : { contents };
}

function convertUserPart(part: UserContentPart, budget: InlineBudget, context: { provider: string; modelId?: string }): GeminiRequestPart | undefined {
  switch (part.type) {
    case 'text':
      // Gemini rejects a part with an empty `text`.
      return part.text === '' ? undefined : { text: part.text };
    case 'image':
    case 'audio':
    case 'video':
    case 'file':
      return convertToGeminiMediaPart(part, budget, context);
    default: {
      const unreachable: never = part;
      throw new Error(`unknown user part ${JSON.stringify(unreachable)}`);
    }
  }
}

function convertAssistantParts(content: AssistantContentPart[]): GeminiRequestPart[] {
  const parts: GeminiRequestPart[] = [];
  let pendingSignature: string | undefined;
  let signedCall = false;
  let firstCall: Extract<GeminiRequestPart, { functionCall: unknown }> | undefined;
  for (const part of content) {
    switch (part.type) {
      case 'reasoning':
        pendingSignature = untagGeminiThoughtSignature(part.signature) ?? pendingSignature;
        break;
      case 'text':
        if (part.text !== '') {
          parts.push(pendingSignature ? { text: part.text, thoughtSignature: pendingSignature } : { text: part.text });
          pendingSignature = undefined;
        }
        break;
      case 'tool-call': {
        const call: Extract<GeminiRequestPart, { functionCall: unknown }> = { functionCall: { name: part.toolName, args: toArgs(part.input) } };
        if (pendingSignature) {
          call.thoughtSignature = pendingSignature;
          pendingSignature = undefined;
          signedCall = true;
        }
        firstCall ??= call;
        parts.push(call);
        break;
      }
      case 'provider-block':
        // Another API's block (the router sends a turn holding one only to that API).
        break;
      default: {
        const unreachable: never = part;
        throw new Error(`unknown assistant part ${JSON.stringify(unreachable)}`);
      }
    }
  }
  if (firstCall && !signedCall) {
    firstCall.thoughtSignature = FOREIGN_THOUGHT_SIGNATURE;
  }
  return parts;
}

/** `functionCall.args` must be a JSON object (a protobuf Struct). */
function toArgs(input: unknown): Record<string, unknown> {
  let value = input;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      // not JSON: keep the text, wrapped below
    }
  }
  if (value === undefined || value === null) {
    return {};
  }
  // A call whose arguments were not an object (a broken call from another model) still has to be
  // replayed faithfully; wrapping keeps the value instead of dropping it.
  return typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : { input: value };
}

function convertToolResult(part: ToolResultPart): GeminiRequestPart {
  return {
    functionResponse: {
      name: part.toolName,
      response: part.isError ? { error: part.output } : { output: part.output },
    },
  };
}
