import type { PerpetuoError } from '../errors';
import type { ChatStreamPart, FinishPart } from '../spec/chat-stream-part';

/** How a request ended, as the ledger records it. */
export type RequestOutcome = 'ok' | 'error' | 'partial' | 'cancelled' | 'blocked';

/** What one stream did, seen from outside the model. */
export interface StreamObservation {
  startedAtMs: number;
  firstContentAtMs: number | undefined;
  endedAtMs: number | undefined;
  /** The last finish part. Usage is a snapshot, never a delta: a second finish replaces the first. */
  finish: FinishPart | undefined;
  error: PerpetuoError | undefined;
  /** Characters of text, reasoning and tool-call arguments forwarded: the basis of the estimate when no usage arrives. */
  outputChars: number;
  servedModelId: string | undefined;
  upstreamProvider: string | undefined;
  upstreamId: string | undefined;
  /** The caller aborted or stopped reading before the stream ended. */
  cancelled: boolean;
}

/** Watches the parts of one stream; one tracker per request. */
export interface StreamTracker {
  observe(part: ChatStreamPart): void;
  /** Call when the stream is over; `cancelled` when it ended because the caller stopped. */
  end(cancelled: boolean): StreamObservation;
  readonly observation: StreamObservation;
}

/**
 * The shared observer of the budget and ledger middlewares, so both judge a stream the same way.
 * Usage is taken from the finish part as a whole: adapters emit cumulative usage (Anthropic's
 * `message_delta` is cumulative, tensorzero #5481), so summing would double-count.
 */
export function createStreamTracker(now: () => number): StreamTracker {
  const observation: StreamObservation = {
    startedAtMs: now(),
    firstContentAtMs: undefined,
    endedAtMs: undefined,
    finish: undefined,
    error: undefined,
    outputChars: 0,
    servedModelId: undefined,
    upstreamProvider: undefined,
    upstreamId: undefined,
    cancelled: false,
  };
  const content = (chars: number): void => {
    observation.firstContentAtMs ??= now();
    observation.outputChars += chars;
  };
  return {
    observation,
    observe(part) {
      switch (part.type) {
        case 'response-metadata':
          observation.servedModelId = part.modelId ?? observation.servedModelId;
          observation.upstreamProvider = part.upstreamProvider ?? observation.upstreamProvider;
          observation.upstreamId = part.id ?? observation.upstreamId;
          return;
        case 'text-delta':
        case 'reasoning-delta':
          content(part.delta.length);
          return;
        case 'tool-call-start':
          content(part.toolName.length);
          return;
        case 'tool-call-delta':
          content(part.argumentsDelta.length);
          return;
        case 'file':
          // A generated image commits the answer, but its base64 is no measure of output tokens
          // (image models bill per image): it adds nothing to the character-based estimate.
          content(0);
          return;
        case 'provider-block':
        case 'citation':
          // A search the provider ran, its results, a source cited: billed per search and as
          // input on the next turn, not as output text.
          content(0);
          return;
        case 'tool-call':
          // The complete call repeats the deltas; count its arguments only if none streamed.
          content(observation.firstContentAtMs === undefined ? part.input.length : 0);
          return;
        case 'finish':
          observation.finish = part;
          return;
        case 'error':
          observation.error = part.error;
          return;
        default: {
          const unreachable: never = part;
          throw new Error(`unknown stream part ${JSON.stringify(unreachable)}`);
        }
      }
    },
    end(cancelled) {
      observation.endedAtMs ??= now();
      observation.cancelled = cancelled || observation.error?.kind === 'cancelled';
      return observation;
    },
  };
}

/** The ledger outcome of an observed stream. */
export function classifyOutcome(observation: StreamObservation): RequestOutcome {
  const hadContent = observation.firstContentAtMs !== undefined;
  if (observation.error !== undefined) {
    if (!hadContent && (observation.error.kind === 'budget' || observation.error.kind === 'policy')) {
      return 'blocked';
    }
    if (observation.cancelled) {
      return 'cancelled';
    }
    return hadContent ? 'partial' : 'error';
  }
  if (observation.finish !== undefined) {
    return 'ok';
  }
  return 'cancelled';
}
