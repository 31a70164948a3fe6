/**
 * The `spec` fields of Backstage's built-in kinds that name other entities,
 * the relations the catalog derives from them (both directions), and the
 * kind a ref without one defaults to. Mirrors the catalog's
 * BuiltinKindsEntityProcessor and the scaffolder's Template kind.
 */
export interface ReferenceField {
  path: string;
  relations: string[];
  /** Absent where the catalog requires refs to name their kind. */
  defaultKind?: string;
}

const PART_OF = ['partOf', 'hasPart'];

export const REFERENCE_FIELDS: ReferenceField[] = [
  {
    path: 'spec.owner',
    relations: ['ownedBy', 'ownerOf'],
    defaultKind: 'group',
  },
  { path: 'spec.system', relations: PART_OF, defaultKind: 'system' },
  { path: 'spec.domain', relations: PART_OF, defaultKind: 'domain' },
  { path: 'spec.subdomainOf', relations: PART_OF, defaultKind: 'domain' },
  { path: 'spec.subcomponentOf', relations: PART_OF, defaultKind: 'component' },
  { path: 'spec.dependsOn', relations: ['dependsOn', 'dependencyOf'] },
  { path: 'spec.dependencyOf', relations: ['dependsOn', 'dependencyOf'] },
  {
    path: 'spec.providesApis',
    relations: ['providesApi', 'apiProvidedBy'],
    defaultKind: 'api',
  },
  {
    path: 'spec.consumesApis',
    relations: ['consumesApi', 'apiConsumedBy'],
    defaultKind: 'api',
  },
  {
    path: 'spec.memberOf',
    relations: ['memberOf', 'hasMember'],
    defaultKind: 'group',
  },
  {
    path: 'spec.members',
    relations: ['memberOf', 'hasMember'],
    defaultKind: 'user',
  },
  {
    path: 'spec.parent',
    relations: ['childOf', 'parentOf'],
    defaultKind: 'group',
  },
  {
    path: 'spec.children',
    relations: ['childOf', 'parentOf'],
    defaultKind: 'group',
  },
];

const byPath = new Map(REFERENCE_FIELDS.map(f => [f.path.toLowerCase(), f]));

/** The reference field at this (folded) path, if it is one. */
export function referenceFieldAt(path: string): ReferenceField | undefined {
  return byPath.get(path.toLowerCase());
}

/** The spec fields a relation type is derived from. */
export function fieldsBehindRelation(type: string): ReferenceField[] {
  const wanted = type.toLowerCase();
  return REFERENCE_FIELDS.filter(f =>
    f.relations.some(r => r.toLowerCase() === wanted),
  );
}
