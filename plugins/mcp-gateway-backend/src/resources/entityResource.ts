import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { z } from 'zod';
import { InvalidArguments } from '../core/errors';
import { toSummary } from '../tools/catalog/entitySummary';
import { decodeCursor, encodeCursor } from '../tools/paging';
import { GatewayResource } from './types';
import { SCHEME, uriParts } from './resourceUris';

const PAGE_SIZE = 50;
const LIST = 'resources/list';
const cursorShape = z.strictObject({
  t: z.literal(LIST),
  q: z.strictObject({}),
  o: z.number().int().min(0).max(1_000_000),
});

/** `backstage://entity/{kind}/{namespace}/{name}`, lower-case as refs compare. */
export const entityUri = (entity: Entity) =>
  `${SCHEME}entity/${[
    entity.kind,
    entity.metadata.namespace ?? 'default',
    entity.metadata.name,
  ]
    .map(part => encodeURIComponent(part.toLowerCase()))
    .join('/')}`;

/**
 * Catalog entities as MCP resources: listed page by page over what the
 * agent may see (the catalog applies its visibility and the caller's
 * permissions), read as a compact Markdown summary and the entity as JSON,
 * both as the catalog released them (redacted, hidden names elided).
 */
export const entityResource: GatewayResource = {
  name: 'entity',
  template: {
    uriTemplate: `${SCHEME}entity/{kind}/{namespace}/{name}`,
    name: 'entity',
    title: 'Catalog entity',
    description:
      'A Backstage catalog entity (component, API, system, resource, group, user, ...): a Markdown summary and the entity as JSON.',
    mimeType: 'text/markdown',
  },
  parse(uri) {
    const parsed = uriParts(uri, 'entity', 3);
    if (!parsed) return undefined;
    if (parsed.rest) {
      throw new InvalidArguments([
        {
          path: 'uri',
          message: `An entity URI ends at the name: ${SCHEME}entity/{kind}/{namespace}/{name}`,
        },
      ]);
    }
    const [kind, namespace, name] = parsed.parts;
    return { kind, namespace, name };
  },
  async list({ catalog }, cursor) {
    const offset = cursor === undefined ? 0 : offsetOf(cursor);
    const { items, totalItems } = await catalog.query({
      orderFields: [
        { field: 'kind', order: 'asc' },
        { field: 'metadata.namespace', order: 'asc' },
        { field: 'metadata.name', order: 'asc' },
      ],
      fields: [
        'kind',
        'metadata.name',
        'metadata.namespace',
        'metadata.title',
        'metadata.description',
      ],
      limit: PAGE_SIZE,
      offset,
    });
    const next = offset + items.length;
    return {
      resources: items.map(entity => ({
        uri: entityUri(entity),
        name: stringifyEntityRef(entity),
        ...(entity.metadata.title && { title: String(entity.metadata.title) }),
        ...(entity.metadata.description && {
          description: String(entity.metadata.description),
        }),
        mimeType: 'text/markdown',
      })),
      ...(items.length > 0 &&
        next < totalItems && { nextCursor: encodeCursor(LIST, {}, next) }),
    };
  },
  async read({ catalog }, uri, { kind, namespace, name }) {
    const ref = stringifyEntityRef({ kind, namespace, name });
    const entity = await catalog.getByRef(ref);
    if (!entity) {
      throw new NotFoundError(`No entity ${ref} is visible to this agent.`);
    }
    return [
      { uri, mimeType: 'text/markdown', text: entityMarkdown(entity) },
      {
        uri,
        mimeType: 'application/json',
        text: JSON.stringify(entity, null, 2),
      },
    ];
  },
};

function offsetOf(cursor: string): number {
  const parsed = cursorShape.safeParse(decodeCursor(cursor));
  if (!parsed.success) {
    throw new InvalidArguments([
      {
        path: 'cursor',
        message:
          'is not a cursor of resources/list. List again without a cursor to start from the first page.',
      },
    ]);
  }
  return parsed.data.o;
}

/** The compact summary a model reads first. */
function entityMarkdown(entity: Entity): string {
  const summary = toSummary(entity);
  const facts: Array<[string, string | undefined]> = [
    ['kind', entity.kind],
    ['type', summary.type],
    ['lifecycle', summary.lifecycle],
    ['owner', summary.owner],
    ['system', summary.system],
    ['tags', summary.tags.join(', ') || undefined],
  ];
  const relations = new Map<string, string[]>();
  for (const { type, target } of summary.relations) {
    relations.set(type, [...(relations.get(type) ?? []), target]);
  }
  return [
    `# ${summary.ref}${summary.title ? ` "${summary.title}"` : ''}`,
    ...(summary.description ? ['', summary.description] : []),
    '',
    ...facts.flatMap(([key, value]) =>
      value ? [`- **${key}**: ${value}`] : [],
    ),
    ...(summary.links.length
      ? [
          '',
          '## Links',
          ...summary.links.map(
            link => `- [${link.title ?? link.url}](${link.url})`,
          ),
        ]
      : []),
    ...(relations.size
      ? [
          '',
          '## Relations',
          ...[...relations].map(
            ([type, targets]) => `- **${type}**: ${targets.join(', ')}`,
          ),
        ]
      : []),
  ].join('\n');
}
