/**
 * The layer graph laid out by ELK's layered algorithm (top to bottom), with each inception
 * module, residual block and auxiliary head inside its own box. Coordinates come back absolute
 * (json.shapeCoords/edgeCoords ROOT), so drawing needs no offset bookkeeping.
 */
import type { ELK as ElkApi, ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api.js';
import { formatShape, type Model } from '@convzoo/core';
import { groupNodes } from './groups.js';

export interface LaidOutNode {
  readonly id: string;
  readonly op: string;
  readonly label: string;
  readonly detail: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface Layout {
  readonly width: number;
  readonly height: number;
  readonly nodes: readonly LaidOutNode[];
  readonly groups: readonly { readonly id: string; readonly x: number; readonly y: number; readonly width: number; readonly height: number }[];
  /** Each edge as a polyline of points. */
  readonly edges: readonly (readonly { readonly x: number; readonly y: number }[])[];
}

const CHAR_W = 6.6;
const NODE_H = 34;

const ROOT_OPTIONS = {
  'elk.algorithm': 'layered',
  'elk.direction': 'DOWN',
  'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
  'elk.edgeRouting': 'ORTHOGONAL',
  'elk.spacing.nodeNode': '14',
  'elk.layered.spacing.nodeNodeBetweenLayers': '22',
  'elk.padding': '[top=12,left=12,bottom=12,right=12]',
  'org.eclipse.elk.json.shapeCoords': 'ROOT',
  'org.eclipse.elk.json.edgeCoords': 'ROOT',
};

/** The ELK input graph: one node per layer (sized to its label), grouped layers inside a parent node. */
export function elkGraph(model: Model): ElkNode {
  const names = model.nodes.map((n) => n.name);
  const groups = groupNodes(names);
  const member = new Map([...groups].flatMap(([g, ns]) => ns.map((n) => [n, g] as const)));
  const leaf = (name: string, op: string): ElkNode => {
    const detail = `${op} ${formatShape(model.shapeOf(name))}`;
    return { id: name, width: Math.max(name.length, detail.length) * CHAR_W + 16, height: NODE_H };
  };
  const children: ElkNode[] = [];
  const groupBoxes = new Map<string, ElkNode>();
  for (const node of model.nodes) {
    const g = member.get(node.name);
    if (g === undefined) {
      children.push(leaf(node.name, node.op));
      continue;
    }
    let box = groupBoxes.get(g);
    if (box === undefined) {
      box = { id: `group:${g}`, children: [], layoutOptions: { 'elk.padding': '[top=22,left=10,bottom=10,right=10]' } };
      groupBoxes.set(g, box);
      children.push(box);
    }
    box.children!.push(leaf(node.name, node.op));
  }
  const edges: ElkExtendedEdge[] = model.nodes.flatMap((n) => n.inputs.map((i) => ({ id: `${i}->${n.name}`, sources: [i], targets: [n.name] })));
  return { id: 'root', layoutOptions: ROOT_OPTIONS, children, edges };
}

/** Runs the layout and flattens the result for drawing. */
export async function layoutModel(elk: ElkApi, model: Model): Promise<Layout> {
  const done = await elk.layout(elkGraph(model));
  const ops = new Map(model.nodes.map((n) => [n.name, n.op]));
  const nodes: LaidOutNode[] = [];
  const groups: Layout['groups'][number][] = [];
  const visit = (n: ElkNode) => {
    for (const c of n.children ?? []) {
      const box = { x: c.x ?? 0, y: c.y ?? 0, width: c.width ?? 0, height: c.height ?? 0 };
      if (c.children !== undefined) {
        groups.push({ id: c.id.slice('group:'.length), ...box });
        visit(c);
      } else {
        const op = ops.get(c.id)!;
        nodes.push({ id: c.id, op, label: c.id, detail: `${op} ${formatShape(model.shapeOf(c.id))}`, ...box });
      }
    }
  };
  visit(done);
  const edges: { x: number; y: number }[][] = [];
  const collect = (n: ElkNode) => {
    for (const e of (n.edges ?? []) as ElkExtendedEdge[]) {
      for (const s of e.sections ?? []) edges.push([s.startPoint, ...(s.bendPoints ?? []), s.endPoint]);
    }
    for (const c of n.children ?? []) collect(c);
  };
  collect(done);
  return { width: done.width ?? 0, height: done.height ?? 0, nodes, groups, edges };
}
