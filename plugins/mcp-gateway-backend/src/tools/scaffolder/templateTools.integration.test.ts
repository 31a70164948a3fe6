import {
  startTestGateway,
  TestGateway,
  tokenFor,
  waitForCatalog,
} from '../../__testUtils__/testGateway';

const agent = (id: string, policy: Record<string, unknown>) => ({
  id,
  principals: [{ service: id }],
  tools: { allow: ['list_templates', 'get_template'] },
  ...policy,
});

describe('list_templates and get_template', () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startTestGateway({
      subjects: ['developer', 'all-templates', 'no-templates', 'no-kind'],
      agents: [
        agent('developer', {
          templates: { allow: ['template:default/new-service'] },
        }),
        agent('all-templates', { templates: { allow: ['template:*/*'] } }),
        agent('no-templates', {}),
        // Allowed every template, but sees only components.
        agent('no-kind', {
          templates: { allow: ['template:*/*'] },
          entities: { kinds: ['Component'] },
        }),
      ],
    });
    await waitForCatalog(gateway, tokenFor('all-templates'), 70);
  }, 90_000);

  afterAll(() => gateway.stop());

  const refsOf = async (subject: string, args = {}) =>
    (await gateway.call(subject, 'list_templates', args)).data;

  it('lists only the templates the agent may run, and counts no others', async () => {
    const developer = await refsOf('developer');
    expect(developer.items).toEqual([
      expect.objectContaining({
        ref: 'template:default/new-service',
        title: 'New Backend Service',
        owner: 'platform',
        hasSecrets: true,
      }),
    ]);
    expect(developer.totalItems).toBe(1);

    const all = await refsOf('all-templates');
    expect(all.items.map((t: any) => t.ref)).toEqual([
      'template:default/new-library',
      'template:default/new-service',
    ]);
    expect(all.items[0].hasSecrets).toBe(false);

    for (const closed of ['no-templates', 'no-kind']) {
      const answer = await gateway.call(closed, 'list_templates', {});
      expect(answer.data).toMatchObject({ items: [], totalItems: 0 });
      expect(answer.text).toBe('No template this agent may run matches.');
    }
  });

  it('pages and filters by tag', async () => {
    const first = await refsOf('all-templates', { limit: 1 });
    expect(first.items).toHaveLength(1);
    const second = await refsOf('all-templates', {
      cursor: first.nextCursor,
      limit: 1,
    });
    expect(second.items.map((t: any) => t.ref)).toEqual([
      'template:default/new-service',
    ]);
    expect(second.nextCursor).toBeUndefined();
    const tagged = await refsOf('all-templates', { tag: 'golden-path' });
    expect(tagged.items.map((t: any) => t.ref)).toContain(
      'template:default/new-service',
    );
  });

  it('gives one JSON Schema of the parameters, without form hints, secrets flagged', async () => {
    const answer = await gateway.call('developer', 'get_template', {
      templateRef: 'new-service',
    });
    expect(answer.isError).toBe(false);
    const { parameters, secretFields, ref, title } = answer.data;
    expect({ ref, title, secretFields }).toEqual({
      ref: 'template:default/new-service',
      title: 'New Backend Service',
      secretFields: ['deployToken'],
    });
    expect(parameters.required).toEqual(
      expect.arrayContaining(['name', 'owner']),
    );
    expect(Object.keys(parameters.properties)).toEqual(
      expect.arrayContaining(['name', 'owner', 'language', 'deployToken']),
    );
    expect(parameters.properties.language).toMatchObject({
      enum: expect.arrayContaining(['go']),
      default: 'go',
    });
    expect(parameters.properties.deployToken.writeOnly).toBe(true);
    expect(JSON.stringify(parameters)).not.toContain('ui:');
    expect(answer.text).toContain('deployToken (string; required; secret');
  });

  it.each([
    'template:default/new-service',
    'Template:Default/New-Service',
    'default/new-service',
  ])('reads %j as the allowed template', async templateRef => {
    const answer = await gateway.call('developer', 'get_template', {
      templateRef,
    });
    expect(answer.data?.ref).toBe('template:default/new-service');
  });

  it.each([
    ['template:default/new-library', 'template-not-allowed'],
    ['new-*', 'invalid-input'],
    ['template:other/new-service', 'template-not-allowed'],
    ['component:default/new-service', 'invalid-input'],
    ['template:default/new-service/steps', 'invalid-input'],
    ['x'.repeat(301), 'invalid-input'],
  ])('refuses %j (%s) and records why', async (templateRef, reason) => {
    const answer = await gateway.call('developer', 'get_template', {
      templateRef,
    });
    expect(answer.isError).toBe(true);
    const [record] = await gateway.auditRecords({
      agent: 'developer',
      tool: 'get_template',
    });
    expect(record).toMatchObject({ decision: 'refused', reason });
  });

  it('says a template the agent cannot see is not found, whatever its allowlist', async () => {
    const answer = await gateway.call('no-kind', 'get_template', {
      templateRef: 'new-service',
    });
    expect(answer.isError).toBe(true);
    expect(answer.text).toBe(
      'No template template:default/new-service is visible to this agent.',
    );
  });
});
