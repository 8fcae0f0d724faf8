// Strongly connected components (Tarjan's algorithm), for the graph questions of the validator and the
// limits check. Components come out in reverse topological order, each in the order its nodes were found.

export function stronglyConnected(nodes: readonly string[], next: (node: string) => string[]): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter);
    counter += 1;
    stack.push(v);
    onStack.add(v);
    for (const w of next(v)) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      components.push(component.reverse());
    }
  };
  for (const node of nodes) if (!index.has(node)) visit(node);
  return components;
}

/** Whether a component loops: more than one node, or one node that leads to itself. */
export const isCycle = (component: readonly string[], next: (node: string) => string[]) =>
  component.length > 1 || next(component[0]!).includes(component[0]!);
