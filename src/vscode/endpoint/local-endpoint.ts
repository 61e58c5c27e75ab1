import * as vscode from 'vscode';
import { redactSecrets } from '../../core/errors/redact-secrets';
import type { EndpointToken } from '../../server/create-token-verifier';
import type { EndpointServer } from '../../server/create-endpoint-server';
import { loadOnDemand } from '../load-on-demand';
import type { PerpetuoContext } from '../perpetuo-context';
import { createCurrentEngine, type CurrentEngine } from './create-current-engine';
import { EndpointTokenStore } from './endpoint-token-store';
import { probePerpetuoEndpoint } from './probe-perpetuo-endpoint';

/** The endpoint binds loopback only; there is no setting that changes this. */
const HOST = '127.0.0.1';

/** While another window holds the port, try to take over this often (that window may close). */
const TAKE_OVER_INTERVAL_MS = 30_000;

/** What `perpetuo.endpoint.status` (and `start`/`stop`) return. */
export interface EndpointStatus {
  /** An endpoint answers at host:port: this window's, or another window's (`owner`). */
  running: boolean;
  host: string;
  /** The bound port (this window), the port another window serves, or the port last tried. */
  port: number | undefined;
  owner: 'this-window' | 'other-window' | 'none';
  /** Why this window is not serving, when it is not. */
  message?: string;
}

/** `perpetuo.endpoint.start` arguments: a port for this start (0 = any free port); the setting otherwise. */
export interface EndpointStartArguments {
  port?: number;
}

/** `perpetuo.endpoint.addApp` arguments. A known `token` may be set (tests, migrations); it is never returned. */
export interface EndpointAppArguments {
  name: string;
  token?: string;
}

/** An endpoint token as commands return it: the app and a masked form, never the token. */
export interface MaskedEndpointToken {
  name: string;
  masked: string;
}

/** `command`: the user asked, say everything; `setting`: say only what needs action; `retry`: log only. */
export type StartMode = 'command' | 'setting' | 'retry';

function endpointSettings(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration('perpetuo.endpoint');
}

function sameTokens(a: readonly EndpointToken[], b: readonly EndpointToken[]): boolean {
  return a.length === b.length && a.every((entry) => b.some((other) => other.name === entry.name && other.token === entry.token));
}

function isPort(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 65535;
}

/** This window's endpoint: the server, its owner state and the token commands. */
export class LocalEndpoint implements vscode.Disposable {
  /** True between a start (command or setting) and a stop: the user wants an endpoint. */
  wanted = false;
  onDidChange: () => void = () => undefined;
  private readonly tokens: EndpointTokenStore;
  private engine: CurrentEngine | undefined;
  private server: EndpointServer | undefined;
  /** The tokens the running server accepts (its list is fixed at creation). */
  private served: readonly EndpointToken[] = [];
  private owner: EndpointStatus['owner'] = 'none';
  private port: number | undefined;
  private message: string | undefined;
  /** A port given to `start`, in force until `stop`; the setting otherwise. */
  private portOverride: number | undefined;
  private takeOver: ReturnType<typeof setInterval> | undefined;
  /** Starts, stops and restarts run one at a time. */
  private queue: Promise<unknown> = Promise.resolve();

  private readonly subscription: vscode.Disposable;

  constructor(private readonly ctx: PerpetuoContext) {
    this.tokens = new EndpointTokenStore(ctx.extension.secrets);
    // SecretStorage is shared by every window: a token rotated in another window must stop
    // working here too, at once.
    this.subscription = ctx.extension.secrets.onDidChange((event) => {
      if (event.key === EndpointTokenStore.secretName) {
        void this.syncTokens();
      }
    });
  }

  status(): EndpointStatus {
    const status: EndpointStatus = { running: this.owner !== 'none', host: HOST, port: this.port, owner: this.owner };
    if (this.message !== undefined && this.owner !== 'this-window') {
      status.message = this.message;
    }
    return status;
  }

  start(args: EndpointStartArguments, mode: StartMode): Promise<EndpointStatus> {
    return this.serial(async () => {
      if (args.port !== undefined && !isPort(args.port)) {
        const message = vscode.l10n.t('{0} is not a port: use 0 (any free port) to 65535.', String(args.port));
        void vscode.window.showErrorMessage(message);
        return { ...this.status(), message };
      }
      this.wanted = true;
      if (args.port !== undefined) {
        this.portOverride = args.port;
      }
      const port = this.desiredPort();
      if (this.server && (args.port === undefined || port === 0 || this.server.address?.port === port)) {
        return this.status();
      }
      await this.closeServer();
      await this.listen(port, mode);
      return this.status();
    });
  }

  stop(): Promise<EndpointStatus> {
    return this.serial(async () => {
      this.wanted = false;
      this.portOverride = undefined;
      this.stopTakeOver();
      const wasServing = this.server !== undefined;
      await this.closeServer();
      this.owner = 'none';
      this.message = undefined;
      if (wasServing) {
        this.ctx.log.info(`endpoint: stopped serving ${HOST}:${this.port}`);
      }
      this.onDidChange();
      return this.status();
    });
  }

  /**
   * After an origin change, or a token change (`onlyIfTokensChanged`): the server's lists are
   * fixed at creation, so it restarts on its port. In-flight requests are cut off.
   */
  restartIfServing(): Promise<void> {
    return this.serial(async () => {
      const port = this.server?.address?.port;
      if (port === undefined) {
        return;
      }
      await this.closeServer();
      await this.listen(port, 'retry');
      if (this.owner !== 'this-window') {
        void vscode.window.showWarningMessage(this.message ?? vscode.l10n.t('The Perpetuo local endpoint could not restart.'));
      }
    });
  }

  settingPortChanged(): Promise<void> {
    return this.serial(async () => {
      if (!this.wanted || this.portOverride !== undefined) {
        return;
      }
      await this.closeServer();
      await this.listen(this.desiredPort(), 'setting');
    });
  }

  async copyToken(name?: string): Promise<MaskedEndpointToken | undefined> {
    const tokens = await this.tokens.ensureDefault();
    const chosen = name !== undefined ? tokens.find((t) => t.name === name) : await this.pickApp(tokens, vscode.l10n.t('Copy the endpoint token of which app?'));
    if (!chosen) {
      if (name !== undefined) {
        void vscode.window.showErrorMessage(vscode.l10n.t('There is no endpoint app named "{0}".', name));
      }
      return undefined;
    }
    await vscode.env.clipboard.writeText(chosen.token);
    const masked = EndpointTokenStore.mask(chosen.token);
    void vscode.window.showInformationMessage(vscode.l10n.t('Copied the endpoint token of {0} ({1}) to the clipboard. Use it as the API key.', chosen.name, masked));
    return { name: chosen.name, masked };
  }

  async rotateToken(name?: string): Promise<MaskedEndpointToken | undefined> {
    const tokens = await this.tokens.ensureDefault();
    const chosen = name !== undefined ? tokens.find((t) => t.name === name) : await this.pickApp(tokens, vscode.l10n.t('Rotate the endpoint token of which app?'));
    if (!chosen) {
      if (name !== undefined) {
        void vscode.window.showErrorMessage(vscode.l10n.t('There is no endpoint app named "{0}".', name));
      }
      return undefined;
    }
    await this.tokens.set(chosen.name);
    await this.syncTokens();
    this.ctx.log.info(`endpoint: rotated the token of app ${chosen.name}`);
    const masked = EndpointTokenStore.mask((await this.tokens.list()).find((t) => t.name === chosen.name)?.token ?? '');
    this.offerCopy(vscode.l10n.t('New endpoint token for {0} ({1}); the old one no longer works.', chosen.name, masked), chosen.name);
    return { name: chosen.name, masked };
  }

  async addApp(args?: EndpointAppArguments): Promise<MaskedEndpointToken | undefined> {
    const existing = await this.tokens.list();
    const name =
      args?.name ??
      (await vscode.window.showInputBox({
        title: vscode.l10n.t('Name of the app that will use the endpoint'),
        prompt: vscode.l10n.t('It names the app in the decision log and in per-app guardrails, e.g. aider, zed, continue.'),
        validateInput: (value) =>
          !EndpointTokenStore.isValidName(value)
            ? vscode.l10n.t('Letters, digits, dots, dashes and underscores, up to 64.')
            : existing.some((t) => t.name === value)
              ? vscode.l10n.t('"{0}" already has a token; rotate it instead.', value)
              : undefined,
        ignoreFocusOut: true,
      }));
    if (name === undefined) {
      return undefined;
    }
    if (!EndpointTokenStore.isValidName(name)) {
      void vscode.window.showErrorMessage(vscode.l10n.t('"{0}" is not a valid app name: use letters, digits, dots, dashes and underscores, up to 64.', name));
      return undefined;
    }
    if (args?.token !== undefined && !EndpointTokenStore.isValidToken(args.token)) {
      void vscode.window.showErrorMessage(vscode.l10n.t('That endpoint token is too weak: it must be ppt_ and 32 random bytes in base64url, as Perpetuo makes them.'));
      return undefined;
    }
    if (args?.token === undefined && existing.some((t) => t.name === name)) {
      void vscode.window.showErrorMessage(vscode.l10n.t('"{0}" already has a token; use "Perpetuo: Rotate Endpoint Token" to replace it.', name));
      return undefined;
    }
    await this.tokens.set(name, args?.token);
    await this.syncTokens();
    this.ctx.log.info(`endpoint: set the token of app ${name}`);
    const masked = EndpointTokenStore.mask((await this.tokens.list()).find((t) => t.name === name)?.token ?? '');
    if (args?.token === undefined) {
      this.offerCopy(vscode.l10n.t('Added the endpoint app {0} ({1}).', name, masked), name);
    }
    return { name, masked };
  }

  async removeApp(name?: string): Promise<boolean> {
    const tokens = await this.tokens.list();
    const chosen = name !== undefined ? tokens.find((t) => t.name === name) : await this.pickApp(tokens, vscode.l10n.t('Remove which endpoint app?'));
    if (!chosen) {
      return false;
    }
    if (tokens.length === 1 && this.server) {
      void vscode.window.showErrorMessage(vscode.l10n.t('The running endpoint needs at least one token: rotate the token of {0} instead, or stop the endpoint first.', chosen.name));
      return false;
    }
    await this.tokens.remove(chosen.name);
    await this.syncTokens();
    this.ctx.log.info(`endpoint: removed app ${chosen.name}`);
    void vscode.window.showInformationMessage(vscode.l10n.t('Removed the endpoint app {0}; its token no longer works.', chosen.name));
    return true;
  }

  /**
   * Hands the stored tokens to the running server: a rotated or removed token stops working at
   * once, and streams in flight for other apps go on (no restart).
   */
  syncTokens(): Promise<void> {
    return this.serial(async () => {
      if (!this.server) {
        return;
      }
      const tokens = await this.tokens.list();
      if (!sameTokens(this.served, tokens)) {
        this.server.setTokens(tokens);
        this.served = tokens;
      }
    });
  }

  dispose(): void {
    this.subscription.dispose();
    this.wanted = false;
    this.stopTakeOver();
    void this.server?.close();
    this.server = undefined;
    this.engine?.dispose();
  }

  private desiredPort(): number {
    const configured = endpointSettings().get<number>('port', 4141);
    return this.portOverride ?? (isPort(configured) ? configured : 4141);
  }

  private async listen(port: number, mode: StartMode): Promise<void> {
    try {
      const tokens = await this.tokens.ensureDefault();
      this.engine ??= createCurrentEngine(this.ctx);
      // The first request should find the engine built, not a "loading" 503.
      await this.engine.ready();
      // The server code loads when the endpoint first starts, never at activation.
      const { createEndpointServer } = loadOnDemand(this.ctx.extension.extensionPath);
      const server = createEndpointServer({
        engine: this.engine.engine,
        tokens,
        host: HOST,
        port,
        logger: { info: (m) => this.ctx.log.info(m), warn: (m) => this.ctx.log.warn(m), error: (m) => this.ctx.log.error(m) },
        allowedOrigins: endpointSettings().get<string[]>('allowedOrigins', []).filter((origin) => typeof origin === 'string'),
      });
      const address = await server.listen();
      this.server = server;
      this.served = tokens;
      this.owner = 'this-window';
      this.port = address.port;
      this.message = undefined;
      this.stopTakeOver();
      this.ctx.log.info(`endpoint: serving ${address.host}:${address.port} for ${tokens.length} app(s)`);
      if (mode === 'command') {
        void vscode.window.showInformationMessage(
          vscode.l10n.t('Perpetuo serves other tools at http://{0}:{1}/v1 (OpenAI) and http://{0}:{1} (Anthropic). Copy a token with "Perpetuo: Copy Endpoint Token".', address.host, String(address.port)),
        );
      }
    } catch (error) {
      this.port = port;
      if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE' && (await probePerpetuoEndpoint(port)) === 'perpetuo') {
        this.owner = 'other-window';
        this.message = vscode.l10n.t(
          "Another VS Code window is already serving the Perpetuo endpoint on 127.0.0.1:{0}; requests there use that window's keys and budgets (they share the same decision log).",
          String(port),
        );
        this.ctx.log.info(`endpoint: 127.0.0.1:${port} is served by another Perpetuo; this window takes over if it stops`);
        this.startTakeOver();
        if (mode === 'command') {
          void vscode.window.showInformationMessage(this.message);
        }
      } else {
        this.owner = 'none';
        this.stopTakeOver();
        this.message =
          (error as NodeJS.ErrnoException).code === 'EADDRINUSE'
            ? vscode.l10n.t(
                'Port {0} on 127.0.0.1 is taken by another program, not Perpetuo. Pick another port in Settings › Perpetuo › Endpoint: Port (perpetuo.endpoint.port), or start with port 0 for any free port.',
                String(port),
              )
            : vscode.l10n.t('The Perpetuo local endpoint could not start on 127.0.0.1:{0}: {1}', String(port), redactSecrets(error instanceof Error ? error.message : String(error)));
        this.ctx.log.warn(`endpoint: ${this.message}`);
        if (mode !== 'retry') {
          void vscode.window.showWarningMessage(this.message);
        }
      }
    } finally {
      this.onDidChange();
    }
  }

  private async closeServer(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.served = [];
    if (this.owner === 'this-window') {
      this.owner = 'none';
    }
    await server?.close();
  }

  private startTakeOver(): void {
    this.takeOver ??= setInterval(() => {
      void this.serial(async () => {
        if (this.wanted && this.owner === 'other-window' && this.port !== undefined) {
          await this.listen(this.port, 'retry');
        }
      });
    }, TAKE_OVER_INTERVAL_MS);
  }

  private stopTakeOver(): void {
    if (this.takeOver !== undefined) {
      clearInterval(this.takeOver);
      this.takeOver = undefined;
    }
  }

  private async pickApp<T extends { name: string; token: string }>(tokens: T[], title: string): Promise<T | undefined> {
    if (tokens.length === 1) {
      return tokens[0];
    }
    const picked = await vscode.window.showQuickPick(
      tokens.map((t) => ({ label: t.name, description: EndpointTokenStore.mask(t.token), entry: t })),
      { title },
    );
    return picked?.entry;
  }

  private offerCopy(message: string, name: string): void {
    const copy = vscode.l10n.t('Copy Token');
    void vscode.window.showInformationMessage(message, copy).then((picked) => {
      if (picked === copy) {
        void this.copyToken(name);
      }
    });
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work);
    this.queue = next.catch(() => undefined);
    return next;
  }
}
