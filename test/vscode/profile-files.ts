import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';

/** The harness's throw-away profile: `<dir>/workspace` is opened, `<dir>/user-data` holds settings and logs. */
export function profileDir(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the harness opens a workspace folder');
  return dirname(folder.uri.fsPath);
}

export function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) {
    return [];
  }
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/**
 * Every log file of the profile, once the Perpetuo log holds `line`: waiting for a known line
 * (without a time assertion) proves the log was flushed before a test searches it.
 */
export async function perpetuoLogContaining(line: string): Promise<string> {
  const logs = join(profileDir(), 'user-data', 'logs');
  for (let attempt = 0; attempt < 100; attempt++) {
    const perpetuo = filesUnder(logs).filter((f) => f.includes('perpetuo'));
    if (perpetuo.some((f) => readFileSync(f, 'utf8').includes(line))) {
      return filesUnder(logs)
        .map((f) => readFileSync(f, 'utf8'))
        .join('\n');
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`no Perpetuo log under ${logs} contains "${line}"`);
}
