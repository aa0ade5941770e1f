interface AcNode {
  type?: string;
  rows?: { cells: { items: { text: string }[] }[] }[];
  [key: string]: unknown;
}

/** Every Adaptive Card Table in a card as rows of cell texts (the header row first). */
export function cardTables(card: unknown): string[][][] {
  const tables: string[][][] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const el = node as AcNode;
      if (el.type === 'Table' && el.rows)
        tables.push(el.rows.map((r) => r.cells.map((c) => c.items[0]?.text ?? '')));
      else Object.values(el).forEach(walk);
    }
  };
  walk(card);
  return tables;
}
