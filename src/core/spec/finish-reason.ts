/** Why a model stopped, in our words, with the provider's own word kept beside it. */
export interface FinishReason {
  unified: UnifiedFinishReason;
  /** The provider's value (`end_turn`, `STOP`, `length`, …), undefined when it sent none. */
  raw: string | undefined;
}

export type UnifiedFinishReason = 'stop' | 'length' | 'tool-calls' | 'content-filter' | 'error' | 'other';
