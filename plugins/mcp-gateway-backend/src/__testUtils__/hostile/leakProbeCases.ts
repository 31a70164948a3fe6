import { callTool, HostileCase, rpc } from './hostileCase';

const allowedRead =
  'a read this agent may make: what it must not show is the canaries';
const CANARY_USER = 'user:default/hostile-canary';
const ZEPHYR = 'component:default/zephyr-gateway';

const read = (name: string, body: string): HostileCase => ({
  name,
  body,
  mayServe: allowedRead,
});

const cursorAt = (offset: number) =>
  Buffer.from(
    JSON.stringify({ t: 'resources/list', q: {}, o: offset }),
  ).toString('base64url');

/**
 * Reads that reach the entities holding the canaries (CANARIES) through
 * every way the gateway shows entity data, so that the canary check of
 * every answer is put to work, not only hoped for.
 */
export function leakProbeCases(): HostileCase[] {
  return [
    read(
      'leak probe: get_entity of the canary user, in full',
      callTool('get_entity', { ref: CANARY_USER, detail: 'full' }),
    ),
    read(
      'leak probe: get_entity of the canary user, asking for the redacted fields',
      callTool('get_entity', {
        ref: CANARY_USER,
        fields: ['spec.profile.email', 'metadata.annotations', 'spec.profile'],
      }),
    ),
    read(
      'leak probe: get_entity of zephyr-gateway, whose description repeats its vault path',
      callTool('get_entity', { ref: ZEPHYR, detail: 'full' }),
    ),
    read(
      'leak probe: get_entity of zephyr-gateway, summary only',
      callTool('get_entity', { ref: ZEPHYR }),
    ),
    read(
      'leak probe: list_entities of users with their profiles',
      callTool('list_entities', {
        kind: 'User',
        limit: 100,
        fields: ['spec.profile', 'metadata.annotations'],
      }),
    ),
    read(
      'leak probe: list_entities of components, descriptions only',
      callTool('list_entities', { kind: 'Component', limit: 100 }),
    ),
    read(
      'leak probe: search_catalog for the canary user',
      callTool('search_catalog', { term: 'Canary Person' }),
    ),
    read(
      'leak probe: search_catalog for a word of the repeated vault path',
      callTool('search_catalog', { term: 'db-password', limit: 100 }),
    ),
    read(
      'leak probe: search for the canary user',
      callTool('search', { query: 'Canary Person' }),
    ),
    read(
      'leak probe: search for zephyr',
      callTool('search', { query: 'zephyr password' }),
    ),
    read(
      'leak probe: search_techdocs for vault',
      callTool('search_techdocs', { query: 'vault' }),
    ),
    read(
      'leak probe: the canary user’s relations',
      callTool('get_entity_relations', {
        ref: CANARY_USER,
        direction: 'both',
        depth: 2,
      }),
    ),
    read(
      'leak probe: list_owners of the canary user’s team',
      callTool('list_owners', { ref: 'group:default/sre', itemsPerKind: 50 }),
    ),
    read(
      'leak probe: the canary user as a resource',
      rpc('resources/read', {
        uri: 'backstage://entity/user/default/hostile-canary',
      }),
    ),
    read(
      'leak probe: zephyr-gateway as a resource',
      rpc('resources/read', {
        uri: 'backstage://entity/component/default/zephyr-gateway',
      }),
    ),
    ...[0, 50, 100].map(offset =>
      read(
        `leak probe: resources/list from entity ${offset}`,
        rpc('resources/list', offset ? { cursor: cursorAt(offset) } : {}),
      ),
    ),
    {
      name: 'leak probe: list_entities filtered on a redacted annotation',
      body: callTool('list_entities', {
        annotation: 'vault.example.com/token-path',
      }),
      says: /redacted/,
    },
  ];
}
