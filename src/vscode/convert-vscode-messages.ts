import * as vscode from 'vscode';
import { classifyMediaType } from '../core/attachments/classify-media-type';
import { createAttachmentPart } from '../core/attachments/create-attachment-part';
import type { AssistantContentPart, ChatMessage, ChatRequest, ToolResultPart, UserContentPart } from '../core/spec/chat-request';

/**
 * VS Code's language-model messages → our ChatRequest. Parts we cannot carry are never dropped
 * silently: they become a text note the model (and the decision log) can see.
 */
export function convertVscodeMessages(
  messages: readonly vscode.LanguageModelChatRequestMessage[],
  options: vscode.ProvideLanguageModelChatResponseOptions,
): ChatRequest {
  const converted: ChatMessage[] = [];
  for (const message of messages) {
    const user: UserContentPart[] = [];
    const assistant: AssistantContentPart[] = [];
    const toolResults: ToolResultPart[] = [];
    for (const part of message.content) {
      if (part instanceof vscode.LanguageModelTextPart) {
        (message.role === vscode.LanguageModelChatMessageRole.Assistant ? assistant : user).push({ type: 'text', text: part.value });
      } else if (part instanceof vscode.LanguageModelToolCallPart) {
        assistant.push({ type: 'tool-call', toolCallId: part.callId, toolName: part.name, input: part.input });
      } else if (part instanceof vscode.LanguageModelToolResultPart) {
        toolResults.push({ type: 'tool-result', toolCallId: part.callId, toolName: '', output: toolResultText(part.content) });
      } else if (part instanceof vscode.LanguageModelDataPart) {
        user.push(convertDataPart(part));
      }
    }
    if (toolResults.length > 0) {
      converted.push({ role: 'tool', content: toolResults });
    }
    if (message.role === vscode.LanguageModelChatMessageRole.Assistant) {
      if (assistant.length > 0) {
        converted.push({ role: 'assistant', content: assistant });
      }
    } else if ((message.role as number) === 3) {
      // LanguageModelChatMessageRole.System (proposed API, value 3): keep it a system message.
      converted.push({ role: 'system', content: user.map((p) => (p.type === 'text' ? p.text : '')).join('') });
    } else if (user.length > 0) {
      converted.push({ role: 'user', content: user });
    }
  }
  fillToolNames(converted);
  const modelOptions = options.modelOptions ?? {};
  return {
    messages: converted,
    tools: options.tools?.map((tool) => ({ name: tool.name, description: tool.description, inputSchema: (tool.inputSchema as Record<string, unknown>) ?? { type: 'object' } })),
    toolChoice: options.tools?.length ? (options.toolMode === vscode.LanguageModelChatToolMode.Required ? 'required' : 'auto') : undefined,
    temperature: numberOption(modelOptions, 'temperature'),
    topP: numberOption(modelOptions, 'top_p'),
    maxOutputTokens: numberOption(modelOptions, 'max_tokens') ?? numberOption(modelOptions, 'maxOutputTokens'),
  };
}

/**
 * Images, audio, video and PDFs become media parts typed by their bytes (a PNG labelled
 * image/jpeg is sent as PNG: providers check), with the same size and type checks as chat
 * attachments; an `invalid-request` error names the part otherwise.
 */
function convertDataPart(part: vscode.LanguageModelDataPart): UserContentPart {
  const mediaType = part.mimeType;
  if (/^(image|audio|video)\//i.test(mediaType) || classifyMediaType(mediaType) !== undefined) {
    return createAttachmentPart({ filename: `attachment.${mediaType.split('/')[1]?.split(';')[0] ?? 'bin'}`, bytes: part.data, mediaType });
  }
  // JSON and text data parts (`text/x-json`, `text/plain`) are context the model reads as text.
  return { type: 'text', text: Buffer.from(part.data).toString('utf8') };
}

function toolResultText(content: readonly unknown[]): string {
  return content
    .map((item) => {
      if (item instanceof vscode.LanguageModelTextPart) {
        return item.value;
      }
      if (item instanceof vscode.LanguageModelDataPart) {
        return Buffer.from(item.data).toString('utf8');
      }
      return typeof item === 'string' ? item : JSON.stringify(item);
    })
    .join('');
}

/** VS Code's tool results carry only the call id; providers like Gemini also want the tool name. */
function fillToolNames(messages: ChatMessage[]): void {
  const names = new Map<string, string>();
  for (const message of messages) {
    if (message.role === 'assistant') {
      for (const part of message.content) {
        if (part.type === 'tool-call') {
          names.set(part.toolCallId, part.toolName);
        }
      }
    } else if (message.role === 'tool') {
      for (const part of message.content) {
        part.toolName = names.get(part.toolCallId) ?? part.toolName;
      }
    }
  }
}

function numberOption(options: Record<string, unknown>, name: string): number | undefined {
  const value = options[name];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
