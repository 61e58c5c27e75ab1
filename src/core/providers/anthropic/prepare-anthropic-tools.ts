import { PerpetuoError } from '../../errors/perpetuo-error';
import type { ChatRequest } from '../../spec/chat-request';
import type { ProviderBlock } from '../../spec/chat-request';
import type { AnthropicTool, AnthropicToolChoice } from './anthropic-api';
import { cacheControlOf } from './convert-anthropic-cache-control';

export interface AnthropicToolSettings {
  tools?: Array<AnthropicTool | ProviderBlock>;
  tool_choice?: AnthropicToolChoice;
}

/**
 * Our tools and tool choice in Anthropic's words: `required` is `any`, a named tool is
 * `{type: 'tool', name}`, and `none` is sent as such (the model sees the tools but may not call
 * them). Anthropic's own tools (`providerTools`: web search, text editor, …) follow ours as the
 * client declared them. Without tools, no tool choice is sent: the API rejects one. A named tool that is not
 * among the tools is a request error before any byte leaves.
 * @see https://platform.claude.com/docs/en/agents-and-tools/tool-use/implement-tool-use#forcing-tool-use
 */
export function prepareAnthropicTools(
  request: Pick<ChatRequest, 'tools' | 'toolChoice' | 'providerTools'>,
  context: { provider: string; modelId: string },
): AnthropicToolSettings {
  const tools = request.tools ?? [];
  const own = (request.providerTools ?? []).filter((tool) => tool.api === 'anthropic').map((tool) => tool.definition);
  if (tools.length === 0 && own.length === 0) {
    return {};
  }
  const wire: AnthropicToolSettings['tools'] = tools.map((tool) => ({
    name: tool.name,
    ...(tool.description === undefined ? {} : { description: tool.description }),
    input_schema: tool.inputSchema,
    ...cacheControlOf(tool),
  }));
  wire.push(...own);
  const choice = request.toolChoice;
  if (choice === undefined) {
    return { tools: wire };
  }
  if (typeof choice === 'object') {
    if (!tools.some((tool) => tool.name === choice.toolName) && !own.some((tool) => tool['name'] === choice.toolName)) {
      throw new PerpetuoError({
        kind: 'invalid-request',
        ...context,
        message: `Tool choice names "${choice.toolName}", which is not among the request's tools.`,
      });
    }
    return { tools: wire, tool_choice: { type: 'tool', name: choice.toolName } };
  }
  return { tools: wire, tool_choice: { type: choice === 'required' ? 'any' : choice } };
}
