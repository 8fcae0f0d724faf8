import type { EmailTemplate } from '../domain/templates';
import type { TemplateStore } from '../ports';

/** Templates held in memory: bundled into the send function on AWS, read from the workspace locally. */
export class StaticTemplateStore implements TemplateStore {
  private readonly templates: ReadonlyMap<string, EmailTemplate>;
  constructor(templates: Record<string, EmailTemplate>) {
    this.templates = new Map(Object.entries(templates));
  }
  email(name: string): EmailTemplate | undefined {
    return this.templates.get(name);
  }
}
