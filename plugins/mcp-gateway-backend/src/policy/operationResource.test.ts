import { Operation } from '../core/operation';
import {
  mcpGatewayOperationConditions,
  OperationResource,
  operationPermissionRules,
  operationResourceRefFor,
  parseOperationResourceRef,
} from './operationResource';

const operation = (
  kind: Operation['kind'],
  name: string,
  access: Operation['access'] = 'read',
): Operation => ({ kind, name, access, source: 'gateway' });

const resource = (
  overrides: Partial<OperationResource> = {},
): OperationResource => ({
  agentId: 'copilot',
  kind: 'tool',
  name: 'get_entity',
  access: 'read',
  source: 'gateway',
  ...overrides,
});

describe('operation resource refs', () => {
  it('writes `<agent>:<kind>:<name>`', () => {
    expect(
      operationResourceRefFor('copilot', operation('tool', 'get_entity')),
    ).toBe('copilot:tool:get_entity');
    expect(
      operationResourceRefFor('copilot', operation('prompt', 'summarise')),
    ).toBe('copilot:prompt:summarise');
  });

  it.each([
    ['tool', 'get_entity'],
    ['prompt', 'summarise'],
    ['resource', 'catalog://component:default/a'],
    ['resource', 'urn:x:y:z'],
  ] as const)('round-trips a %s named %s', (kind, name) => {
    const ref = operationResourceRefFor(
      'incident-copilot',
      operation(kind, name),
    );
    expect(parseOperationResourceRef(ref)).toEqual({
      agentId: 'incident-copilot',
      kind,
      name,
    });
  });

  it("keeps every ':' of a resource URI in its name", () => {
    expect(
      parseOperationResourceRef('copilot:resource:catalog://component:a:b'),
    ).toEqual({
      agentId: 'copilot',
      kind: 'resource',
      name: 'catalog://component:a:b',
    });
  });

  it.each([
    ['an unknown kind', 'copilot:action:get_entity'],
    ['a kind in the wrong case', 'copilot:Tool:get_entity'],
    ['no name', 'copilot:tool:'],
    ['no kind or name', 'copilot'],
    ['only agent and kind', 'copilot:tool'],
    ['no agent', ':tool:get_entity'],
    ['an empty ref', ''],
    ['a URI where the kind should be', 'copilot:catalog://x'],
  ])('rejects a ref with %s', (_, ref) => {
    expect(parseOperationResourceRef(ref)).toBeUndefined();
  });
});

/** Operations are never stored: a rule's query is a predicate on one. */
const asPredicate = (query: unknown) =>
  query as (operation: OperationResource) => boolean;

describe('operationPermissionRules', () => {
  const { isTool, hasAccess, isAgent, isFromSource } = operationPermissionRules;

  it('isTool matches only tools of the named names', () => {
    const names = { names: ['get_entity'] };
    expect(isTool.apply(resource(), names)).toBe(true);
    expect(isTool.apply(resource({ name: 'list_entities' }), names)).toBe(
      false,
    );
    // A resource or prompt of the same name is no tool.
    expect(isTool.apply(resource({ kind: 'prompt' }), names)).toBe(false);
    expect(isTool.apply(resource({ kind: 'resource' }), names)).toBe(false);
  });

  it("hasAccess 'read' matches only reads", () => {
    const read = { access: 'read' as const };
    expect(hasAccess.apply(resource({ access: 'read' }), read)).toBe(true);
    expect(hasAccess.apply(resource({ access: 'write' }), read)).toBe(false);
    expect(hasAccess.apply(resource({ access: 'destructive' }), read)).toBe(
      false,
    );
  });

  it("hasAccess 'write' matches writes and destructive operations, not reads", () => {
    const write = { access: 'write' as const };
    expect(hasAccess.apply(resource({ access: 'write' }), write)).toBe(true);
    expect(hasAccess.apply(resource({ access: 'destructive' }), write)).toBe(
      true,
    );
    expect(hasAccess.apply(resource({ access: 'read' }), write)).toBe(false);
  });

  it("hasAccess 'destructive' matches only destructive operations", () => {
    const destructive = { access: 'destructive' as const };
    expect(
      hasAccess.apply(resource({ access: 'destructive' }), destructive),
    ).toBe(true);
    expect(hasAccess.apply(resource({ access: 'write' }), destructive)).toBe(
      false,
    );
    expect(hasAccess.apply(resource({ access: 'read' }), destructive)).toBe(
      false,
    );
  });

  it('isAgent matches only the named agents', () => {
    const agents = { agentIds: ['copilot', 'helper'] };
    expect(isAgent.apply(resource(), agents)).toBe(true);
    expect(isAgent.apply(resource({ agentId: 'helper' }), agents)).toBe(true);
    expect(isAgent.apply(resource({ agentId: 'other' }), agents)).toBe(false);
    expect(isAgent.apply(resource(), { agentIds: [] })).toBe(false);
  });

  it('isFromSource matches only the named sources', () => {
    const gatewayOnly = { sources: ['gateway'] };
    expect(isFromSource.apply(resource(), gatewayOnly)).toBe(true);
    expect(
      isFromSource.apply(resource({ source: 'scaffolder' }), gatewayOnly),
    ).toBe(false);
  });

  it("the queries agree with the rules' apply", () => {
    const write = resource({ access: 'destructive', source: 'scaffolder' });
    expect(asPredicate(hasAccess.toQuery({ access: 'write' }))(write)).toBe(
      true,
    );
    expect(asPredicate(hasAccess.toQuery({ access: 'read' }))(write)).toBe(
      false,
    );
    expect(asPredicate(isTool.toQuery({ names: ['get_entity'] }))(write)).toBe(
      true,
    );
    expect(
      asPredicate(isTool.toQuery({ names: ['get_entity'] }))(
        resource({ kind: 'prompt' }),
      ),
    ).toBe(false);
    expect(asPredicate(isAgent.toQuery({ agentIds: ['x'] }))(write)).toBe(
      false,
    );
    expect(
      asPredicate(isFromSource.toQuery({ sources: ['scaffolder'] }))(write),
    ).toBe(true);
  });

  it('are exported as conditions on the gateway operation resource type', () => {
    expect(
      mcpGatewayOperationConditions.hasAccess({ access: 'write' }),
    ).toEqual({
      rule: 'HAS_ACCESS',
      resourceType: 'mcp-gateway-operation',
      params: { access: 'write' },
    });
  });
});
