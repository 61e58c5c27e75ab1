/**
 * Quality tier of a model, used by the `quality` strategy and the auto router: 1 is a frontier
 * flagship, 2 a strong general model, 3 a fast/cheap model, 4 a small one. The table is ours,
 * deliberately coarse, and keyed on family names so that a new dated snapshot lands in its
 * family's row. Rows are tried in order, so the small variants come before their flagships
 * (`gpt-4.1-nano` must not match the `gpt-4.1` row). When no row matches, a parameter count in
 * the id (`-70b`) decides; otherwise the tier stays unknown.
 */
const TIER_TABLE: ReadonlyArray<readonly [RegExp, 1 | 2 | 3 | 4]> = [
  // 4: nano and ≤ 8B-class models, and the retired small generation.
  [/(^|-)nano($|-)|ministral-(3b|8b)|gemma-3n|gpt-3\.5|mistral-nemo|open-mistral-7b|mixtral-8x7b/, 4],
  // 2: the "mini" reasoning models are strong despite the name.
  [/^o\d-mini/, 2],
  // 3: mini / lite / haiku / small / flash-lite / air variants.
  [/(-mini|-lite|-small|-air|-flash-lite)($|-)|haiku|mistral-small|magistral-small|ministral|-instant$/, 3],
  // 1: frontier flagships.
  [/claude-(opus|fable)|claude-sonnet-(5|4\.[5-9])/, 1],
  [/^gpt-5(\.\d+)?(-pro|-codex|-codex-max)?$/, 1],
  [/^o[13]-pro$|^o3$/, 1],
  [/^gemini-[\d.]+-pro/, 1],
  [/^grok-4(\.\d+)?(-reasoning|-multi-agent)?$/, 1],
  [/^deepseek-v4-pro|^qwen3(\.\d+)?-max|^kimi-k2\.[6-9]|^glm-5\.\d/, 1],
  // 2: strong general models.
  [/claude-sonnet|claude-opus|^gpt-4(\.1|o)?($|-)|^gpt-5|^o\d/, 2],
  [/^gemini-[\d.]+-flash|^grok|^deepseek|^kimi|^glm-[45]|^minimax|^qwen3?(\.\d+)?-(plus|max|coder)/, 2],
  [/^mistral-(large|medium)|^magistral-medium|^devstral-medium|^codestral|^command-a|^llama-4-maverick|^gpt-oss-120b/, 2],
  // 3: capable open models one step down.
  [/^llama-4-scout|^gpt-oss-20b|^phi-4|^devstral|^pixtral/, 3],
];

/** Parameter count named in an id, e.g. `-70b`, `-405b-`, `-a22b` is an active count and ignored. */
const PARAMETERS = /(?:^|-)(\d+(?:\.\d+)?)b(?:$|-)/;

/** @param modelId canonical `author/model` id */
export function assignModelTier(modelId: string): 1 | 2 | 3 | 4 | undefined {
  const slug = modelId.slice(modelId.indexOf('/') + 1).replace(/:.*$/, '');
  for (const [pattern, tier] of TIER_TABLE) {
    if (pattern.test(slug)) {
      return tier;
    }
  }
  const billions = Number(PARAMETERS.exec(slug)?.[1]);
  if (Number.isNaN(billions)) {
    return undefined;
  }
  return billions >= 200 ? 2 : billions >= 30 ? 3 : 4;
}
