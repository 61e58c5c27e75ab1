import type { BuildOptions } from 'esbuild';

export function commonOptions(options: { production: boolean }): BuildOptions;
export function nodeOptions(options: { production: boolean }): BuildOptions;
export function extensionBundles(options: { production: boolean }): { activation: BuildOptions; onDemand: BuildOptions };
