import type { Look } from '../kinds';
import { lookOf, type Outline, type OutlineNode } from './outline';

// Mermaid flowchart text: GitHub renders it in Markdown.

const text = (s: string) => `"${s.replace(/"/g, '#quot;')}"`;
const nodeId = (id: string) => `s_${id.replace(/[^A-Za-z0-9_]/g, '_')}`;

const SHAPES: Record<Look['shape'], (label: string) => string> = {
  decision: (l) => `{${l}}`,
  rounded: (l) => `([${l}])`,
  terminal: (l) => `((${l}))`,
  box: (l) => `[${l}]`,
};
const shape = (node: OutlineNode) => SHAPES[lookOf(node.kind).shape](text(node.label));

export function toMermaid(outline: Outline): string {
  const lines = ['flowchart TD', `  entry>${text(outline.entry)}]`];
  if (outline.notes.length > 0) lines.push(`  rules[/${text(outline.notes.join('; '))}/]`);
  for (const node of outline.nodes) lines.push(`  ${nodeId(node.id)}${shape(node)}`);
  if (outline.nodes[0]) lines.push(`  entry --> ${nodeId(outline.nodes[0].id)}`);
  for (const e of outline.edges) lines.push(`  ${nodeId(e.from)} -->${e.label ? `|${text(e.label)}|` : ''} ${nodeId(e.to)}`);
  return `${lines.join('\n')}\n`;
}
