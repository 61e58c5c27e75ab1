import { PerpetuoError } from '../errors/perpetuo-error';
import type { LiveMetricsJson } from './live-metrics';

/** The part of `node:fs/promises` the store needs; pass `fs.promises` or a fake. */
export interface MetricsFileSystem {
  readFile(path: string, encoding: 'utf8'): Promise<string>;
  writeFile(path: string, data: string, encoding: 'utf8'): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
}

/** Options of {@link MetricsFileStore}. */
export interface MetricsFileStoreOptions {
  /** The metrics file, e.g. in the extension's global storage folder. */
  path: string;
  fs: MetricsFileSystem;
  /** Random suffix for the temporary file, so two windows saving at once never share one. */
  random?: () => number;
}

/**
 * Persists live metrics across restarts. A save writes a temporary file beside the target and
 * renames it over the target, so a crash mid-write leaves the previous file whole: rename is
 * atomic on one file system.
 */
export class MetricsFileStore {
  private readonly options: MetricsFileStoreOptions;

  constructor(options: MetricsFileStoreOptions) {
    this.options = options;
  }

  /** The saved JSON, or undefined when nothing was saved yet. Feed it to `LiveMetrics.fromJSON`, which validates it. */
  async load(): Promise<unknown> {
    let text: string;
    try {
      text = await this.options.fs.readFile(this.options.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        return undefined;
      }
      throw PerpetuoError.from(error, { kind: 'config' });
    }
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw new PerpetuoError({
        kind: 'config',
        message: `Routing metrics file ${this.options.path} is not JSON (${(error as Error).message}); it will be replaced on the next save.`,
        cause: error,
      });
    }
  }

  async save(metrics: LiveMetricsJson): Promise<void> {
    const suffix = Math.floor((this.options.random ?? Math.random)() * 1e9).toString(36);
    const temporary = `${this.options.path}.${suffix}.tmp`;
    await this.options.fs.writeFile(temporary, JSON.stringify(metrics), 'utf8');
    try {
      await this.options.fs.rename(temporary, this.options.path);
    } catch (error) {
      await this.options.fs.unlink(temporary).catch(() => undefined);
      throw PerpetuoError.from(error, { kind: 'config' });
    }
  }
}
