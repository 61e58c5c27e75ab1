import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';

const EXTENSION_ID = 'perpetuo.perpetuo';

describe('Perpetuo in a real VS Code', () => {
  it('runs inside VS Code 1.139.1', () => {
    assert.equal(vscode.version, '1.139.1');
  });

  it('activates without throwing and reports its registrations', async () => {
    const extension = vscode.extensions.getExtension<{ participantId: string; vendor: string; activationMs: number }>(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not installed in this VS Code`);
    const api = await extension.activate();
    assert.equal(extension.isActive, true);
    assert.equal(api.participantId, 'perpetuo.router');
    assert.equal(api.vendor, 'perpetuo');
    console.log(`perpetuo activation: ${api.activationMs.toFixed(2)} ms`);
    if (process.env.PERPETUO_BENCH_FILE) {
      writeFileSync(process.env.PERPETUO_BENCH_FILE, JSON.stringify({ activateMs: api.activationMs, ...measureBundleLoad(extension.extensionPath), ...measureTrivialBundleLoad() }));
    }
  });

  it('declares its contributions: participant, model provider, commands', () => {
    const manifest = vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON as {
      contributes: { chatParticipants: Array<{ id: string }>; languageModelChatProviders: Array<{ vendor: string }> };
    };
    assert.deepEqual(manifest.contributes.chatParticipants.map((p) => p.id), ['perpetuo.router']);
    assert.deepEqual(manifest.contributes.languageModelChatProviders.map((p) => p.vendor), ['perpetuo']);
  });

  it('serves its routes in the model picker through the registered provider', async () => {
    const models = await vscode.lm.selectChatModels({ vendor: 'perpetuo' });
    const ids = models.map((m) => m.id);
    for (const id of ['perpetuo/auto', 'perpetuo/cheapest', 'perpetuo/fastest', 'perpetuo/reliable']) {
      assert.ok(ids.includes(id), `${id} missing from ${JSON.stringify(ids)}`);
    }
    assert.equal(models.find((m) => m.id === 'perpetuo/auto')?.name, 'Perpetuo Auto');
  });

  it('answers a request without keys with an error that says what to do', async () => {
    const [auto] = await vscode.lm.selectChatModels({ vendor: 'perpetuo', id: 'perpetuo/auto' });
    assert.ok(auto);
    await assert.rejects(
      async () => {
        const response = await auto.sendRequest([vscode.LanguageModelChatMessage.User('hello')], {});
        for await (const _ of response.text) {
          // drain
        }
      },
      (error: unknown) => {
        assert.ok(error instanceof vscode.LanguageModelError, `expected LanguageModelError, got ${String(error)}`);
        assert.match(error.message, /Manage Provider Keys/);
        return true;
      },
    );
  });

  it('does not load the on-demand bundle (engine, services) in a window without keys', () => {
    // VS Code has asked for the models (the tests above) and a request was refused for want of a key.
    const loaded = Object.keys(require.cache).filter((path) => path.endsWith(join('dist', 'on-demand.js')));
    assert.deepEqual(loaded, []);
    assert.ok(Object.keys(require.cache).some((path) => path.endsWith(join('dist', 'extension.js'))), 'the activation bundle is in the same module cache');
  });

  it('registers every command its manifest contributes, each under the Perpetuo category', async () => {
    const manifest = vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON as { contributes: { commands: Array<{ command: string; category?: string }> } };
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const { command, category } of manifest.contributes.commands) {
      assert.ok(registered.has(command), `${command} is in package.json but no code registers it`);
      assert.equal(category, 'Perpetuo', `${command} category`);
    }
  });

  it('registers its commands under the Perpetuo category', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['perpetuo.manageKeys', 'perpetuo.openDashboard', 'perpetuo.addKey', 'perpetuo.removeKey', 'perpetuo.listKeys']) {
      assert.ok(commands.includes(id), `command ${id} is not registered`);
    }
  });
});

/** A fresh `require` of the bundle from a copy (the original is already cached): its load cost. */
function measureBundleLoad(extensionPath: string): { loadMs: number; loadCpuMs: number } {
  const dir = mkdtempSync(join(tmpdir(), 'perpetuo-load-'));
  const copy = join(dir, 'extension.js');
  copyFileSync(join(extensionPath, 'dist', 'extension.js'), copy);
  // The bundle requires the catalog snapshot that ships beside it.
  copyFileSync(join(extensionPath, 'dist', 'bundled-catalog.json'), join(dir, 'bundled-catalog.json'));
  const cpu = process.cpuUsage();
  const started = performance.now();
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the fresh require of a copied bundle is what is measured
  require(copy);
  const measured = { loadMs: performance.now() - started, loadCpuMs: cpuMs(cpu) };
  // Loaded: the copy on disk is no longer needed.
  rmSync(dir, { recursive: true, force: true });
  return measured;
}

/**
 * The same measurement for a one-line bundle: what any extension's load costs by this method in
 * this extension host, the part of the figure Perpetuo does not control.
 */
function measureTrivialBundleLoad(): { trivialLoadMs: number; trivialLoadCpuMs: number } {
  const dir = mkdtempSync(join(tmpdir(), 'perpetuo-trivial-'));
  const file = join(dir, 'extension.js');
  writeFileSync(file, '"use strict";exports.activate=function(){return{}};exports.deactivate=function(){};\n');
  const cpu = process.cpuUsage();
  const started = performance.now();
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the fresh require of a trivial bundle is what is measured
  require(file);
  const measured = { trivialLoadMs: performance.now() - started, trivialLoadCpuMs: cpuMs(cpu) };
  rmSync(dir, { recursive: true, force: true });
  return measured;
}

/**
 * CPU time the extension host spent since `since` (all its threads). Unlike wall time it does not
 * grow when other processes hold the machine's cores, so it shows the load's own cost on a busy machine.
 */
function cpuMs(since: NodeJS.CpuUsage): number {
  const { user, system } = process.cpuUsage(since);
  return (user + system) / 1000;
}
