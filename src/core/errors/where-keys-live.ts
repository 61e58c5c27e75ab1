/**
 * Where a user fixes a provider key, in every host Perpetuo runs in: core errors reach both the
 * editor and `perpetuo serve`, so they name both places instead of a command only one has.
 */
export function whereKeysLive(provider: string): string {
  return `the ${provider} key (in VS Code: 'Perpetuo: Manage Provider Keys'; with perpetuo serve: the key's environment variable or key file)`;
}
