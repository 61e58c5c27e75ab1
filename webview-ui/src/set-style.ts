import { noChange } from 'lit';
import { Directive, type ElementPart, type PartInfo, PartType, directive } from 'lit/directive.js';

/**
 * Sets inline style properties through the CSSOM (`style.setProperty`). Lit's own `styleMap`
 * writes the first render as a `style` attribute string, which the webview's CSP (`style-src`
 * without 'unsafe-inline') blocks; CSSOM writes are allowed.
 */
class SetStyleDirective extends Directive {
  constructor(partInfo: PartInfo) {
    super(partInfo);
    if (partInfo.type !== PartType.ELEMENT) throw new Error('setStyle goes on an element: <div ${setStyle({...})}>');
  }

  render(_styles: Record<string, string>): typeof noChange {
    return noChange;
  }

  override update(part: ElementPart, [styles]: [Record<string, string>]): typeof noChange {
    const style = (part.element as HTMLElement).style;
    for (const [name, value] of Object.entries(styles)) {
      if (style.getPropertyValue(name) !== value) style.setProperty(name, value);
    }
    return noChange;
  }
}

export const setStyle = directive(SetStyleDirective);
