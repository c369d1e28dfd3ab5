/**
 * The topological sort runtime-utils (`pkg/registries/topo.go`) uses to merge mirror lists.
 * Deterministic on purpose: nodes are taken in byte order, each newly freed batch is sorted before it joins
 * the FIFO queue, and a cycle is broken by the first unused node in byte order. The exact order matters
 * because it becomes the `[[registry.mirror]]` order in the node's registries.conf.
 */

interface Node {
  name: string;
  used: boolean;
  ins: Set<Node>;
  outs: Set<Node>;
}

export class TopoGraph {
  private readonly nodes = new Map<string, Node>();

  private node(name: string): Node {
    let n = this.nodes.get(name);
    if (n === undefined) {
      n = { name, used: false, ins: new Set(), outs: new Set() };
      this.nodes.set(name, n);
    }
    return n;
  }

  /** Adds the edge from → to; a repeated edge is ignored, which makes the result independent of input order. */
  addEdge(from: string, to: string): void {
    const f = this.node(from);
    const t = this.node(to);
    f.outs.add(t);
    t.ins.add(f);
  }

  /** All nodes, respecting the edges where possible. Consumes the graph (like the Go original). */
  sorted(): string[] {
    const all = [...this.nodes.values()].sort((a, b) => byteCompare(a.name, b.name));
    const queue: Node[] = all.filter((n) => n.ins.size === 0);
    const res: string[] = [];
    let cursor = 0;
    while (queue.length > 0 || cursor < all.length) {
      let node: Node;
      if (queue.length > 0) {
        node = queue.shift() as Node;
      } else {
        node = all[cursor++] as Node;
        if (node.used) continue;
      }
      node.used = true;
      res.push(node.name);
      const batch: Node[] = [];
      for (const out of node.outs) {
        out.ins.delete(node);
        if (out.ins.size === 0 && !out.used) batch.push(out);
      }
      batch.sort((a, b) => byteCompare(a.name, b.name));
      queue.push(...batch);
    }
    return res;
  }
}

/** Go's string ordering: byte order of the UTF-8 encoding (differs from UTF-16 order only outside the BMP). */
export function byteCompare(a: string, b: string): number {
  if (a === b) return 0;
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
