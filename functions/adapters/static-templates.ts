import type { MessageTemplate } from '../domain/templates';
import type { TemplateStore } from '../ports';

/**
 * Templates held in memory: bundled into the sending functions on AWS, the workspace as last loaded locally
 * (read through the getter on each send, so a reload reaches it).
 */
export class StaticTemplateStore implements TemplateStore {
  constructor(private readonly templates: () => Readonly<Record<string, MessageTemplate>>) {}
  template(name: string): MessageTemplate | undefined {
    const all = this.templates();
    return Object.hasOwn(all, name) ? all[name] : undefined;
  }
}
