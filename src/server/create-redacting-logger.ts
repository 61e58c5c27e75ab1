import { redactSecrets } from '../core/errors';

/** Where the endpoint's log lines go (the VS Code output channel, stderr for `perpetuo serve`). */
export interface EndpointLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/**
 * Passes every line through `redactSecrets` on its way out, so that no token or key reaches a
 * log even if a message quotes a header or an upstream error. Bodies are never logged at all.
 */
export function createRedactingLogger(logger: EndpointLogger): EndpointLogger {
  return {
    info: (message) => logger.info(redactSecrets(message)),
    warn: (message) => logger.warn(redactSecrets(message)),
    error: (message) => logger.error(redactSecrets(message)),
  };
}
