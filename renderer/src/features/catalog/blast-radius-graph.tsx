// The blast radius of a service drawn as a small graph: the service on the left, then a column per
// depth of what depends on it (directly, then through others), an arrow from each service to those
// it takes down next. Laid out for the width it has (measured), so its text stays readable: where
// the columns do not fit (a narrow war-room panel) the same graph is drawn as a tree, one service a
// row, indented by depth under the service it fails through (others it also depends on are named).
import { useLayoutEffect, useRef, useState } from 'react';
import { tierInfo, type BlastEntry, type ServiceTier } from '@shared/domain/catalog';

interface GraphRoot {
  id: string;
  name: string;
  tier: ServiceTier;
}

interface BlastRadiusGraphProps {
  root: GraphRoot;
  entries: BlastEntry[];
  /** Most boxes shown in one column (in the tree: twice as many rows in all); the rest are counted in a last box. */
  maxPerColumn?: number;
  testId?: string;
}

const boxHeight = 30;
const rowGap = 8;
/** The row of column labels above the boxes: what each depth means. */
const headHeight = 18;
const wideGap = 26;
const narrowGap = 18;
const pad = 4;
const minBox = 100;
const maxBox = 168;
const charWidth = 7;
/** The tree: rows, and how far each depth is indented. */
const treeRow = 28;
const treeBox = 24;
const indent = 18;

interface Placed {
  id: string;
  name: string;
  tier: ServiceTier | null;
  depth: number;
  x: number;
  y: number;
  width: number;
  height: number;
  isRoot: boolean;
  /** A box that stands for the services left out. */
  more: number;
  /** In the tree: the other services (than its parent row) it fails through. */
  alsoVia: string[];
}

interface Edge {
  key: string;
  d: string;
}

/** The width the element is given, kept current as the window or panel changes. */
function useWidth<T extends HTMLElement>() {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    setWidth(element.clientWidth);
    const observer = new ResizeObserver(() => setWidth(element.clientWidth));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return { ref, width };
}

let context: CanvasRenderingContext2D | null | undefined;

/** How wide `text` is drawn at the graph's 12px (bold for the service itself); an estimate where there is no canvas. */
function textWidth(text: string, isBold = false): number {
  if (context === undefined) context = typeof document === 'undefined' ? null : document.createElement('canvas').getContext('2d');
  if (!context) return text.length * charWidth;
  const family = getComputedStyle(document.body).fontFamily || 'sans-serif';
  context.font = `${isBold ? 700 : 400} 12px ${family}`;
  return context.measureText(text).width;
}

/** `text`, shortened with … until it fits in `room` pixels. */
function fitText(text: string, room: number, isBold = false): string {
  if (textWidth(text, isBold) <= room) return text;
  let end = text.length - 1;
  while (end > 1 && textWidth(`${text.slice(0, end)}…`, isBold) > room) end--;
  return `${text.slice(0, end)}…`;
}

const rootBox = (root: GraphRoot): Placed => ({ ...root, depth: 0, x: 0, y: 0, width: 0, height: boxHeight, isRoot: true, more: 0, alsoVia: [] });

/** Columns by depth, each centred on the tallest; an edge from each service to what depends on it. */
function columnLayout(root: GraphRoot, entries: BlastEntry[], width: number, maxPerColumn: number) {
  const depth = entries.reduce((max, e) => Math.max(max, e.depth), 0);
  const columns = depth + 1;
  const gap = width < 360 ? narrowGap : wideGap;
  const boxWidth = Math.round(Math.min(maxBox, (width - pad * 2 - gap * (columns - 1)) / columns));
  const byDepth: Placed[][] = [[rootBox(root)]];
  for (let d = 1; d <= depth; d++) {
    const atDepth = entries.filter((e) => e.depth === d);
    const shown = atDepth.length > maxPerColumn ? atDepth.slice(0, maxPerColumn - 1) : atDepth;
    const column: Placed[] = shown.map((e) => ({
      id: e.id,
      name: e.name,
      tier: e.tier,
      depth: d,
      x: 0,
      y: 0,
      width: 0,
      height: boxHeight,
      isRoot: false,
      more: 0,
      alsoVia: [],
    }));
    const left = atDepth.length - shown.length;
    if (left > 0)
      column.push({ id: `more-${d}`, name: `+${left} more`, tier: null, depth: d, x: 0, y: 0, width: 0, height: boxHeight, isRoot: false, more: left, alsoVia: [] });
    byDepth.push(column);
  }
  const tallest = Math.max(...byDepth.map((c) => c.length));
  const height = headHeight + pad * 2 + tallest * boxHeight + (tallest - 1) * rowGap;
  const placed = new Map<string, Placed>();
  byDepth.forEach((column, d) => {
    const columnHeight = column.length * boxHeight + (column.length - 1) * rowGap;
    const top = headHeight + pad + (height - headHeight - pad * 2 - columnHeight) / 2;
    column.forEach((box, i) => {
      box.x = pad + d * (boxWidth + gap);
      box.y = top + i * (boxHeight + rowGap);
      box.width = boxWidth;
      placed.set(box.id, box);
    });
  });
  const edges = new Map<string, Edge>();
  for (const entry of entries) {
    const to = placed.get(entry.id) ?? placed.get(`more-${entry.depth}`);
    if (!to) continue;
    for (const viaId of entry.via) {
      const from = placed.get(viaId);
      if (!from || edges.has(`${from.id}>${to.id}`)) continue;
      const x1 = from.x + from.width;
      const y1 = from.y + boxHeight / 2;
      const x2 = to.x - 1;
      const y2 = to.y + boxHeight / 2;
      const bend = (x2 - x1) / 2;
      edges.set(`${from.id}>${to.id}`, { key: `${from.id}>${to.id}`, d: `M${x1},${y1} C${x1 + bend},${y1} ${x2 - bend},${y2} ${x2},${y2}` });
    }
  }
  const heads = byDepth.map((_, d) => ({ x: pad + d * (boxWidth + gap) + 2, text: d === 0 ? 'if it fails' : d === 1 ? 'depend on it' : `${d} steps away` }));
  return { boxes: [...placed.values()], edges: [...edges.values()], heads, width: pad * 2 + columns * boxWidth + (columns - 1) * gap, height };
}

/** One service a row, under the service (one step closer) it fails through first, indented by depth. */
function treeLayout(root: GraphRoot, entries: BlastEntry[], width: number, maxRows: number) {
  const children = new Map<string, BlastEntry[]>();
  for (const entry of entries) children.set(entry.via[0], [...(children.get(entry.via[0]) ?? []), entry]);
  const names = new Map([[root.id, root.name], ...entries.map((e) => [e.id, e.name] as const)]);
  const rows: Placed[] = [rootBox(root)];
  const parentOf = new Map<string, string>();
  const walk = (id: string) => {
    for (const child of children.get(id) ?? []) {
      rows.push({
        id: child.id,
        name: child.name,
        tier: child.tier,
        depth: child.depth,
        x: 0,
        y: 0,
        width: 0,
        height: treeBox,
        isRoot: false,
        more: 0,
        alsoVia: child.via.slice(1).map((v) => names.get(v) ?? v),
      });
      parentOf.set(child.id, id);
      walk(child.id);
    }
  };
  walk(root.id);
  let shown = rows;
  if (rows.length > maxRows + 1) {
    shown = rows.slice(0, maxRows);
    shown.push({
      id: 'more',
      name: `+${rows.length - maxRows} more`,
      tier: null,
      depth: 1,
      x: 0,
      y: 0,
      width: 0,
      height: treeBox,
      isRoot: false,
      more: rows.length - maxRows,
      alsoVia: [],
    });
  }
  shown.forEach((box, i) => {
    box.x = pad + box.depth * indent;
    // The service itself in a full-height box, then a row for each service below it.
    box.y = i === 0 ? pad : pad + boxHeight + 4 + (i - 1) * treeRow + (treeRow - treeBox) / 2;
    box.height = i === 0 ? boxHeight : treeBox;
    box.width = width - pad - box.x;
  });
  const at = new Map(shown.map((b) => [b.id, b]));
  const edges: Edge[] = [];
  for (const box of shown) {
    const parent = box.more ? at.get(root.id) : at.get(parentOf.get(box.id) ?? '');
    if (!parent) continue;
    const x = parent.x + 9;
    const y = box.y + box.height / 2;
    edges.push({ key: `${parent.id}>${box.id}`, d: `M${x},${parent.y + parent.height} L${x},${y} L${box.x - 1},${y}` });
  }
  const last = shown[shown.length - 1];
  return { boxes: shown, edges, heads: [], width, height: last.y + last.height + pad };
}

export function BlastRadiusGraph({ root, entries, maxPerColumn = 6, testId = 'blast-radius-graph' }: BlastRadiusGraphProps) {
  const { ref, width } = useWidth<HTMLDivElement>();
  const depth = entries.reduce((max, e) => Math.max(max, e.depth), 0);
  const gap = width < 360 ? narrowGap : wideGap;
  const isTree = (width - pad * 2 - gap * depth) / (depth + 1) < minBox;
  const layout = width <= 0 ? null : isTree ? treeLayout(root, entries, width, maxPerColumn * 2) : columnLayout(root, entries, width, maxPerColumn);

  const label = `Blast radius of ${root.name}: ${entries.length === 0 ? 'nothing depends on it' : entries.map((e) => `${e.name} (depth ${e.depth})`).join(', ')}`;
  return (
    <div ref={ref} className={isTree ? 'blast-graph is-tree' : 'blast-graph'} data-testid={testId} data-layout={isTree ? 'tree' : 'columns'}>
      {layout && (
        <svg width={layout.width} height={layout.height} viewBox={`0 0 ${layout.width} ${layout.height}`} role="img" aria-label={label}>
          <defs>
            <marker id="blast-arrow" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
              <path d="M0,0 L8,4 L0,8 z" className="blast-arrow" />
            </marker>
          </defs>
          {layout.heads.map((head) => (
            <text key={head.text} className="blast-head" x={head.x} y={12}>
              {head.text}
            </text>
          ))}
          {layout.edges.map((edge) => (
            <path key={edge.key} className="blast-edge" d={edge.d} markerEnd="url(#blast-arrow)" />
          ))}
          {layout.boxes.map((box) => {
            const textX = box.tier ? 27 : 10;
            const room = box.width - textX - 5;
            const name = fitText(box.name, room, box.isRoot);
            const via = box.alsoVia.length > 0 ? `also via ${box.alsoVia.join(', ')}` : '';
            const viaRoom = room - textWidth(name, box.isRoot) - 10;
            return (
              <g
                key={box.id}
                className={`blast-node${box.isRoot ? ' is-root' : ''}${box.more ? ' is-more' : ''}${box.tier ? ` tier-${box.tier}` : ''}`}
                data-testid={box.isRoot ? 'blast-root' : box.more ? 'blast-more' : 'blast-node'}
                data-service-id={box.more ? undefined : box.id}
                data-depth={box.depth}
                transform={`translate(${box.x},${box.y})`}
              >
                <title>
                  {box.more
                    ? `${box.more} more services`
                    : `${box.name} (${box.id}) · ${box.tier ? tierInfo[box.tier].label : ''}${box.isRoot ? ' · the service itself' : ` · ${box.depth === 1 ? 'depends on it directly' : `${box.depth} steps away`}`}${via ? ` · ${via}` : ''}`}
                </title>
                <rect width={box.width} height={box.height} rx={5} />
                {box.tier && (
                  <text x={8} y={box.height / 2 + 4} className="blast-tier">
                    {tierInfo[box.tier].short}
                  </text>
                )}
                <text x={textX} y={box.height / 2 + 4} className="blast-name">
                  {name}
                  {via && viaRoom > 40 && (
                    <tspan className="blast-via" dx={8}>
                      {fitText(via, viaRoom)}
                    </tspan>
                  )}
                </text>
              </g>
            );
          })}
        </svg>
      )}
    </div>
  );
}
