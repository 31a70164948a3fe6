import { InputError } from '@backstage/errors';
import { FilterPredicate } from '@backstage/filter-predicates';
import { z } from 'zod';
import { CallerCatalog } from '../../downstream/callerCatalog';
import { fullRef } from './entityRefs';

const name = (what: string, example: string) =>
  z
    .string()
    .trim()
    .min(1)
    .max(200)
    .optional()
    .describe(`${what}, e.g. ${example}`);

/** Filters shared by search_catalog and list_entities. */
export const commonFilterInput = {
  kind: name(
    'Only this entity kind',
    'Component, API, System, Group, User, Resource',
  ),
  type: name('Only this spec.type', 'service, website, library, openapi, team'),
  namespace: name('Only this namespace', 'default'),
  owner: name(
    'Only entities owned by this group or user (name or ref)',
    'payments-team or group:default/sre',
  ),
  lifecycle: name(
    'Only this lifecycle',
    'production, experimental, deprecated',
  ),
  tag: name('Only entities with this tag', 'java'),
};

export const extraFilterInput = {
  system: name(
    'Only entities that are part of this system (name or ref)',
    'payments',
  ),
  domain: name(
    'Only systems in this domain, and entities that are part of those systems',
    'commerce',
  ),
  annotation: z
    .string()
    .trim()
    .min(1)
    .max(300)
    .optional()
    .describe(
      'Only entities with this annotation key, or key=value, e.g. pagerduty.com/service-id or backstage.io/techdocs-ref=dir:.',
    ),
};

type FilterArgs = Partial<
  Record<keyof typeof commonFilterInput | keyof typeof extraFilterInput, string>
>;

/**
 * Tool filters -> one catalog predicate, applied by the catalog itself so
 * that totals and paging stay true. Values travel as JSON values, compared
 * whole: a comma or `=` in one is just a character. Ownership and
 * membership follow relations, so `owner: payments-team` matches however
 * spec.owner was written.
 */
export async function buildFilter(
  catalog: CallerCatalog,
  args: FilterArgs,
): Promise<FilterPredicate | undefined> {
  const base: Record<string, string | { $exists: true }> = {};
  if (args.kind) base.kind = args.kind;
  if (args.type) base['spec.type'] = args.type;
  if (args.namespace) base['metadata.namespace'] = args.namespace;
  if (args.owner) base['relations.ownedBy'] = fullRef(args.owner, 'group');
  if (args.lifecycle) base['spec.lifecycle'] = args.lifecycle;
  if (args.tag) base['metadata.tags'] = args.tag;
  if (args.system) base['relations.partOf'] = fullRef(args.system, 'system');
  if (args.annotation) {
    const at = args.annotation.indexOf('=');
    const key = at < 0 ? args.annotation : args.annotation.slice(0, at);
    base[`metadata.annotations.${key.trim()}`] =
      at < 0 ? { $exists: true } : args.annotation.slice(at + 1).trim();
  }

  if (args.domain && args.system) {
    throw new InputError('Give either system or domain, not both.');
  }
  if (!args.domain) {
    return Object.keys(base).length ? (base as FilterPredicate) : undefined;
  }
  // A domain holds systems directly and everything else through them.
  const domain = fullRef(args.domain, 'domain');
  const systems: string[] = [];
  for await (const page of catalog.stream({
    query: { kind: 'System', 'relations.partOf': domain },
    fields: ['kind', 'metadata.name', 'metadata.namespace'],
  })) {
    for (const system of page) {
      systems.push(
        `system:${system.metadata.namespace ?? 'default'}/${system.metadata.name}`.toLowerCase(),
      );
    }
  }
  const alternatives: FilterPredicate[] = [
    { ...base, 'relations.partOf': domain },
  ];
  if (systems.length) {
    alternatives.push({ ...base, 'relations.partOf': { $in: systems } });
  }
  return { $any: alternatives };
}
