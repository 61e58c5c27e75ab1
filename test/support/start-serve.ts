import assert from 'node:assert/strict';
import { main, type CliIo } from '../../src/server/cli';

/** `perpetuo serve --config …` in process: its URL once it listens, what it printed, and `stop` (resolves with its exit code). */
export async function startServe(configFile: string, env: Record<string, string>): Promise<{ url: string; lines: string[]; stop: () => Promise<number> }> {
  let requestStop: () => void = () => undefined;
  let announced: (line: string) => void = () => undefined;
  const started = new Promise<string>((resolve) => (announced = resolve));
  const lines: string[] = [];
  const io: CliIo = {
    out: (line) => {
      lines.push(line);
      if (line.startsWith('Perpetuo endpoint on')) announced(line);
    },
    err: (line) => lines.push(line),
    stopRequested: () => new Promise<void>((resolve) => (requestStop = resolve)),
  };
  const exit = main(['serve', '--config', configFile], env, io);
  const url = await Promise.race([started.then((line) => /http:\/\/127\.0\.0\.1:\d+/.exec(line)?.[0]), exit.then(() => undefined)]);
  assert.ok(url, lines.join('\n'));
  return {
    url,
    lines,
    stop: () => {
      requestStop();
      return exit;
    },
  };
}
