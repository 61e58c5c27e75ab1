import { z } from 'zod';

/**
 * The models.dev catalog as converted to one JSON file (`{source, snapshot, providers}`), the
 * input of `scripts/generate-catalog.mjs`. Loose on purpose: models.dev adds fields often, and
 * only the ones read here are checked. Prices are USD per **million** tokens, as JSON numbers.
 * @see https://models.dev
 */
const perMillion = z.number().nonnegative();

const costSchema = z.looseObject({
  input: perMillion.optional(),
  output: perMillion.optional(),
  cache_read: perMillion.optional(),
  cache_write: perMillion.optional(),
  reasoning: perMillion.optional(),
  image: perMillion.optional(),
  request: perMillion.optional(),
  tiers: z
    .array(
      z.looseObject({
        input: perMillion.optional(),
        output: perMillion.optional(),
        cache_read: perMillion.optional(),
        cache_write: perMillion.optional(),
        tier: z.looseObject({ size: z.number().int().positive(), type: z.string().optional() }),
      }),
    )
    .optional(),
});

export const modelsDevModelSchema = z.looseObject({
  name: z.string().optional(),
  family: z.string().optional(),
  release_date: z.string().optional(),
  status: z.string().optional(),
  base_model: z.string().optional(),
  base_model_omit: z.array(z.string()).optional(),
  reasoning: z.boolean().optional(),
  tool_call: z.boolean().optional(),
  structured_output: z.boolean().optional(),
  temperature: z.boolean().optional(),
  cost: costSchema.optional(),
  limit: z.looseObject({ context: z.number().optional(), output: z.number().optional(), input: z.number().optional() }).optional(),
  modalities: z.looseObject({ input: z.array(z.string()).optional(), output: z.array(z.string()).optional() }).optional(),
});

export type ModelsDevModel = z.infer<typeof modelsDevModelSchema>;

export const modelsDevProviderSchema = z.looseObject({
  name: z.string(),
  models: z.record(z.string(), modelsDevModelSchema),
});

export type ModelsDevProvider = z.infer<typeof modelsDevProviderSchema>;

/** The envelope; each provider is checked on its own, so a malformed provider we do not read cannot block the build. */
export const modelsDevCatalogSchema = z.looseObject({
  source: z.string(),
  snapshot: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD'),
  providers: z.record(z.string(), z.unknown()),
});

export interface ModelsDevCatalog {
  source: string;
  snapshot: string;
  providers: Record<string, ModelsDevProvider>;
}
