import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { REDACTED } from '../../policy/redaction';
import { relationsOf } from './entitySummary';

/**
 * The catalog stores every relation twice, once from each end (A dependsOn B,
 * B dependencyOf A). The graph speaks of each relation once, in its forward
 * direction, so "incoming dependsOn" means "what depends on this".
 */
const INVERSE_OF: Record<string, string> = {
  dependencyOf: 'dependsOn',
  ownerOf: 'ownedBy',
  apiProvidedBy: 'providesApi',
  apiConsumedBy: 'consumesApi',
  hasPart: 'partOf',
  parentOf: 'childOf',
  hasMember: 'memberOf',
};

export const FORWARD_TYPES = [...new Set(Object.values(INVERSE_OF))];

export interface Edge {
  source: string;
  type: string;
  target: string;
}

export type Direction = 'outgoing' | 'incoming' | 'both';

/** Which (forward type, side) steps a traversal may take. */
export class Traversal {
  private readonly steps: Array<{
    type: string | undefined;
    out: boolean;
    in: boolean;
  }>;

  constructor(direction: Direction, types?: string[]) {
    const out = direction !== 'incoming';
    const inn = direction !== 'outgoing';
    this.steps = types?.length
      ? types.map(type => {
          // Asking for an inverse name means the forward type, the other way round.
          const forward = INVERSE_OF[type];
          return forward
            ? { type: forward, out: inn, in: out }
            : { type, out, in: inn };
        })
      : [{ type: undefined, out, in: inn }];
  }

  /** The edges of this entity that the traversal follows, and where they lead. */
  follow(entity: Entity): Array<{ edge: Edge; next: string }> {
    // Refs compare case-insensitively in Backstage.
    const self = stringifyEntityRef(entity).toLowerCase();
    const found: Array<{ edge: Edge; next: string }> = [];
    for (const relation of relationsOf(entity)) {
      // A redacted link leads nowhere the caller may know.
      if (relation.targetRef === REDACTED) continue;
      const other = relation.targetRef.toLowerCase();
      const forward = INVERSE_OF[relation.type];
      const edge: Edge = forward
        ? { source: other, type: forward, target: self }
        : { source: self, type: relation.type, target: other };
      const outgoing = edge.source === self;
      if (
        this.steps.some(
          s =>
            (s.type === undefined || s.type === edge.type) &&
            (outgoing ? s.out : s.in),
        )
      ) {
        found.push({ edge, next: other });
      }
    }
    return found;
  }
}
