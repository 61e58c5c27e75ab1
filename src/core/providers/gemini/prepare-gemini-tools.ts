import { PerpetuoError } from '../../errors/perpetuo-error';
import type { ToolChoice, ToolDefinition } from '../../spec/chat-request';
import type { GeminiFunctionDeclaration, GeminiToolConfig } from './gemini-api';

/** The tool part of a Gemini request body; empty when the request has no tools. */
export interface GeminiTools {
  tools?: Array<{ functionDeclarations: GeminiFunctionDeclaration[] }>;
  toolConfig?: GeminiToolConfig;
}

/**
 * Our tools and tool choice as Gemini `tools: [{functionDeclarations}]` and
 * `toolConfig.functionCallingConfig`.
 *
 * Schemas go out unchanged as `parametersJsonSchema`, which takes plain JSON Schema (the older
 * `parameters` field takes only an OpenAPI 3.0 subset and would force us to drop `$ref`, `anyOf`,
 * `additionalProperties`, …). Nothing is dropped.
 *
 * Tool choice: `auto` → AUTO, `none` → NONE, `required` → ANY, one named tool → ANY with
 * `allowedFunctionNames: [name]`. Naming a tool that is not in `tools` is an `invalid-request`.
 * @see https://ai.google.dev/api/caching#FunctionDeclaration
 * @see https://ai.google.dev/api/caching#FunctionCallingConfig
 * @see https://ai.google.dev/gemini-api/docs/function-calling
 */
export function prepareGeminiTools(
  tools: ToolDefinition[] | undefined,
  toolChoice: ToolChoice | undefined,
  context: { provider: string; modelId?: string },
): GeminiTools {
  if (!tools || tools.length === 0) {
    // Without declarations a functionCallingConfig has nothing to act on; NONE is the default anyway.
    return {};
  }
  const functionDeclarations = tools.map((tool): GeminiFunctionDeclaration => {
    const declaration: GeminiFunctionDeclaration = { name: tool.name, parametersJsonSchema: tool.inputSchema };
    if (tool.description !== undefined) {
      declaration.description = tool.description;
    }
    return declaration;
  });
  const result: GeminiTools = { tools: [{ functionDeclarations }] };
  if (toolChoice === undefined) {
    return result;
  }
  if (toolChoice === 'auto') {
    result.toolConfig = { functionCallingConfig: { mode: 'AUTO' } };
  } else if (toolChoice === 'none') {
    result.toolConfig = { functionCallingConfig: { mode: 'NONE' } };
  } else if (toolChoice === 'required') {
    result.toolConfig = { functionCallingConfig: { mode: 'ANY' } };
  } else {
    if (!tools.some((tool) => tool.name === toolChoice.toolName)) {
      throw new PerpetuoError({
        kind: 'invalid-request',
        provider: context.provider,
        modelId: context.modelId,
        message: `Tool choice names "${toolChoice.toolName}", which is not among the request's tools.`,
      });
    }
    result.toolConfig = { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: [toolChoice.toolName] } };
  }
  return result;
}
