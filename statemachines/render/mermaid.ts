import type { Outline, OutlineNode } from './outline';

// Mermaid flowchart text: GitHub renders it in Markdown.

const text = (s: string) => `"${s.replace(/"/g, '#quot;')}"`;
const nodeId = (id: string) => `s_${id.replace(/[^A-Za-z0-9_]/g, '_')}`;

function shape(node: OutlineNode): string {
  const label = text(node.label);
  switch (node.kind) {
    case 'condition':
    case 'split':
      return `{${label}}`;
    case 'wait':
    case 'waitForEvent':
      return `([${label}])`;
    case 'end':
    case 'holdout':
      return `((${label}))`;
    default:
      return `[${label}]`;
  }
}

export function toMermaid(outline: Outline): string {
  const lines = ['flowchart TD', `  entry>${text(outline.entry)}]`];
  if (outline.notes.length > 0) lines.push(`  rules[/${text(outline.notes.join('; '))}/]`);
  for (const node of outline.nodes) lines.push(`  ${nodeId(node.id)}${shape(node)}`);
  if (outline.nodes[0]) lines.push(`  entry --> ${nodeId(outline.nodes[0].id)}`);
  for (const e of outline.edges) lines.push(`  ${nodeId(e.from)} -->${e.label ? `|${text(e.label)}|` : ''} ${nodeId(e.to)}`);
  return `${lines.join('\n')}\n`;
}
