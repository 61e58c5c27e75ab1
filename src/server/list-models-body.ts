import type { RoutableModel } from '../core/engine/routed-call';

/**
 * The reachable routes and models, in the listing shape the client speaks: OpenAI's
 * `{object:'list', data:[{id, object:'model', …}]}` (with OpenRouter's `name` and
 * `context_length`), or Anthropic's `{data:[{type:'model', id, display_name}], has_more}` when
 * the client sent `anthropic-version`.
 * @see https://platform.openai.com/docs/api-reference/models/list
 * @see https://docs.anthropic.com/en/api/models-list
 */
export function listModelsBody(models: RoutableModel[], anthropic: boolean): Record<string, unknown> {
  if (anthropic) {
    return {
      data: models.map((model) => ({ type: 'model', id: model.id, display_name: model.name, created_at: '1970-01-01T00:00:00Z' })),
      has_more: false,
      first_id: models[0]?.id ?? null,
      last_id: models[models.length - 1]?.id ?? null,
    };
  }
  return {
    object: 'list',
    data: models.map((model) => ({
      id: model.id,
      object: 'model',
      created: 0,
      owned_by: model.kind === 'route' ? 'perpetuo' : (model.id.split('/')[0] ?? 'perpetuo'),
      name: model.name,
      ...(model.contextLength === undefined ? {} : { context_length: model.contextLength }),
      ...(model.maxOutputTokens === undefined ? {} : { max_output_tokens: model.maxOutputTokens }),
      perpetuo: { kind: model.kind, providers: model.providers, image_input: model.imageInput, tool_calling: model.toolCalling },
    })),
  };
}
