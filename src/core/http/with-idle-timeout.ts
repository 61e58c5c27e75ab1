/**
 * Passes bytes through, and calls `onIdle` when none has arrived for `idleMs`: a stream that is
 * alive but stalled (Bifrost #6472) must end as a timeout, not hang forever. Keep-alive comments
 * are bytes too, so a provider that says "still processing" is not idle. `stop()` disarms it
 * when the reader is done for any reason.
 */
export function withIdleTimeout(
  body: ReadableStream<Uint8Array>,
  idleMs: number,
  onIdle: () => void,
): { stream: ReadableStream<Uint8Array>; stop: () => void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stop = () => clearTimeout(timer);
  const arm = () => {
    stop();
    timer = setTimeout(onIdle, idleMs);
    // An abandoned stream must not keep the process alive.
    timer.unref?.();
  };
  const stream = body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      start: arm,
      transform(chunk, controller) {
        arm();
        controller.enqueue(chunk);
      },
      flush: stop,
    }),
  );
  return { stream, stop };
}
