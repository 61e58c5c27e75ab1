/**
 * Where a user adds or fixes a provider key, in every host Perpetuo runs in: core errors reach both
 * the editor and `perpetuo serve`, so they name both places instead of a command only one has.
 */
export const WHERE_KEYS_LIVE = "in VS Code: 'Perpetuo: Manage Provider Keys'; with perpetuo serve: the key's environment variable or key file";

/** `the <provider> key (<where keys live>)`, for an error about that provider's key. */
export function whereKeysLive(provider: string): string {
  return `the ${provider} key (${WHERE_KEYS_LIVE})`;
}
