import { layoutOutline, type Outline } from '../statemachines';

// An outline as an SVG file a person can open: laid out by layoutOutline (dagre); the drawing is plain SVG, so
// the same journey gives the same bytes.

const FONT = 12;
const RX = { terminal: 17, decision: 2, rounded: 6, box: 6 } as const;

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const r = (n: number) => Math.round(n * 10) / 10;

export function toSvg(outline: Outline): string {
  const { width, height, nodes, edges } = layoutOutline(outline);
  const parts: string[] = [];
  for (const e of edges) {
    const d = e.points.map((p, j) => `${j === 0 ? 'M' : 'L'}${r(p.x)},${r(p.y)}`).join(' ');
    parts.push(`<path d="${d}" fill="none" stroke="#555" marker-end="url(#arrow)"/>`);
    if (e.labelAt) {
      const w = e.label.length * 6 + 8;
      parts.push(`<rect x="${r(e.labelAt.x - w / 2)}" y="${r(e.labelAt.y - 9)}" width="${w}" height="16" fill="#fff" opacity="0.9"/>`);
      parts.push(`<text x="${r(e.labelAt.x)}" y="${r(e.labelAt.y + 3)}" font-size="10" text-anchor="middle" fill="#333">${xml(e.label)}</text>`);
    }
  }
  for (const n of nodes) {
    parts.push(`<rect x="${r(n.x - n.width / 2)}" y="${r(n.y - n.height / 2)}" width="${r(n.width)}" height="${r(n.height)}" rx="${RX[n.shape]}" fill="${n.fill}" stroke="#444"/>`);
    parts.push(`<text x="${r(n.x)}" y="${r(n.y + FONT / 3)}" font-size="${FONT}" text-anchor="middle">${xml(n.label)}</text>`);
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${r(width)}" height="${r(height + 24)}" viewBox="0 -24 ${r(width)} ${r(height + 24)}" font-family="Helvetica, Arial, sans-serif">`,
    `<title>${xml(outline.title)}</title>`,
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker></defs>',
    `<text x="20" y="-6" font-size="14" font-weight="bold">${xml(outline.title)}</text>`,
    ...outline.notes.map((note, i) => `<text x="${r(width - 20)}" y="${-6 + i * 14}" font-size="10" text-anchor="end" fill="#555">${xml(note)}</text>`),
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}
