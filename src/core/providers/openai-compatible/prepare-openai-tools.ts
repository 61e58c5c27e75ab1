import type { ToolChoice, ToolDefinition } from '../../spec/chat-request';

export interface OpenAIFunctionTool {
  type: 'function';
  function: { name: string; description?: string; parameters: Record<string, unknown> };
}

export type OpenAIToolChoice = 'auto' | 'none' | 'required' | { type: 'function'; function: { name: string } };

/**
 * Our tool definitions and choice → `tools` / `tool_choice`. Without tools nothing is sent, since
 * several servers reject a `tool_choice` that has no tools to choose from.
 * @see https://platform.openai.com/docs/api-reference/chat/create#chat-create-tools
 * @see https://platform.openai.com/docs/api-reference/chat/create#chat-create-tool_choice
 */
export function prepareOpenAITools(tools: ToolDefinition[] | undefined, toolChoice: ToolChoice | undefined): { tools?: OpenAIFunctionTool[]; tool_choice?: OpenAIToolChoice } {
  if (!tools || tools.length === 0) {
    return {};
  }
  const prepared: OpenAIFunctionTool[] = tools.map((tool) => ({
    type: 'function',
    function: {
      name: tool.name,
      ...(tool.description === undefined ? {} : { description: tool.description }),
      parameters: tool.inputSchema,
    },
  }));
  if (toolChoice === undefined) {
    return { tools: prepared };
  }
  return {
    tools: prepared,
    tool_choice: typeof toolChoice === 'string' ? toolChoice : { type: 'function', function: { name: toolChoice.toolName } },
  };
}
