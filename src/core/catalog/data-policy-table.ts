import type { DataPolicy } from './catalog-model';

/**
 * What a preset provider does with API prompts by default, for a key on its ordinary paid API
 * terms (no enterprise agreement). One row per provider, each fact from the page in `source` as
 * read on `asOf`. A fact the page does not state plainly is left `undefined`, and `zdr` is never
 * `true` unless the provider says retention is off by default: ZDR that needs an approval or an
 * enterprise contract is `false` here, because a user's key does not have it until granted.
 */
export interface DataPolicyRow extends DataPolicy {
  provider: string;
  source: string;
  /** The day the source was read (`YYYY-MM-DD`). */
  asOf: string;
  /** What the booleans cannot say: retention period, conditions, contradictions found. */
  notes?: string;
}

const AS_OF = '2026-07-02';

export const DATA_POLICY_TABLE: readonly DataPolicyRow[] = [
  {
    provider: 'openai',
    retainsPrompts: true,
    trainsOnPrompts: false,
    zdr: false,
    source: 'https://developers.openai.com/api/docs/guides/your-data',
    asOf: AS_OF,
    notes: 'Abuse-monitoring logs kept up to 30 days; not used for training since 2023-03-01 unless opted in; ZDR needs prior approval.',
  },
  {
    provider: 'anthropic',
    retainsPrompts: true,
    trainsOnPrompts: false,
    zdr: false,
    source: 'https://privacy.claude.com/en/articles/8956058-i-have-a-zero-retention-agreement-with-anthropic-what-products-does-it-apply-to',
    asOf: AS_OF,
    notes: 'ZDR only under an approved enterprise arrangement, distinct from the default retention; commercial API data is not used for training.',
  },
  {
    provider: 'google',
    retainsPrompts: true,
    zdr: false,
    source: 'https://ai.google.dev/gemini-api/docs/zdr',
    asOf: AS_OF,
    notes:
      'Paid tier: prompts logged for a limited period (55 days, ai.google.dev/gemini-api/docs/usage-policies) for abuse monitoring and not used to improve products. ' +
      'Free tier (ai.google.dev/terms): prompts and responses are used to improve Google products and may be read by human reviewers. Training is left unknown because it depends on the key’s billing tier.',
  },
  {
    provider: 'openrouter',
    source: 'https://openrouter.ai/docs/guides/privacy/zero-data-retention',
    asOf: AS_OF,
    notes:
      'OpenRouter stores prompts only when Input & Output Logging is turned on; retention and training then depend on the upstream endpoint, ' +
      'so they are per endpoint: ZDR endpoints come from GET /api/v1/endpoints/zdr.',
  },
  {
    provider: 'groq',
    retainsPrompts: false,
    source: 'https://console.groq.com/docs/your-data',
    asOf: AS_OF,
    notes:
      'By default Groq does not retain customer data for inference requests, except when needed for reliability or abuse investigation; ' +
      'a ZDR setting in Data Controls removes those exceptions. Training is not stated on that page.',
  },
  {
    provider: 'mistral',
    zdr: false,
    source: 'https://docs.mistral.ai/admin/monitor-comply/zero-data-retention',
    asOf: AS_OF,
    notes: 'ZDR is available on paid plans on request for stateless endpoints; default retention period and training are not stated there.',
  },
  {
    provider: 'deepseek',
    source: 'https://cdn.deepseek.com/policies/en-US/model-algorithm-disclosure.html',
    asOf: AS_OF,
    notes: 'No API data-retention or training statement found in the documentation we could read; all facts unknown.',
  },
  {
    provider: 'xai',
    retainsPrompts: true,
    trainsOnPrompts: false,
    zdr: false,
    source: 'https://docs.x.ai/docs/resources/faq-api/security',
    asOf: AS_OF,
    notes: 'Requests and responses kept 30 days for abuse audits; never trained on without permission; ZDR is an enterprise feature.',
  },
  {
    provider: 'together',
    trainsOnPrompts: false,
    zdr: false,
    source: 'https://docs.together.ai/docs/zero-data-retention',
    asOf: AS_OF,
    notes:
      'The ZDR page says prompts are stored unless the organisation turns ZDR on, while the privacy page says inputs are not stored by default: retention left unknown. ' +
      'Training is opt-in and off by default (both pages).',
  },
  {
    provider: 'fireworks',
    retainsPrompts: false,
    trainsOnPrompts: false,
    zdr: true,
    source: 'https://docs.fireworks.ai/guides/security_compliance/data_handling',
    asOf: AS_OF,
    notes: 'Zero data retention by default for open models; the Responses API stores conversations for 30 days when store=true (its default).',
  },
  {
    provider: 'azure',
    trainsOnPrompts: false,
    source: 'https://learn.microsoft.com/en-us/answers/questions/1221540/inquiry-about-ms-azure-openai-service-and-data-pri',
    asOf: AS_OF,
    notes: 'Azure OpenAI does not use customer data to retrain models; the abuse-monitoring retention period was not confirmed from a Microsoft page.',
  },
];

const BY_PROVIDER = new Map(DATA_POLICY_TABLE.map((row) => [row.provider, row]));

/** The endpoint-level data policy for a provider; an empty policy (all unknown) when it has no row. */
export function lookupDataPolicy(provider: string): DataPolicy {
  const row = BY_PROVIDER.get(provider);
  if (!row) {
    return {};
  }
  const policy: DataPolicy = { source: `${row.source} (as of ${row.asOf})` };
  if (row.retainsPrompts !== undefined) policy.retainsPrompts = row.retainsPrompts;
  if (row.trainsOnPrompts !== undefined) policy.trainsOnPrompts = row.trainsOnPrompts;
  if (row.zdr !== undefined) policy.zdr = row.zdr;
  return policy;
}
