import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import {
  startTestGateway,
  TestGateway,
  tokenFor,
  waitForCatalog,
} from '../../__testUtils__/testGateway';

/** Catalog files a Git host would serve, by path. */
const FILES: Record<string, string> = {
  '/acme/billing/catalog-info.yaml': `
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: billing-reconciler
  title: Billing Reconciler
spec:
  type: service
  lifecycle: experimental
  owner: group:default/payments
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: payments-api
spec:
  type: service
  lifecycle: production
  owner: group:default/payments
`,
  // A file that points the catalog further, at a URL no one checked.
  '/acme/nested/catalog-info.yaml': `
apiVersion: backstage.io/v1alpha1
kind: Location
metadata:
  name: more
spec:
  targets:
    - ../../internal/catalog-info.yaml
`,
  '/internal/catalog-info.yaml': `
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: internal-secret-service
spec:
  type: service
  lifecycle: production
  owner: group:default/payments
`,
};

/** Serves FILES over HTTP on localhost, noting every path asked for. */
async function startGitHost() {
  const requested: string[] = [];
  const server: Server = createServer((req, res) => {
    requested.push(req.url ?? '');
    const body = FILES[req.url ?? ''];
    res.writeHead(body ? 200 : 404, { 'content-type': 'text/yaml' });
    res.end(body ?? 'not found');
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    requested,
    close: () => new Promise(resolve => server.close(resolve)),
  };
}

describe('register_location', () => {
  let gateway: TestGateway;
  let git: Awaited<ReturnType<typeof startGitHost>>;
  let base: string;

  beforeAll(async () => {
    git = await startGitHost();
    base = `http://localhost:${git.port}`;
    gateway = await startTestGateway({
      subjects: ['automation', 'wide-open', 'reader'],
      agents: [
        {
          id: 'automation',
          principals: [{ service: 'automation' }],
          readOnly: false,
          tools: { allow: ['register_location', 'get_entity'] },
          locations: { allow: [`${base}/acme/**`] },
        },
        {
          // Every http(s) URL passes its allowlist: only the guard stands.
          id: 'wide-open',
          principals: [{ service: 'wide-open' }],
          readOnly: false,
          tools: { allow: ['register_location'] },
          locations: { allow: ['http://**', 'https://**'] },
        },
        {
          id: 'reader',
          principals: [{ service: 'reader' }],
          tools: { allow: ['*'] },
          locations: { allow: [`${base}/**`] },
        },
      ],
      backend: {
        reading: {
          allow: [
            { host: `localhost:${git.port}` },
            { host: `${hostname()}:${git.port}` },
            { host: '*.internal.example' },
          ],
        },
      },
      mcpGateway: {
        locationGuard: { allowedHosts: [`localhost:${git.port}`] },
      },
    });
    await waitForCatalog(gateway, tokenFor('reader'), 70);
  }, 90_000);

  afterAll(async () => {
    await gateway?.stop();
    await git?.close();
  });

  const register = (agent: string, url: string, dryRun?: boolean) =>
    gateway.call(agent, 'register_location', {
      url,
      ...(dryRun !== undefined && { dryRun }),
    });

  it('is not offered to a read-only agent, whatever its allowlists', async () => {
    const client = await gateway.connect('reader');
    const { tools } = await client.listTools();
    expect(tools.map(t => t.name)).not.toContain('register_location');
    const annotations = (
      await (await gateway.connect('automation')).listTools()
    ).tools.find(t => t.name === 'register_location')!.annotations;
    expect(annotations).toMatchObject({
      readOnlyHint: false,
      destructiveHint: false,
      idempotentHint: false,
    });
  });

  it('shows what a dry run would add, then registers the URL it showed', async () => {
    const url = `${base}/acme/billing/catalog-info.yaml`;
    const preview = await register('automation', url, true);
    expect(preview.isError).toBe(false);
    expect(preview.data).toMatchObject({
      url,
      dryRun: true,
      registered: false,
      alreadyRegistered: false,
    });
    expect(preview.data.entities).toEqual(
      expect.arrayContaining([
        {
          ref: 'component:default/billing-reconciler',
          kind: 'Component',
          name: 'billing-reconciler',
          title: 'Billing Reconciler',
          owner: 'group:default/payments',
          existing: false,
        },
        expect.objectContaining({
          ref: 'component:default/payments-api',
          existing: true,
        }),
      ]),
    );
    expect(preview.text).toContain('Dry run, nothing registered');

    const registered = await register('automation', url);
    expect(registered.data).toMatchObject({
      url,
      registered: true,
      location: { target: url },
    });

    // The catalog ingests it: the new entity becomes readable.
    let found = false;
    for (let i = 0; i < 100 && !found; i++) {
      const answer = await gateway.call('automation', 'get_entity', {
        ref: 'component:default/billing-reconciler',
      });
      found = !answer.isError;
      if (!found) await new Promise(r => setTimeout(r, 200));
    }
    expect(found).toBe(true);

    const again = await register('automation', url);
    expect(again.data).toMatchObject({
      registered: false,
      alreadyRegistered: true,
    });
    const [record] = await gateway.auditRecords({
      agent: 'automation',
      tool: 'register_location',
    });
    expect(record).toMatchObject({ decision: 'allowed', outcome: 'ok' });
  });

  it('refuses a file that points at further locations, showing nothing of them', async () => {
    const url = `${base}/acme/nested/catalog-info.yaml`;
    for (const dryRun of [true, false]) {
      const refused = await register('automation', url, dryRun);
      expect(refused.isError).toBe(true);
      expect(refused.text).toContain('points the catalog at further locations');
      expect(JSON.stringify(refused)).not.toContain('internal-secret-service');
    }
    const [record] = await gateway.auditRecords({
      agent: 'automation',
      reason: 'nested-location',
    });
    expect(record).toMatchObject({ decision: 'refused', stage: 'operation' });
    const registered = await fetch(`${gateway.baseUrl}/api/catalog/locations`, {
      headers: { authorization: `Bearer ${tokenFor('reader')}` },
    });
    expect(JSON.stringify(await registered.json())).not.toContain(
      '/acme/nested/',
    );
  });

  it('refuses a URL outside locations.allow before anything reads it', async () => {
    const before = git.requested.length;
    for (const url of [
      `${base}/other-org/catalog-info.yaml`,
      `${base}/acme/../other-org/catalog-info.yaml`,
      `${base}/acme/%2e%2e/other-org/catalog-info.yaml`,
      `http://LOCALHOST:${git.port}/other-org/catalog-info.yaml`,
      `file:///etc/passwd`,
    ]) {
      const refused = await register('automation', url, true);
      expect({ url, text: refused.text }).toEqual({
        url,
        text: expect.stringContaining(
          'mcpGateway.agents[automation].locations.allow',
        ),
      });
    }
    expect(git.requested.length).toBe(before);
    const [record] = await gateway.auditRecords({
      agent: 'automation',
      reason: 'location-not-allowed',
    });
    expect(record).toMatchObject({
      decision: 'refused',
      stage: 'policy',
      operation: { name: 'register_location' },
    });
  });

  it.each([
    ['loopback', `http://127.0.0.1:PORT/acme/billing/catalog-info.yaml`],
    ['loopback, decimal', `http://2130706433:PORT/acme/x.yaml`],
    ['loopback, hex', `http://0x7f.0.0.1:PORT/acme/x.yaml`],
    ['loopback, octal', `http://0177.0.0.1:PORT/acme/x.yaml`],
    ['loopback, short', `http://127.1:PORT/acme/x.yaml`],
    ['IPv6 loopback', `http://[::1]:PORT/acme/x.yaml`],
    ['IPv4-mapped loopback', `http://[::ffff:127.0.0.1]:PORT/acme/x.yaml`],
    ['unspecified', `http://0.0.0.0:PORT/acme/x.yaml`],
    ['private', 'http://10.0.0.8/acme/catalog-info.yaml'],
    ['CGNAT', 'http://100.64.0.1/acme/catalog-info.yaml'],
    ['metadata', 'http://169.254.169.254/latest/meta-data/'],
    ['metadata name', 'http://metadata.google.internal/computeMetadata/v1/'],
    ['this host by name', `http://${hostname()}:PORT/acme/x.yaml`],
    ['credentials', `http://user:pw@localhost:PORT/acme/x.yaml`],
    ['a host the catalog cannot read', 'https://git.other.example/x.yaml'],
  ])(
    'refuses %s with location-unsafe, reading nothing',
    async (_what, template) => {
      const url = template.replace('PORT', String(git.port));
      const before = git.requested.length;
      const refused = await register('wide-open', url);
      expect(refused.isError).toBe(true);
      expect(git.requested.length).toBe(before);
      const [record] = await gateway.auditRecords({ agent: 'wide-open' });
      expect(record).toMatchObject({
        decision: 'refused',
        reason: 'location-unsafe',
        stage: 'policy',
      });
    },
  );
});
