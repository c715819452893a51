/** Rows by their node, each node's in the order given. */
export function groupByNode<T extends { nodeId: string }>(rows: readonly T[]): Map<string, T[]> {
  const byNode = new Map<string, T[]>();
  for (const r of rows) {
    const list = byNode.get(r.nodeId);
    if (list) list.push(r);
    else byNode.set(r.nodeId, [r]);
  }
  return byNode;
}
