/*
 * Gemini's thought signatures travel to the caller as the `signature` of an empty
 * `reasoning-delta` and come back as the `signature` of a ReasoningPart. They are tagged on the
 * way out so that, on the way back, we send Gemini only signatures Gemini made: a router can put
 * another provider's turn (an Anthropic thinking signature) into the history, and Gemini rejects
 * a signature it did not issue.
 * @see https://ai.google.dev/gemini-api/docs/thought-signatures
 */

const TAG = 'gemini-thought-signature:';

/**
 * The placeholder Google's thought-signature guide gives (in its FAQ) for function calls Gemini
 * did not produce: another model's turn, a hand-built history. Gemini 3 answers 400 when the
 * first function call of a step comes back with no signature at all.
 * @see https://ai.google.dev/gemini-api/docs/thought-signatures
 */
export const FOREIGN_THOUGHT_SIGNATURE = 'skip_thought_signature_validator';

/** Marks a signature received from Gemini before it leaves the adapter. */
export function tagGeminiThoughtSignature(signature: string): string {
  return `${TAG}${signature}`;
}

/** The signature exactly as Gemini sent it, or undefined when this one is not Gemini's. */
export function untagGeminiThoughtSignature(signature: string | undefined): string | undefined {
  return signature?.startsWith(TAG) ? signature.slice(TAG.length) : undefined;
}
