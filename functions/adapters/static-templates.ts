import type { MessageTemplate } from '../domain/templates';
import type { TemplateStore } from '../ports';

/**
 * Templates held in memory: bundled into the send function on AWS, read from the workspace locally (where
 * the runtime keeps the record current when the workspace changes, so it is read, not copied).
 */
export class StaticTemplateStore implements TemplateStore {
  constructor(private readonly templates: Readonly<Record<string, MessageTemplate>>) {}
  template(name: string): MessageTemplate | undefined {
    return Object.hasOwn(this.templates, name) ? this.templates[name] : undefined;
  }
}
