import type { ToolDefinition } from '../core/spec';

/**
 * OpenAI's custom tools (Responses `type: "custom"`, what Codex declares `apply_patch` as) take
 * free text, optionally held to a Lark or regex grammar. No other provider has them, so every
 * model gets a function tool with one string parameter, `input`, and the grammar in its
 * description (a hint: nothing enforces it); the call goes back to the client as a
 * `custom_tool_call` whose `input` is that string.
 * @see https://platform.openai.com/docs/guides/function-calling#custom-tools
 */
export function customToolAsFunction(tool: { name: string; description?: string | null; format?: { type: string; syntax?: string; definition?: string } | null }): ToolDefinition {
  const grammar =
    tool.format?.type === 'grammar' && tool.format.definition !== undefined
      ? `The input must match this ${tool.format.syntax ?? ''} grammar:\n${tool.format.definition}`
      : undefined;
  const description = [tool.description ?? '', grammar ?? ''].filter((text) => text !== '').join('\n\n');
  return {
    name: tool.name,
    ...(description === '' ? {} : { description }),
    inputSchema: {
      type: 'object',
      properties: { input: { type: 'string', description: 'The whole input of the tool, as free text (not JSON unless the tool asks for JSON).' } },
      required: ['input'],
      additionalProperties: false,
    },
  };
}

/** A `custom_tool_call` item's `input`, as the wrapped function's arguments. */
export function wrapCustomToolInput(input: string): { input: string } {
  return { input };
}

/**
 * The text a wrapped call carries: the `input` string of its JSON arguments, or the arguments as
 * they came when a model did not write that object (the client sees what the model wrote).
 */
export function unwrapCustomToolInput(args: string): string {
  try {
    const parsed: unknown = JSON.parse(args);
    if (typeof parsed === 'object' && parsed !== null && 'input' in parsed && typeof parsed.input === 'string') return parsed.input;
  } catch {
    // Not JSON: fall through to the text itself.
  }
  return args;
}
