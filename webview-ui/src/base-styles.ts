import { css } from 'lit';

/**
 * Controls and tables as VS Code draws them, from its theme variables only, so light, dark and
 * high-contrast themes (and user colour customisations) apply without a line of theme code.
 * Adopted by every component (constructable stylesheets: the CSP allows them, inline styles not).
 */
export const baseStyles = css`
  :host {
    color: var(--vscode-foreground);
    font-family: var(--vscode-font-family);
    font-size: var(--vscode-font-size);
  }
  [hidden] {
    display: none !important;
  }
  h2,
  h3 {
    font-weight: 600;
    margin: 0 0 8px;
  }
  h2 {
    font-size: 1.15em;
  }
  h3 {
    font-size: 1em;
  }
  .muted {
    color: var(--vscode-descriptionForeground);
  }
  .num {
    font-variant-numeric: tabular-nums;
    text-align: right;
  }
  button {
    font: inherit;
    color: var(--vscode-button-foreground);
    background: var(--vscode-button-background);
    border: 1px solid var(--vscode-button-border, transparent);
    border-radius: 2px;
    padding: 4px 12px;
    cursor: pointer;
  }
  button:hover {
    background: var(--vscode-button-hoverBackground);
  }
  button.secondary {
    color: var(--vscode-button-secondaryForeground);
    background: var(--vscode-button-secondaryBackground);
  }
  button.secondary:hover {
    background: var(--vscode-button-secondaryHoverBackground);
  }
  button.link {
    color: var(--vscode-textLink-foreground);
    background: none;
    border: none;
    padding: 0;
    text-decoration: underline;
  }
  button.link:hover {
    color: var(--vscode-textLink-activeForeground);
  }
  select,
  input {
    font: inherit;
    color: var(--vscode-input-foreground);
    background: var(--vscode-input-background);
    border: 1px solid var(--vscode-input-border, var(--vscode-dropdown-border, transparent));
    border-radius: 2px;
    padding: 3px 6px;
    min-width: 0;
  }
  select {
    color: var(--vscode-dropdown-foreground);
    background: var(--vscode-dropdown-background);
    border-color: var(--vscode-dropdown-border, transparent);
  }
  input::placeholder {
    color: var(--vscode-input-placeholderForeground);
  }
  :focus {
    outline: none;
  }
  :focus-visible,
  select:focus,
  input:focus {
    outline: 1px solid var(--vscode-focusBorder);
    outline-offset: -1px;
  }
  button:focus-visible {
    outline-offset: 2px;
  }
  label.field {
    display: inline-flex;
    flex-direction: column;
    gap: 2px;
    font-size: 0.9em;
    color: var(--vscode-descriptionForeground);
  }
  table {
    border-collapse: collapse;
    width: 100%;
  }
  th,
  td {
    text-align: left;
    padding: 4px 8px;
    border-bottom: 1px solid var(--vscode-widget-border, var(--vscode-panel-border, transparent));
    white-space: nowrap;
  }
  th {
    font-weight: 600;
    color: var(--vscode-descriptionForeground);
  }
  td.wrap {
    white-space: normal;
  }
  .card {
    background: var(--vscode-editorWidget-background, var(--vscode-editor-background));
    border: 1px solid var(--vscode-widget-border, var(--vscode-contrastBorder, transparent));
    border-radius: 4px;
    padding: 12px;
  }
  .outcome-ok {
    color: var(--vscode-testing-iconPassed, var(--vscode-charts-green));
  }
  .outcome-error,
  .outcome-partial {
    color: var(--vscode-errorForeground);
  }
  .outcome-blocked,
  .outcome-cancelled {
    color: var(--vscode-editorWarning-foreground, var(--vscode-charts-yellow));
  }
  code {
    font-family: var(--vscode-editor-font-family);
  }
`;
