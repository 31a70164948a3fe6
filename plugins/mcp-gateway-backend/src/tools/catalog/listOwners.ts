import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { z } from 'zod';
import { CallerCatalog } from '../../downstream/callerCatalog';
import { isPlaceholderRef } from '../../policy/elision';
import { defineTool } from '../types';
import { fullRef, resolveEntity } from './entityRefs';
import { dropUndefined, relationsOf } from './entitySummary';
import { entityRefInput } from './getEntity';

const PARTY_FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.title',
  'spec.profile',
  'relations',
];
const MAX_PARENT_HOPS = 10;

const contactSchema = z.object({
  ref: z.string(),
  displayName: z.string().optional(),
  email: z.string().optional(),
});

const partySchema = contactSchema.extend({
  kind: z.string(),
  members: z
    .array(contactSchema)
    .describe('Members of a group, with contact fields'),
  parents: z
    .array(contactSchema)
    .describe("A group's parent chain, nearest first, up to the root"),
});
type Party = z.infer<typeof partySchema>;

const ownsSchema = z.object({
  total: z.number().int(),
  kinds: z.array(
    z.object({
      kind: z.string(),
      count: z
        .number()
        .int()
        .describe('True count of owned entities of this kind'),
      items: z.array(
        z.object({ ref: z.string(), title: z.string().optional() }),
      ),
    }),
  ),
});

export const listOwnersTool = defineTool({
  name: 'list_owners',
  title: 'Find owners and what they own',
  description:
    'For an entity (service, API, resource...): the owning group(s) or user, with members and their contact details (name, email), and the group hierarchy above. ' +
    'For a group or user: what it owns, grouped by kind with true counts, plus its members or groups.',
  access: 'read',
  idempotent: true,
  input: z.object({
    ref: entityRefInput,
    itemsPerKind: z
      .number()
      .int()
      .min(1)
      .max(50)
      .default(10)
      .describe(
        'For a group or user: how many owned entities to list per kind (counts are always complete).',
      ),
  }),
  output: z.object({
    subject: z.object({
      ref: z.string(),
      kind: z.string(),
      title: z.string().optional(),
    }),
    owners: z.array(partySchema).optional().describe('Who owns the entity'),
    party: partySchema.optional().describe('The group or user itself'),
    memberOf: z.array(z.string()).optional().describe("A user's groups"),
    owns: ownsSchema.optional(),
  }),
  async run({ catalog }, { ref, itemsPerKind }) {
    const entity = await resolveEntity(catalog, ref);
    const subjectRef = stringifyEntityRef(entity);
    const subject = dropUndefined({
      ref: subjectRef,
      kind: entity.kind,
      title: entity.metadata.title ?? profileOf(entity).displayName,
    });
    const kind = entity.kind.toLowerCase();

    if (kind === 'group' || kind === 'user') {
      return {
        subject,
        party: await describeParty(catalog, entity),
        memberOf: kind === 'user' ? targets(entity, 'memberOf') : undefined,
        owns: await ownedBy(catalog, subjectRef, itemsPerKind),
      };
    }

    const ownerRefs = targets(entity, 'ownedBy');
    const spec = (entity.spec ?? {}) as { owner?: unknown };
    if (ownerRefs.length === 0 && typeof spec.owner === 'string') {
      // Elided and redacted owners stay placeholders.
      ownerRefs.push(
        isPlaceholderRef(spec.owner)
          ? spec.owner
          : fullRef(spec.owner, 'group'),
      );
    }
    const ownerEntities = await catalog.getByRefs(ownerRefs, PARTY_FIELDS);
    const owners = await Promise.all(
      ownerRefs.map((ownerRef, i) =>
        ownerEntities[i]
          ? describeParty(catalog, ownerEntities[i]!)
          : {
              ref: ownerRef,
              kind: isPlaceholderRef(ownerRef)
                ? 'unknown'
                : ownerRef.split(':')[0],
              members: [],
              parents: [],
            },
      ),
    );
    return { subject, owners };
  },
  render({ subject, owners, party, memberOf, owns }) {
    const lines = [
      `${subject.ref}${subject.title ? ` "${subject.title}"` : ''}`,
    ];
    for (const owner of owners ?? []) {
      lines.push(`owned by ${partyLines(owner)}`);
    }
    if (owners && owners.length === 0) lines.push('No owner is recorded.');
    if (party) lines.push(partyLines(party));
    if (memberOf?.length) lines.push(`member of: ${memberOf.join(', ')}`);
    if (owns) {
      lines.push(`owns ${owns.total} entities`);
      for (const group of owns.kinds) {
        const more =
          group.count > group.items.length
            ? ` (+${group.count - group.items.length} more)`
            : '';
        lines.push(
          `  ${group.kind} (${group.count}): ${group.items.map(i => i.ref).join(', ')}${more}`,
        );
      }
    }
    return lines.join('\n');
  },
});

function partyLines(party: Party): string {
  const lines = [contactLine(party)];
  if (party.parents.length) {
    lines.push(`  parents: ${party.parents.map(p => p.ref).join(' -> ')}`);
  }
  if (party.members.length) {
    lines.push(`  members: ${party.members.map(contactLine).join('; ')}`);
  }
  return lines.join('\n');
}

function contactLine(c: { ref: string; displayName?: string; email?: string }) {
  return [
    c.ref,
    c.displayName && `"${c.displayName}"`,
    c.email && `<${c.email}>`,
  ]
    .filter(Boolean)
    .join(' ');
}

async function describeParty(
  catalog: CallerCatalog,
  entity: Entity,
): Promise<Party> {
  const ref = stringifyEntityRef(entity);
  const isGroup = entity.kind.toLowerCase() === 'group';
  const [members, parents] = isGroup
    ? await Promise.all([
        contacts(catalog, targets(entity, 'hasMember')),
        parentChain(catalog, entity),
      ])
    : [[], []];
  return dropUndefined({
    ref,
    kind: entity.kind,
    ...contactOf(entity),
    members,
    parents,
  });
}

async function contacts(catalog: CallerCatalog, refs: string[]) {
  const entities = await catalog.getByRefs(refs, PARTY_FIELDS);
  return refs.map((ref, i) => {
    const entity = entities[i];
    return entity
      ? dropUndefined({ ref: stringifyEntityRef(entity), ...contactOf(entity) })
      : { ref };
  });
}

/** Up the childOf chain, nearest first; cycle-safe and bounded. */
async function parentChain(catalog: CallerCatalog, group: Entity) {
  const chain: Array<z.infer<typeof contactSchema>> = [];
  const seen = new Set([stringifyEntityRef(group).toLowerCase()]);
  let current: Entity | undefined = group;
  for (let hop = 0; current && hop < MAX_PARENT_HOPS; hop++) {
    const parentRef: string | undefined = targets(current, 'childOf')[0];
    if (!parentRef || seen.has(parentRef.toLowerCase())) break;
    seen.add(parentRef.toLowerCase());
    [current] = await catalog.getByRefs([parentRef], PARTY_FIELDS);
    chain.push(
      current
        ? dropUndefined({ ref: parentRef, ...contactOf(current) })
        : { ref: parentRef },
    );
  }
  return chain;
}

/** Owned entities grouped by kind: true counts from facets, a few items each. */
async function ownedBy(
  catalog: CallerCatalog,
  ownerRef: string,
  perKind: number,
) {
  const owned = { 'relations.ownedBy': ownerRef.toLowerCase() };
  const { facets } = await catalog.facets({ facets: ['kind'], query: owned });
  const counts = [...(facets.kind ?? [])].sort((a, b) =>
    a.value.localeCompare(b.value),
  );
  const kinds = await Promise.all(
    counts.map(async ({ value: kind, count }) => {
      const { items } = await catalog.query({
        query: { ...owned, kind },
        fields: [
          'kind',
          'metadata.name',
          'metadata.namespace',
          'metadata.title',
        ],
        orderFields: { field: 'metadata.name', order: 'asc' },
        limit: perKind,
      });
      return {
        kind,
        count,
        items: items.map(e =>
          dropUndefined({
            ref: stringifyEntityRef(e),
            title: e.metadata.title,
          }),
        ),
      };
    }),
  );
  return { total: counts.reduce((sum, c) => sum + c.count, 0), kinds };
}

function targets(entity: Entity, type: string): string[] {
  return relationsOf(entity)
    .filter(r => r.type === type)
    .map(r => r.targetRef);
}

function profileOf(entity: Entity): { displayName?: string; email?: string } {
  const profile =
    ((entity.spec ?? {}) as { profile?: Record<string, unknown> }).profile ??
    {};
  return {
    displayName:
      typeof profile.displayName === 'string' ? profile.displayName : undefined,
    email: typeof profile.email === 'string' ? profile.email : undefined,
  };
}

function contactOf(entity: Entity) {
  const profile = profileOf(entity);
  return {
    displayName: profile.displayName ?? entity.metadata.title,
    email: profile.email,
  };
}
