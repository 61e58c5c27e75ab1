import { PerpetuoError } from '../../../src/core/errors/perpetuo-error';
import type { ErrorKind } from '../../../src/core/errors/error-kind';
import type { ChatModel } from '../../../src/core/spec/chat-model';
import type { ChatStreamPart } from '../../../src/core/spec/chat-stream-part';
import { emptyUsage } from '../../../src/core/spec/usage';

/** A fake upstream: yields a scripted list of parts; `'stall'` waits forever, ignoring the signal. */
export type ScriptStep = ChatStreamPart | 'stall';

export interface FakeModel extends ChatModel {
  calls: number;
  /** The signal of the last call, to check the executor closed it. */
  lastSignal: AbortSignal | undefined;
}

export function fakeModel(provider: string, modelId: string, script: ScriptStep[]): FakeModel {
  const model: FakeModel = {
    provider,
    modelId,
    calls: 0,
    lastSignal: undefined,
    async *stream(_request, signal) {
      model.calls++;
      model.lastSignal = signal;
      for (const step of script) {
        if (step === 'stall') {
          await new Promise<never>(() => undefined);
        } else {
          yield step;
        }
      }
    },
  };
  return model;
}

export function text(delta: string): ChatStreamPart {
  return { type: 'text-delta', delta };
}

export function finish(outputTokens = 10): ChatStreamPart {
  const usage = emptyUsage();
  usage.outputTokens.total = outputTokens;
  return { type: 'finish', finishReason: { unified: 'stop', raw: 'stop' }, usage };
}

export function failure(kind: ErrorKind, statusCode?: number, provider = 'fake'): ChatStreamPart {
  return { type: 'error', error: new PerpetuoError({ kind, statusCode, provider, message: `upstream said ${kind}` }) };
}
