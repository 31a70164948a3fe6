import { stringifyEntityRef } from '@backstage/catalog-model';
import { z } from 'zod';
import { defineTool } from '../types';
import { resolveEntity } from './entityRefs';
import { entityRefInput } from './getEntity';

export const refreshEntityTool = defineTool({
  name: 'refresh_entity',
  title: 'Refresh a catalog entity',
  description:
    'Asks the catalog to re-read an entity from its source location now, instead of at the next scheduled processing run. ' +
    'Use after fixing an entity file, to see the change sooner. Changes nothing by itself.',
  access: 'write',
  idempotent: true,
  input: z.object({ ref: entityRefInput }),
  output: z.object({
    ref: z.string(),
    scheduled: z.literal(true),
  }),
  async run({ catalog }, { ref }) {
    // Resolving first makes hidden entities "not found" here too.
    const entity = await resolveEntity(catalog, ref);
    const fullRef = stringifyEntityRef(entity);
    await catalog.refresh(fullRef);
    return { ref: fullRef, scheduled: true as const };
  },
  render({ ref }) {
    return `Refresh of ${ref} scheduled; the catalog re-reads it from its source within moments.`;
  },
});
