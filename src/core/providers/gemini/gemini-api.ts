import { z } from 'zod';

/*
 * Wire shapes of the Gemini API (Google AI Studio, `generativelanguage.googleapis.com/v1beta`).
 * Responses are validated loosely: Google adds fields often (grounding, citations, url context),
 * and an unknown field must never turn a good chunk into an error. Counts in `usageMetadata` are
 * proto3 JSON, so a zero is *omitted* rather than sent as 0.
 * @see https://ai.google.dev/api/generate-content#v1beta.GenerateContentResponse
 */

// ---------------------------------------------------------------------------------------------
// Request (what we send). Plain types: we build these ourselves, nothing to validate.
// ---------------------------------------------------------------------------------------------

/** @see https://ai.google.dev/api/caching#Part */
export type GeminiRequestPart =
  | { text: string; thought?: boolean; thoughtSignature?: string }
  | { inlineData: { mimeType: string; data: string } }
  | { fileData: { mimeType: string; fileUri: string } }
  | { functionCall: { name: string; args: Record<string, unknown> }; thoughtSignature?: string }
  | { functionResponse: { name: string; response: Record<string, unknown> } };

/** @see https://ai.google.dev/api/caching#Content */
export interface GeminiContent {
  role: 'user' | 'model';
  parts: GeminiRequestPart[];
}

/** @see https://ai.google.dev/api/caching#FunctionDeclaration */
export interface GeminiFunctionDeclaration {
  name: string;
  description?: string;
  /** Plain JSON Schema; mutually exclusive with the OpenAPI-subset `parameters`. */
  parametersJsonSchema: Record<string, unknown>;
}

/** @see https://ai.google.dev/api/caching#ToolConfig */
export interface GeminiToolConfig {
  functionCallingConfig: { mode: 'AUTO' | 'ANY' | 'NONE'; allowedFunctionNames?: string[] };
}

/** @see https://ai.google.dev/api/generate-content#ThinkingConfig */
export interface GeminiThinkingConfig {
  includeThoughts: boolean;
  thinkingBudget?: number;
  thinkingLevel?: 'minimal' | 'low' | 'medium' | 'high';
}

/** @see https://ai.google.dev/api/generate-content#v1beta.GenerationConfig */
export interface GeminiGenerationConfig {
  temperature?: number;
  topP?: number;
  maxOutputTokens?: number;
  stopSequences?: string[];
  seed?: number;
  responseMimeType?: string;
  responseJsonSchema?: Record<string, unknown>;
  thinkingConfig?: GeminiThinkingConfig;
  /** `['TEXT', 'IMAGE']` asks an image model for pictures (`['IMAGE']` for pictures only). */
  responseModalities?: Array<'TEXT' | 'IMAGE'>;
  /** @see https://ai.google.dev/gemini-api/docs/image-generation#aspect_ratios */
  imageConfig?: { aspectRatio?: string };
}

/** The body of `models/{model}:streamGenerateContent`. Extra keys come from `providerOptions.gemini`. */
export interface GeminiRequestBody {
  contents: GeminiContent[];
  systemInstruction?: { parts: Array<{ text: string }> };
  tools?: Array<{ functionDeclarations: GeminiFunctionDeclaration[] }>;
  toolConfig?: GeminiToolConfig;
  generationConfig?: GeminiGenerationConfig;
  [providerOption: string]: unknown;
}

// ---------------------------------------------------------------------------------------------
// Responses (what we read). zod, loose.
// ---------------------------------------------------------------------------------------------

const count = z.number().int().nonnegative().optional();

/** @see https://ai.google.dev/api/generate-content#UsageMetadata */
export const geminiUsageMetadataSchema = z.looseObject({
  promptTokenCount: count,
  cachedContentTokenCount: count,
  candidatesTokenCount: count,
  toolUsePromptTokenCount: count,
  thoughtsTokenCount: count,
  totalTokenCount: count,
});
export type GeminiUsageMetadata = z.infer<typeof geminiUsageMetadataSchema>;

const responsePartSchema = z.looseObject({
  text: z.string().optional(),
  /** True on thought-summary parts (only sent with `includeThoughts`). */
  thought: z.boolean().optional(),
  /** Opaque; must be sent back on the same part in the next turn (Gemini 3 function calling). */
  thoughtSignature: z.string().optional(),
  functionCall: z
    .looseObject({
      id: z.string().optional(),
      name: z.string(),
      args: z.record(z.string(), z.unknown()).optional(),
    })
    .optional(),
  /** A generated image (image models with `responseModalities` holding `IMAGE`), whole, base64. */
  inlineData: z.looseObject({ mimeType: z.string(), data: z.string() }).optional(),
});

const candidateSchema = z.looseObject({
  content: z.looseObject({ role: z.string().optional(), parts: z.array(responsePartSchema).optional() }).optional(),
  finishReason: z.string().optional(),
  finishMessage: z.string().optional(),
  index: z.number().optional(),
});

/** `{ error: { code, message, status, details[] } }`: google.rpc.Status as JSON. */
export const geminiErrorObjectSchema = z.looseObject({
  code: z.number().optional(),
  message: z.string().optional(),
  status: z.string().optional(),
  details: z.array(z.looseObject({ '@type': z.string().optional() })).optional(),
});
export type GeminiErrorObject = z.infer<typeof geminiErrorObjectSchema>;

/** One SSE chunk of `streamGenerateContent?alt=sse`: a whole GenerateContentResponse, or an error. */
export const geminiStreamChunkSchema = z.looseObject({
  candidates: z.array(candidateSchema).optional(),
  promptFeedback: z
    .looseObject({ blockReason: z.string().optional(), blockReasonMessage: z.string().optional() })
    .optional(),
  usageMetadata: geminiUsageMetadataSchema.optional(),
  modelVersion: z.string().optional(),
  responseId: z.string().optional(),
  error: geminiErrorObjectSchema.optional(),
});
export type GeminiStreamChunk = z.infer<typeof geminiStreamChunkSchema>;

/** An error body: an object, or (from the non-SSE JSON-array stream) a one-element array. */
export const geminiErrorBodySchema = z.union([
  z.looseObject({ error: geminiErrorObjectSchema }),
  z.array(z.looseObject({ error: geminiErrorObjectSchema })).min(1),
]);

/** @see https://ai.google.dev/api/models#Model */
export const geminiModelSchema = z.looseObject({
  name: z.string(),
  displayName: z.string().optional(),
  inputTokenLimit: z.number().int().optional(),
  outputTokenLimit: z.number().int().optional(),
  supportedGenerationMethods: z.array(z.string()).optional(),
});

/** One page of the listing. @see https://ai.google.dev/api/models#method:-models.list */
export const geminiModelListSchema = z.looseObject({
  models: z.array(geminiModelSchema).optional(),
  nextPageToken: z.string().optional(),
});
