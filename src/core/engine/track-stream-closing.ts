import type { ChatModel } from '../spec/chat-model';
import type { ChatStreamPart } from '../spec/chat-stream-part';

/**
 * The same model, whose every stream adds a promise to `closed` that resolves once the stream has
 * fully ended: read to its end, failed, or closed by its consumer once the model's own clean-up
 * (a budget settlement) has run. The engine waits for these before it writes the ledger line.
 *
 * An iterator that forwards each call, not a generator that delegates with `yield*`: that costs a
 * generator step, promises and their microtasks for every part of every request, where this adds
 * one reaction. A stream closed before its first read counts as ended too (a generator not yet
 * started would skip its clean-up and leave the promise pending).
 */
export function trackStreamClosing(model: ChatModel, closed: Array<Promise<void>>): ChatModel {
  return {
    provider: model.provider,
    modelId: model.modelId,
    stream(request, signal) {
      let markClosed: () => void = () => undefined;
      closed.push(new Promise<void>((resolve) => (markClosed = resolve)));
      let parts: AsyncIterator<ChatStreamPart>;
      try {
        parts = model.stream(request, signal)[Symbol.asyncIterator]();
      } catch (error) {
        markClosed();
        throw error;
      }
      const onStep = (step: IteratorResult<ChatStreamPart>): IteratorResult<ChatStreamPart> => {
        if (step.done === true) {
          markClosed();
        }
        return step;
      };
      const onFault = (error: unknown): never => {
        markClosed();
        throw error;
      };
      const onReturned = (step: IteratorResult<ChatStreamPart>): IteratorResult<ChatStreamPart> => {
        markClosed();
        return step;
      };
      const tracked: AsyncIterableIterator<ChatStreamPart> = {
        next: () => parts.next().then(onStep, onFault),
        return: (value?: unknown) => {
          if (parts.return === undefined) {
            markClosed();
            return Promise.resolve({ done: true, value });
          }
          return parts.return(value).then(onReturned, onFault);
        },
        [Symbol.asyncIterator]() {
          return tracked;
        },
      };
      return tracked;
    },
  };
}
