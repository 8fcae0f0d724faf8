import dagre from '@dagrejs/dagre';
import type { Look } from '../kinds';
import { lookOf, type Outline } from './outline';

// An outline laid out for drawing (dagre: layered, top to bottom). Pure and deterministic: `jo graph` draws it
// as an SVG file, the report page draws it with each step's counts.

const CHAR = 7; // average glyph width at 12px, for sizing boxes without a browser

export interface LaidNode {
  id: string;
  kind: string;
  label: string;
  /** Its kind's look (kinds/): the fill, and the shape. */
  fill: string;
  shape: Look['shape'];
  x: number;
  y: number;
  width: number;
  height: number;
}
export interface LaidEdge {
  from: string;
  to: string;
  label: string;
  points: Array<{ x: number; y: number }>;
  /** Where the label goes, when there is one. */
  labelAt?: { x: number; y: number };
}
export interface Layout {
  width: number;
  height: number;
  nodes: LaidNode[];
  edges: LaidEdge[];
}

const r = (n: number) => Math.round(n * 10) / 10;

/** `nodeHeight` leaves room under the label (the report puts counts there). */
export function layoutOutline(outline: Outline, options: { nodeHeight?: number; minWidth?: number } = {}): Layout {
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: 'TB', nodesep: 30, ranksep: 45, edgesep: 15, marginx: 20, marginy: 20 });
  const nodes = [{ id: '__entry', kind: 'entry' as const, label: outline.entry }, ...outline.nodes];
  for (const n of nodes) g.setNode(n.id, { width: Math.max(n.label.length * CHAR + 24, options.minWidth ?? 0), height: options.nodeHeight ?? 34 });
  const edges = [...(outline.nodes[0] ? [{ from: '__entry', to: outline.nodes[0].id, label: '' }] : []), ...outline.edges];
  edges.forEach((e, i) => g.setEdge(e.from, e.to, { label: e.label, width: e.label ? e.label.length * 6 + 8 : 0, height: e.label ? 16 : 0, labelpos: 'c' }, `e${i}`));
  dagre.layout(g);
  const { width = 0, height = 0 } = g.graph();
  return {
    width: r(width),
    height: r(height),
    nodes: nodes.map((n) => {
      const laid = g.node(n.id);
      const { fill, shape } = lookOf(n.kind);
      return { id: n.id, kind: n.kind, label: n.label, fill, shape, x: r(laid.x), y: r(laid.y), width: r(laid.width), height: r(laid.height) };
    }),
    edges: edges.map((e, i) => {
      const laid = g.edge({ v: e.from, w: e.to, name: `e${i}` });
      return {
        from: e.from,
        to: e.to,
        label: e.label,
        points: laid.points.map((p: { x: number; y: number }) => ({ x: r(p.x), y: r(p.y) })),
        ...(e.label && laid.x !== undefined && laid.y !== undefined ? { labelAt: { x: r(laid.x), y: r(laid.y) } } : {}),
      };
    }),
  };
}
