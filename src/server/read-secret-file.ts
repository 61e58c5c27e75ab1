import { readFile, stat } from 'node:fs/promises';
import { registerSecret } from '../core/errors';

/**
 * Reads a key or token from a file that only its owner can read. A file with any group or other
 * permission bit is refused, naming the file and its mode, before its content is read: a key
 * that other accounts on the machine can read is already leaked. (POSIX only: Windows has no
 * mode bits, so there the check is skipped.) The value is registered with the redactor.
 */
export async function readSecretFile(path: string, platform: NodeJS.Platform = process.platform): Promise<string> {
  let mode: number;
  try {
    mode = (await stat(path)).mode & 0o777;
  } catch (error) {
    throw new Error(`Cannot read the secret file ${path}: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}.`, { cause: error });
  }
  if (platform !== 'win32' && (mode & 0o077) !== 0) {
    throw new Error(`The secret file ${path} has mode 0${mode.toString(8)}; it must be readable by its owner only (chmod 600 ${path}).`);
  }
  const value = (await readFile(path, 'utf8')).trim();
  if (value === '') {
    throw new Error(`The secret file ${path} is empty.`);
  }
  registerSecret(value);
  return value;
}
