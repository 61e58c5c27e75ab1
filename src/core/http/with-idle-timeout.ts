/**
 * Passes bytes through, and calls `onIdle` when none has arrived for `idleMs`: a stream that is
 * alive but stalled (Bifrost #6472) must end as a timeout, not hang forever. Keep-alive comments
 * are bytes too, so a provider that says "still processing" is not idle. The clock starts at
 * once, not at the first read; `stop()` disarms it when the reader is done for any reason.
 */
export function withIdleTimeout(
  body: AsyncIterable<Uint8Array>,
  idleMs: number,
  onIdle: () => void,
): { stream: AsyncIterable<Uint8Array>; stop: () => void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stop = () => clearTimeout(timer);
  const arm = () => {
    stop();
    timer = setTimeout(onIdle, idleMs);
    // An abandoned stream must not keep the process alive.
    timer.unref?.();
  };
  arm();
  async function* watched(): AsyncGenerator<Uint8Array> {
    try {
      for await (const chunk of body) {
        arm();
        yield chunk;
      }
    } finally {
      stop();
    }
  }
  return { stream: watched(), stop };
}
