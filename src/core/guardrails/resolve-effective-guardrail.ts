import { PerpetuoError } from '../errors';
import type { Guardrail } from './guardrail-schema';
import type { PolicyFileResult } from './load-policy-file';
import { POLICY_FILE_RELATIVE_PATH } from './load-policy-file';
import { buildScopeKeys, type EffectiveGuardrail, type GuardrailLayer, mergeGuardrails, type RequestIdentity } from './merge-guardrails';
import type { SettingsGuardrails } from './map-settings-to-guardrails';

/** Everything configured that can apply to a request. */
export interface GuardrailSources {
  /** User-level `perpetuo.guardrails.*`. */
  userSettings?: SettingsGuardrails;
  /** Workspace-level `perpetuo.guardrails.*` (`.vscode/settings.json`). */
  workspaceSettings?: SettingsGuardrails;
  /** `.perpetuo/policy.json` of the workspace. */
  policyFile?: PolicyFileResult;
}

const SETTINGS_ORIGIN = 'Settings › Perpetuo › Guardrails';

/**
 * The guardrail for one request. An invalid policy file fails closed: the team wrote it to limit
 * this workspace, and running without it would spend what the team said not to. Throws that
 * file's 'config' error.
 */
export function resolveEffectiveGuardrail(sources: GuardrailSources, identity: RequestIdentity): EffectiveGuardrail {
  const keys = buildScopeKeys(identity);
  const workspaceKey = keys.find((key) => key.startsWith('workspace:'));
  const appKey = keys.find((key) => key.startsWith('app:'));
  const layers: GuardrailLayer[] = [];
  const push = (scope: GuardrailLayer['scope'], scopeKey: string | undefined, origin: string, guardrail: Guardrail | undefined): void => {
    if (scopeKey !== undefined && guardrail !== undefined) {
      layers.push({ scope, scopeKey, origin, guardrail });
    }
  };

  push('global', 'global', SETTINGS_ORIGIN, sources.userSettings?.guardrail);
  push('workspace', workspaceKey, `${SETTINGS_ORIGIN} (Workspace)`, sources.workspaceSettings?.guardrail);
  const policy = sources.policyFile;
  if (policy?.status === 'invalid') {
    throw policy.error;
  }
  if (policy?.status === 'ok') {
    push('workspace', workspaceKey, `${POLICY_FILE_RELATIVE_PATH} (guardrails.workspace)`, policy.policy.guardrails?.workspace);
  }
  if (identity.appName !== undefined) {
    push('app', appKey, `${SETTINGS_ORIGIN} (apps["${identity.appName}"])`, sources.userSettings?.apps[identity.appName]);
    if (policy?.status === 'ok') {
      push('app', appKey, `${POLICY_FILE_RELATIVE_PATH} (guardrails.apps["${identity.appName}"])`, policy.policy.guardrails?.apps?.[identity.appName]);
    }
  }
  if (workspaceKey === undefined && policy?.status === 'ok' && policy.policy.guardrails?.workspace !== undefined) {
    throw new PerpetuoError({ kind: 'config', message: `${POLICY_FILE_RELATIVE_PATH} is loaded but the request has no workspace id to charge its budget to.` });
  }
  return mergeGuardrails(layers, identity);
}
