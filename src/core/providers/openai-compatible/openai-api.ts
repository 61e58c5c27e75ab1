import { z } from 'zod';

/*
 * Wire shapes of the OpenAI Chat Completions family, loose on purpose: a dozen servers speak
 * dialects of it (OpenRouter adds `provider`, `cost`, `reasoning`; DeepSeek `reasoning_content`
 * and `prompt_cache_*_tokens`; Groq `x_groq.usage`; vLLM sends `choices: null` in the usage
 * chunk). Unknown fields pass through so that `usage.raw` keeps everything for audits.
 */

/** A number, or null where servers write null for "not reported". */
const count = z.number().nullish();

/**
 * Usage as any member of the family reports it.
 * @see https://platform.openai.com/docs/api-reference/chat/object#chat/object-usage
 * @see https://openrouter.ai/docs/use-cases/usage-accounting
 * @see https://api-docs.deepseek.com/api/create-chat-completion
 */
export const openAIUsageSchema = z.looseObject({
  prompt_tokens: count,
  completion_tokens: count,
  total_tokens: count,
  prompt_tokens_details: z
    .looseObject({
      cached_tokens: count,
      /** OpenRouter: prompt tokens written to the provider's cache (Anthropic, Gemini). */
      cache_write_tokens: count,
      audio_tokens: count,
    })
    .nullish(),
  completion_tokens_details: z.looseObject({ reasoning_tokens: count }).nullish(),
  /** DeepSeek's own cache counters. */
  prompt_cache_hit_tokens: count,
  prompt_cache_miss_tokens: count,
  /** OpenRouter: credits (USD) charged to the OpenRouter account for this call. */
  cost: count,
  /**
   * OpenRouter: with BYOK (the user's own provider key inside OpenRouter), `cost` is only
   * OpenRouter's fee and `upstream_inference_cost` is what the provider billed that key; it is
   * null when OpenRouter's credits paid the provider.
   */
  cost_details: z.looseObject({ upstream_inference_cost: count }).nullish(),
});
export type OpenAIUsage = z.infer<typeof openAIUsageSchema>;

/** `error.code` is a number on OpenRouter's errors page and a string in its streaming example. */
const errorCodeSchema = z.union([z.string(), z.number()]).nullish();

/**
 * The `error` object of an error body or of an in-band stream chunk.
 * @see https://platform.openai.com/docs/guides/error-codes
 * @see https://openrouter.ai/docs/api/reference/errors-and-debugging
 */
export const openAIErrorObjectSchema = z.looseObject({
  message: z.string().nullish(),
  type: z.string().nullish(),
  code: errorCodeSchema,
  param: z.string().nullish(),
  metadata: z
    .looseObject({
      error_type: z.string().nullish(),
      provider_code: z.union([z.string(), z.number()]).nullish(),
      provider_name: z.string().nullish(),
      raw: z.unknown().optional(),
    })
    .nullish(),
});
export type OpenAIErrorObject = z.infer<typeof openAIErrorObjectSchema>;

/**
 * Error bodies, read into one error object: `{error:{…}}` from OpenAI and most others, `{error:"text"}` from some local
 * servers, `{object:"error", message, type, code}` from vLLM.
 */
export const openAIErrorBodySchema: z.ZodType<OpenAIErrorObject> = z.union([
  z.looseObject({ error: openAIErrorObjectSchema }).transform((body) => body.error),
  z.looseObject({ error: z.string() }).transform((body) => ({ message: body.error })),
  z
    .looseObject({ message: z.string(), type: z.string().nullish(), code: errorCodeSchema })
    .transform((body) => ({ message: body.message, type: body.type, code: body.code })),
]);

/**
 * One generated image of OpenRouter's image generation (`delta.images[]`, `message.images[]`).
 * @see https://openrouter.ai/docs/features/multimodal/image-generation
 */
const generatedImageSchema = z.looseObject({
  type: z.string().nullish(),
  image_url: z.looseObject({ url: z.string() }),
});

const toolCallDeltaSchema = z.looseObject({
  /** Missing on servers that send each call whole in one delta; the array position stands in. */
  index: z.number().nullish(),
  id: z.string().nullish(),
  type: z.string().nullish(),
  function: z
    .looseObject({
      name: z.string().nullish(),
      arguments: z.string().nullish(),
    })
    .nullish(),
});

/**
 * One streamed `chat.completion.chunk`.
 * @see https://platform.openai.com/docs/api-reference/chat-streaming/streaming
 * @see https://openrouter.ai/docs/api/reference/streaming
 */
export const openAIChunkSchema = z.looseObject({
  id: z.string().nullish(),
  model: z.string().nullish(),
  /** OpenRouter: the upstream provider that served this request. */
  provider: z.string().nullish(),
  choices: z
    .array(
      z.looseObject({
        index: z.number().nullish(),
        delta: z
          .looseObject({
            role: z.string().nullish(),
            content: z.string().nullish(),
            /** DeepSeek, xAI, vLLM, LM Studio. */
            reasoning_content: z.string().nullish(),
            /** OpenRouter, Groq (`reasoning_format: parsed`), Ollama. */
            reasoning: z.string().nullish(),
            tool_calls: z.array(toolCallDeltaSchema).nullish(),
            /** OpenRouter image generation: each image whole, as a `data:` URL. */
            images: z.array(generatedImageSchema).nullish(),
          })
          .nullish(),
        finish_reason: z.string().nullish(),
        /** OpenRouter puts a provider error on the choice in some non-stream-shaped replies. */
        error: openAIErrorObjectSchema.nullish(),
      }),
    )
    .nullish(),
  usage: openAIUsageSchema.nullish(),
  /** Groq reports usage here on the last chunk. */
  x_groq: z.looseObject({ usage: openAIUsageSchema.nullish() }).nullish(),
  /** OpenRouter mid-stream error, sent with `finish_reason: "error"`. */
  error: openAIErrorObjectSchema.nullish(),
});
export type OpenAIChunk = z.infer<typeof openAIChunkSchema>;

const listedModelSchema = z.looseObject({
  id: z.string(),
  name: z.string().nullish(),
  /** Together. */
  display_name: z.string().nullish(),
  /** OpenRouter, Together, Fireworks. */
  context_length: z.number().nullish(),
  /** Groq. */
  context_window: z.number().nullish(),
  /** Mistral. */
  max_context_length: z.number().nullish(),
  top_provider: z.looseObject({ context_length: z.number().nullish(), max_completion_tokens: z.number().nullish() }).nullish(),
  architecture: z.looseObject({ input_modalities: z.array(z.string()).nullish() }).nullish(),
  /** Mistral: `{ vision: true, … }`. */
  capabilities: z.looseObject({ vision: z.boolean().nullish() }).nullish(),
  /** Together: `chat`, `language`, `embedding`, … */
  type: z.string().nullish(),
});
export type OpenAIListedModel = z.infer<typeof listedModelSchema>;

/**
 * `GET /models`: `{data:[…]}` everywhere except Together, which answers a bare array.
 * @see https://platform.openai.com/docs/api-reference/models/list
 * @see https://docs.together.ai/reference/models-1
 */
export const openAIModelListSchema = z.union([z.looseObject({ data: z.array(listedModelSchema) }), z.array(listedModelSchema)]);

/**
 * OpenRouter `GET /key`: the key's own spending limit and what is left of it.
 * @see https://openrouter.ai/docs/api/api-reference/api-keys/get-current-key
 */
export const openRouterKeySchema = z.looseObject({
  data: z.looseObject({
    label: z.string().nullish(),
    limit: z.number().nullish(),
    limit_remaining: z.number().nullish(),
    usage: z.number().nullish(),
    is_free_tier: z.boolean().nullish(),
  }),
});

/**
 * The answer of `POST /v1/images/generations`: each image base64 in `data[].b64_json` (always for
 * the GPT image models; DALL·E only with `response_format: "b64_json"`), its format, and for the
 * GPT image models the token `usage` it is billed by.
 * @see https://platform.openai.com/docs/api-reference/images/object
 */
export const openAIImagesResponseSchema = z.looseObject({
  created: z.number().optional(),
  data: z.array(z.looseObject({ b64_json: z.string().nullish(), url: z.string().nullish(), revised_prompt: z.string().nullish() })),
  output_format: z.string().nullish(),
  size: z.string().nullish(),
  quality: z.string().nullish(),
  usage: z
    .looseObject({
      input_tokens: z.number().int().nonnegative(),
      output_tokens: z.number().int().nonnegative(),
      total_tokens: z.number().int().nonnegative().optional(),
      input_tokens_details: z.looseObject({ text_tokens: z.number().int().nonnegative().optional(), image_tokens: z.number().int().nonnegative().optional() }).nullish(),
    })
    .nullish(),
});
export type OpenAIImagesResponse = z.infer<typeof openAIImagesResponseSchema>;
