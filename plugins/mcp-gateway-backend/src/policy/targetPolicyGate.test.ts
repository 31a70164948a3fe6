import { serviceCaller } from '../__testUtils__/unitDoubles';
import { OperationTargets } from '../core/operation';
import { LocationSafetyOptions } from './locations/locationSafety';
import { TargetPolicyGate } from './targetPolicyGate';

const PUBLIC_ADDRESS = [{ address: '140.82.121.4', family: 4 }];

function gateFor(
  policy: { templates?: string[]; locations?: string[] },
  safety: Partial<LocationSafetyOptions> = {},
) {
  const lookup = jest.fn(async () => PUBLIC_ADDRESS);
  const gate = new TargetPolicyGate(() => ({
    allowedHosts: [],
    readingAllow: [],
    integrationHosts: ['github.com'],
    lookup,
    ...safety,
  }));
  const caller = serviceCaller({
    id: 'automation',
    readOnly: false,
    tools: { allow: ['*'] },
    templates: { allow: policy.templates ?? [] },
    locations: { allow: policy.locations ?? [] },
  });
  const decide = (targets: OperationTargets) =>
    gate.decideInput({
      requestId: 'request-1',
      caller,
      operation: {
        kind: 'tool',
        name: 'write_tool',
        access: 'write',
        source: 'gateway',
      },
      input: {},
      targets,
    });
  return { decide, lookup };
}

describe('TargetPolicyGate', () => {
  it('lets through calls that name no target', async () => {
    const { decide } = gateFor({});
    expect(await decide({})).toBeUndefined();
  });

  describe('templates.allow', () => {
    const { decide } = gateFor({
      templates: ['template:default/new-service', 'template:team-a/*'],
    });

    it.each([
      'template:default/new-service',
      'new-service',
      'default/new-service',
      'Template:Default/New-Service',
      'TEMPLATE:DEFAULT/NEW-SERVICE',
      'template:team-a/anything',
    ])('runs %j', async ref => {
      expect(await decide({ template: ref })).toBeUndefined();
    });

    it.each([
      'template:default/new-library',
      'template:other/new-service',
      // Another kind of the same name is not the template.
      'component:default/new-service',
      'template:default/new-service/steps',
      'template:default/new-service ',
      'template:default/new-service\u0000',
      'template:default/new-servic',
      'template:default/new-service-evil',
      // `*` in a pattern does not cross a namespace boundary.
      'template:team-a/nested/name',
      // Patterns are not read from the input.
      'template:default/*',
      '',
      'x'.repeat(10_000),
    ])('refuses %j with template-not-allowed', async ref => {
      const refusal = await decide({ template: ref });
      expect(refusal).toMatchObject({
        stage: 'policy',
        code: 'template-not-allowed',
      });
      expect(refusal!.message).toContain(
        'mcpGateway.agents[automation].templates.allow',
      );
      expect(refusal!.message.length).toBeLessThan(400);
    });

    it('refuses every template when the allowlist is empty (closed by default)', async () => {
      const closed = gateFor({});
      expect(
        await closed.decide({ template: 'template:default/new-service' }),
      ).toMatchObject({ code: 'template-not-allowed' });
    });
  });

  describe('locations.allow, then the SSRF guard', () => {
    it.each([
      'https://github.com/acme/payments/blob/main/catalog-info.yaml',
      'HTTPS://GITHUB.COM/acme/payments/catalog-info.yaml',
      'https://github.com:443/acme/payments/catalog-info.yaml',
    ])('registers %j', async url => {
      const { decide } = gateFor({ locations: ['https://github.com/acme/**'] });
      expect(await decide({ location: url })).toBeUndefined();
    });

    it.each([
      'https://github.com/evil/repo/catalog-info.yaml',
      'https://github.com.evil.example/acme/catalog-info.yaml',
      'https://github.com@evil.example/acme/catalog-info.yaml',
      'https://evil.example/#https://github.com/acme/x',
      'https://evil.example/?https://github.com/acme/x',
      'https://github.com/acme/../evil/catalog-info.yaml',
      'https://github.com/acme/%2e%2e/evil/catalog-info.yaml',
      'https://github.com:8443/acme/catalog-info.yaml',
      'http://github.com/acme/catalog-info.yaml',
      'file:///etc/passwd',
    ])('refuses %j with location-not-allowed, resolving nothing', async url => {
      const { decide, lookup } = gateFor({
        locations: ['https://github.com/acme/**'],
      });
      const refusal = await decide({ location: url });
      expect(refusal).toMatchObject({
        stage: 'policy',
        code: 'location-not-allowed',
      });
      expect(refusal!.message).toContain(
        'mcpGateway.agents[automation].locations.allow',
      );
      expect(lookup).not.toHaveBeenCalled();
    });

    it.each([
      'http://127.0.0.1/catalog-info.yaml',
      'http://2130706433/catalog-info.yaml',
      'http://[::ffff:127.0.0.1]/catalog-info.yaml',
      'http://169.254.169.254/latest/meta-data/',
      'http://localhost:7007/api/catalog',
      'https://user:secret@github.com/acme/catalog-info.yaml',
      'not a url',
    ])(
      'refuses %j with location-unsafe, however wide the allowlist',
      async url => {
        const { decide } = gateFor(
          { locations: ['http://**', 'https://**'] },
          { readingAllow: [{ host: '*.example' }] },
        );
        expect(await decide({ location: url })).toMatchObject({
          stage: 'policy',
          code: 'location-unsafe',
        });
      },
    );

    it('refuses a host name that resolves to loopback', async () => {
      const { decide } = gateFor(
        { locations: ['https://git.acme.example/**'] },
        {
          readingAllow: [{ host: 'git.acme.example' }],
          lookup: async () => [{ address: '127.0.0.1', family: 4 }],
        },
      );
      const refusal = await decide({
        location: 'https://git.acme.example/catalog-info.yaml',
      });
      expect(refusal).toMatchObject({ code: 'location-unsafe' });
    });

    it('lets an adopter allow an internal host', async () => {
      const { decide } = gateFor(
        { locations: ['https://git.acme.example/**'] },
        {
          readingAllow: [{ host: 'git.acme.example' }],
          allowedHosts: ['git.acme.example'],
          lookup: async () => [{ address: '10.1.2.3', family: 4 }],
        },
      );
      expect(
        await decide({
          location: 'https://git.acme.example/catalog-info.yaml',
        }),
      ).toBeUndefined();
    });

    it('refuses every location when the allowlist is empty (closed by default)', async () => {
      const { decide } = gateFor({});
      expect(
        await decide({
          location: 'https://github.com/acme/payments/catalog-info.yaml',
        }),
      ).toMatchObject({ code: 'location-not-allowed' });
    });
  });
});
