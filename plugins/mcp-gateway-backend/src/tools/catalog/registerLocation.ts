import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { z } from 'zod';
import { GatewayRefusal } from '../../core/refusal';
import { MAX_LOCATION_URL_LENGTH } from '../../policy/locations/locationSafety';
import { canonicalLocationUrl } from '../../policy/operationTargets';
import { defineTool } from '../types';

const entityToAdd = z.object({
  ref: z.string(),
  kind: z.string(),
  name: z.string(),
  title: z.string().optional(),
  owner: z.string().optional(),
  existing: z
    .boolean()
    .describe('Already in the catalog, as far as this agent can see'),
});

/**
 * Registers a catalog location by URL. Which URLs an agent may name is
 * decided in the corridor before this runs: `locations.allow`, then the
 * SSRF guard (see TargetPolicyGate); this tool registers exactly the URL
 * those checked.
 */
export const registerLocationTool = defineTool({
  name: 'register_location',
  title: 'Register a catalog location',
  description:
    'Adds a catalog file (catalog-info.yaml) by URL, so its entities join the catalog. ' +
    'First reads the file and lists the entities it would add (kind, name, owner, and which already exist), then registers it. ' +
    'A file that points to further locations is refused. ' +
    'With dryRun: true it only lists them. Only URLs under the prefixes this agent is allowed are accepted.',
  access: 'write',
  idempotent: false,
  input: z.object({
    url: z
      .string()
      .min(1)
      .max(MAX_LOCATION_URL_LENGTH)
      .describe(
        'The http(s) URL of a catalog file, e.g. https://github.com/acme/payments/blob/main/catalog-info.yaml',
      ),
    dryRun: z
      .boolean()
      .default(false)
      .describe('true: only list what registering would add.'),
  }),
  output: z.object({
    url: z.string().describe('The URL as registered'),
    dryRun: z.boolean(),
    registered: z.boolean(),
    alreadyRegistered: z.boolean(),
    location: z.object({ id: z.string(), target: z.string() }).optional(),
    entities: z.array(entityToAdd),
  }),
  targets: ({ url }) => ({ location: url }),
  async run({ catalog }, { url, dryRun }) {
    // The corridor parsed it before allowing it: this is the URL it checked.
    const target = canonicalLocationUrl(url)!;
    const preview = await catalog.addLocation(target, { dryRun: true });
    const added = ownEntities(preview.entities, target);
    const refs = added.map(entity => stringifyEntityRef(entity));
    const visible = refs.length ? await catalog.getByRefs(refs) : [];
    const entities = added.map((entity, i) =>
      describe(entity, refs[i], visible[i] !== undefined),
    );
    const alreadyRegistered = preview.exists === true;
    if (dryRun || alreadyRegistered) {
      return {
        url: target,
        dryRun,
        registered: false,
        alreadyRegistered,
        entities,
      };
    }
    const { location } = await catalog.addLocation(target, { dryRun: false });
    return {
      url: target,
      dryRun,
      registered: true,
      alreadyRegistered,
      location: { id: location.id, target: location.target },
      entities,
    };
  },
  render({ url, registered, alreadyRegistered, entities }) {
    let verb = 'Dry run, nothing registered:';
    if (registered) verb = 'Registered';
    if (alreadyRegistered) verb = 'Already registered (nothing changed):';
    const lines = entities.map(
      e =>
        `- ${e.ref}${e.title ? ` (${e.title})` : ''}${
          e.owner ? `, owner ${e.owner}` : ''
        }${e.existing ? ', already in the catalog' : ''}`,
    );
    const would = registered || alreadyRegistered ? 'adds' : 'would add';
    return [
      `${verb} ${url}`,
      entities.length
        ? `It ${would} ${entities.length} entit${
            entities.length === 1 ? 'y' : 'ies'
          }:`
        : 'It holds no entities.',
      ...lines,
    ].join('\n');
  },
});

const MANAGED_BY = 'backstage.io/managed-by-location';

/**
 * The entities the file itself holds, without the catalog's own Location
 * for the URL. A file that points the catalog at further locations is
 * refused whole: those URLs were never checked against locations.allow
 * and the SSRF guard, so neither what they hold nor their registration
 * may pass through here.
 */
function ownEntities(entities: Entity[], target: string): Entity[] {
  const own = entities.filter(
    entity =>
      !(
        entity.kind.toLowerCase() === 'location' &&
        (entity.spec as { target?: unknown } | undefined)?.target === target
      ),
  );
  const nested = own.filter(
    entity =>
      entity.kind.toLowerCase() === 'location' ||
      entity.metadata.annotations?.[MANAGED_BY] !== `url:${target}`,
  );
  if (nested.length > 0) {
    throw new GatewayRefusal(
      'operation',
      'nested-location',
      `${target} points the catalog at further locations (Location entities), which the gateway does not register on an agent's behalf: each URL must pass the agent's locations.allow on its own. Register the files it points to one by one.`,
    );
  }
  return own;
}

function describe(entity: Entity, ref: string, existing: boolean) {
  const owner = (entity.spec as { owner?: unknown } | undefined)?.owner;
  return {
    ref,
    kind: entity.kind,
    name: entity.metadata.name,
    ...(entity.metadata.title && { title: entity.metadata.title }),
    ...(typeof owner === 'string' && { owner }),
    existing,
  };
}
