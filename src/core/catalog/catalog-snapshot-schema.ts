import { z } from 'zod';
import type { CatalogEndpoint, CatalogModel, EndpointPricing } from './catalog-model';

/** The on-disk and bundled form of a catalog: the bundled snapshot and the cache share it. */
export interface CatalogSnapshot {
  schemaVersion: 1;
  /** Where the models come from, e.g. `models.dev (MIT) 2026-07-02` or `… + openrouter.ai/api/v1 live`. */
  source: string;
  /** The day (`YYYY-MM-DD`) the prices and limits describe. */
  snapshotDate: string;
  /** When this snapshot was assembled (ISO 8601); a cache's age is measured from it. */
  generatedAt: string;
  models: CatalogModel[];
}

/** A price as stored by the catalog: USD as a plain decimal string, never a JSON number. */
const price = z.string().regex(/^\d+(\.\d+)?$/, 'expected a decimal string such as "0.000003"');

const pricingSchema = z
  .object({
    input: price.optional(),
    output: price.optional(),
    cacheRead: price.optional(),
    cacheWrite: price.optional(),
    cacheWrite1h: price.optional(),
    reasoning: price.optional(),
    image: price.optional(),
    request: price.optional(),
    webSearch: price.optional(),
    overrides: z
      .array(
        z.object({
          minPromptTokens: z.number().int().positive(),
          input: price.optional(),
          output: price.optional(),
          cacheRead: price.optional(),
          cacheWrite: price.optional(),
          cacheWrite1h: price.optional(),
        }),
      )
      .optional(),
  })
  // JSON has no `undefined`: an unknown price is an absent key, restored here as an explicit one.
  .transform((p): EndpointPricing => ({ ...p, input: p.input, output: p.output }));

const endpointSchema = z
  .object({
    provider: z.string().min(1),
    upstreamModelId: z.string().min(1),
    pricing: pricingSchema,
    contextLength: z.number().int().positive().optional(),
    maxOutputTokens: z.number().int().positive().optional(),
    inputModalities: z.array(z.enum(['text', 'image', 'audio', 'video', 'file'])),
    outputModalities: z.array(z.enum(['text', 'image', 'audio'])),
    supportedParameters: z.array(z.string()),
    quantization: z.string().optional(),
    serviceTier: z.enum(['standard', 'free', 'flex', 'priority']).optional(),
    upstreamProvider: z.string().optional(),
    dataPolicy: z.object({
      retainsPrompts: z.boolean().optional(),
      trainsOnPrompts: z.boolean().optional(),
      zdr: z.boolean().optional(),
      source: z.string().optional(),
    }),
    stats: z
      .object({
        uptime30m: z.number().optional(),
        latencyP50Ms: z.number().optional(),
        throughputP50: z.number().optional(),
      })
      .optional(),
  })
  .transform(
    (e): CatalogEndpoint => ({ ...e, contextLength: e.contextLength, maxOutputTokens: e.maxOutputTokens }),
  );

const modelSchema = z.object({
  id: z.string().regex(/^[^/\s]+\/[^\s]+$/, 'expected an id of the form author/model'),
  name: z.string().min(1),
  family: z.string().optional(),
  releaseDate: z.string().optional(),
  tier: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]).optional(),
  reasoning: z.boolean().optional(),
  aliases: z.array(z.string()).optional(),
  endpoints: z.array(endpointSchema),
});

/** Validates a whole snapshot; see `parseCatalogSnapshot` for the error and warning handling. */
export const catalogSnapshotSchema = z.object({
  schemaVersion: z.literal(1),
  source: z.string().min(1),
  snapshotDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD'),
  generatedAt: z.iso.datetime(),
  models: z.array(modelSchema),
});
