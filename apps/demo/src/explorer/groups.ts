/**
 * Which drawn box a layer belongs to. The builders name the layers of one inception module,
 * residual block or auxiliary head with a common prefix (inception_3a_*, layer2_0_*, aux1_*);
 * drawing each such family of nodes inside one box keeps a 500-node ResNet-152 readable.
 */
const GROUP_PATTERNS: readonly RegExp[] = [
  /^(inception_\d+[a-z])_/, // GoogLeNet inception modules
  /^(layer\d+_\d+)_/, // ResNet residual blocks (torchvision naming: stage_block_)
  /^(aux\d+)_/, // GoogLeNet auxiliary classifiers
];

export function groupOf(node: string): string | undefined {
  for (const p of GROUP_PATTERNS) {
    const m = p.exec(node);
    if (m) return m[1];
  }
  return undefined;
}

/** Nodes by group, in first-seen order; ungrouped nodes are left out. */
export function groupNodes(names: readonly string[]): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const n of names) {
    const g = groupOf(n);
    if (g === undefined) continue;
    let members = groups.get(g);
    if (members === undefined) groups.set(g, (members = []));
    members.push(n);
  }
  return groups;
}
