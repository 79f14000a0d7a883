/**
 * Second pass over a decoded value. The pickle memo lets one container be referenced many times,
 * so a small input can describe a cycle (unusable as JSON-like data) or an exponentially large
 * tree once expanded ("billion laughs"); and tuples can nest without growing the VM stack. This
 * walk measures what consumers will actually traverse: nesting depth and expanded item count.
 * It is iterative and visits each distinct container once. When the decoder saw no container
 * referenced twice, the value is a plain tree whose item count the decoder already bounded,
 * so only the (cheaper) depth walk runs.
 */
import { isContainer, type PickleDict, type PickleValue } from "./value.js";

export interface ShapeLimits {
  maxDepth: number;
  maxItems: number;
}

interface Frame {
  node: object;
  children: PickleValue[];
  next: number;
  /** Deepest child container depth seen so far (0 when none). */
  childDepth: number;
  /** Expanded item count of child containers seen so far. */
  nestedItems: number;
}

interface Measured {
  depth: number;
  items: number;
}

/** Returns why the value breaks a limit, or undefined when it is fine. */
export function findShapeProblem(root: PickleValue, limits: ShapeLimits, mayShare: boolean): string | undefined {
  if (!isContainer(root)) return undefined;
  return mayShare ? walkGraph(root, limits) : walkTree(root, limits.maxDepth);
}

function walkTree(root: PickleValue[] | PickleDict, maxDepth: number): string | undefined {
  const nodes: (PickleValue[] | PickleDict)[] = [root];
  const depths: number[] = [1];
  while (nodes.length > 0) {
    const node = nodes.pop()!;
    const depth = depths.pop()!;
    if (depth > maxDepth) return `nesting deeper than ${maxDepth}`;
    if (Array.isArray(node)) {
      for (const child of node) {
        if (isContainer(child)) {
          nodes.push(child);
          depths.push(depth + 1);
        }
      }
    } else {
      for (const key in node) {
        const child = node[key];
        if (isContainer(child)) {
          nodes.push(child);
          depths.push(depth + 1);
        }
      }
    }
  }
  return undefined;
}

function walkGraph(root: PickleValue[] | PickleDict, limits: ShapeLimits): string | undefined {
  const measured = new Map<object, Measured>();
  const onPath = new Set<object>();
  const stack: Frame[] = [frameFor(root)];
  onPath.add(root);

  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (top.next < top.children.length) {
      const child = top.children[top.next++];
      if (!isContainer(child)) continue;
      if (onPath.has(child)) return "cyclic reference (a container inside itself)";
      const known = measured.get(child);
      if (known !== undefined) {
        if (stack.length + known.depth > limits.maxDepth) return `nesting deeper than ${limits.maxDepth}`;
        top.childDepth = Math.max(top.childDepth, known.depth);
        top.nestedItems += known.items;
        if (top.nestedItems > limits.maxItems) return `more than ${limits.maxItems} items once expanded`;
        continue;
      }
      if (stack.length + 1 > limits.maxDepth) return `nesting deeper than ${limits.maxDepth}`;
      onPath.add(child);
      stack.push(frameFor(child));
      continue;
    }
    stack.pop();
    onPath.delete(top.node);
    const own: Measured = { depth: top.childDepth + 1, items: top.children.length + top.nestedItems };
    if (own.items > limits.maxItems) return `more than ${limits.maxItems} items once expanded`;
    measured.set(top.node, own);
    const parent = stack[stack.length - 1];
    if (parent !== undefined) {
      parent.childDepth = Math.max(parent.childDepth, own.depth);
      parent.nestedItems += own.items;
    }
  }
  return undefined;
}

function frameFor(node: PickleValue[] | PickleDict): Frame {
  const children = Array.isArray(node) ? node : Object.values(node);
  return { node, children, next: 0, childDepth: 0, nestedItems: 0 };
}
