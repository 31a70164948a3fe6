import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { z } from 'zod';
import { defineTool } from '../types';
import { resolveEntity } from './entityRefs';
import { dropUndefined } from './entitySummary';
import { entityRefInput } from './getEntity';
import { Edge, FORWARD_TYPES, Traversal } from './relationGraph';

const NODE_FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.title',
  'spec.type',
  'relations',
];

const nodeSchema = z.object({
  ref: z.string(),
  depth: z.number().int().describe('Hops from the starting entity'),
  kind: z.string().optional(),
  title: z.string().optional(),
  type: z.string().optional(),
  missing: z
    .boolean()
    .optional()
    .describe(
      'True when the entity is related but cannot be read (absent or not visible)',
    ),
});
type GraphNode = z.infer<typeof nodeSchema>;

export const getEntityRelationsTool = defineTool({
  name: 'get_entity_relations',
  title: 'Walk entity relations',
  description:
    'Walks the relation graph around an entity, breadth first, up to 5 hops: dependencies (dependsOn), ownership (ownedBy), APIs (providesApi, consumesApi), ' +
    'parts (partOf), group hierarchy (childOf) and membership (memberOf). Each relation appears once as an edge in its forward direction: ' +
    'outgoing dependsOn = what this depends on; incoming dependsOn = what depends on this. Safe on cycles; says when it stops at the node limit.',
  access: 'read',
  idempotent: true,
  input: z.object({
    ref: entityRefInput,
    direction: z
      .enum(['outgoing', 'incoming', 'both'])
      .default('outgoing')
      .describe(
        'outgoing (default): relations this entity has; incoming: relations other entities have to it; both.',
      ),
    relationTypes: z
      .array(
        z
          .string()
          .regex(/^[A-Za-z]+$/, 'must be a relation type such as dependsOn'),
      )
      .max(20)
      .optional()
      .describe(
        `Relation types to follow (default all), e.g. ${FORWARD_TYPES.join(', ')}.`,
      ),
    depth: z
      .number()
      .int()
      .min(1)
      .max(5)
      .default(1)
      .describe('How many hops, 1 to 5 (default 1).'),
    maxNodes: z
      .number()
      .int()
      .min(2)
      .max(500)
      .default(100)
      .describe('Stop after this many nodes (default 100, at most 500).'),
  }),
  output: z.object({
    root: z.string(),
    nodes: z.array(nodeSchema),
    edges: z.array(
      z.object({ source: z.string(), type: z.string(), target: z.string() }),
    ),
    truncated: z
      .boolean()
      .describe('True when the node limit stopped the walk'),
    unexplored: z
      .array(z.string())
      .optional()
      .describe(
        'When truncated: refs whose relations were not walked; start from one of them to go on',
      ),
  }),
  async run({ catalog }, { ref, direction, relationTypes, depth, maxNodes }) {
    const root = await resolveEntity(catalog, ref);
    const rootRef = stringifyEntityRef(root).toLowerCase();
    const traversal = new Traversal(direction, relationTypes);
    const nodes = new Map<string, GraphNode>([
      [rootRef, nodeOf(rootRef, 0, root)],
    ]);
    const edges = new Map<string, Edge>();
    let level: Entity[] = [root];
    let truncated = false;
    const unexplored = new Set<string>();

    for (let hop = 1; hop <= depth && level.length > 0; hop++) {
      const discovered: string[] = [];
      for (const entity of level) {
        for (const { edge, next } of traversal.follow(entity)) {
          if (!nodes.has(next)) {
            if (nodes.size >= maxNodes) {
              truncated = true;
              unexplored.add(stringifyEntityRef(entity));
              continue;
            }
            nodes.set(next, { ref: next, depth: hop });
            discovered.push(next);
          }
          edges.set(`${edge.source} ${edge.type} ${edge.target}`, edge);
        }
      }
      const fetched = await catalog.getByRefs(discovered, NODE_FIELDS);
      discovered.forEach((nodeRef, i) => {
        nodes.set(nodeRef, nodeOf(nodeRef, hop, fetched[i]));
      });
      level = fetched.filter((e): e is Entity => e !== undefined);
    }

    return {
      root: rootRef,
      nodes: [...nodes.values()],
      edges: [...edges.values()],
      truncated,
      unexplored: truncated ? [...unexplored] : undefined,
    };
  },
  render({ root, nodes, edges, truncated, unexplored }) {
    const describe = new Map(nodes.map(n => [n.ref, n]));
    const label = (ref: string) => {
      const node = describe.get(ref);
      if (node?.missing) return `${ref} (not readable)`;
      return node?.title ? `${ref} "${node.title}"` : ref;
    };
    const lines = [
      `Relations around ${label(root)}: ${nodes.length} nodes, ${edges.length} edges.`,
      ...edges.map(e => `${label(e.source)} --${e.type}--> ${label(e.target)}`),
    ];
    if (truncated) {
      lines.push(
        `Truncated at ${nodes.length} nodes. Raise maxNodes (up to 500), lower depth, or continue from: ${unexplored?.join(', ')}.`,
      );
    }
    return lines.join('\n');
  },
});

function nodeOf(
  ref: string,
  depth: number,
  entity: Entity | undefined,
): GraphNode {
  if (!entity) {
    return { ref, depth, missing: true };
  }
  const spec = (entity.spec ?? {}) as { type?: unknown };
  return dropUndefined({
    ref,
    depth,
    kind: entity.kind,
    title: entity.metadata.title,
    type: typeof spec.type === 'string' ? spec.type : undefined,
  });
}
