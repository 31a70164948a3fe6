import {
  mockServices,
  startTestBackend,
  TestBackend,
} from '@backstage/backend-test-utils';
import authPlugin from '@backstage/plugin-auth-backend';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { resolve as resolvePath } from 'node:path';
import demoAdminSignIn, { DEMO_ADMIN_PROVIDER } from './demoAdminSignIn';

const org = resolvePath(__dirname, '../../../../examples/org.yaml');

/** What the demo app's sign-in page asks the backend. */
async function signIn(port: number) {
  const response = await fetch(
    `http://localhost:${port}/api/auth/${DEMO_ADMIN_PROVIDER}/refresh`,
    { headers: { 'x-requested-with': 'XMLHttpRequest' } },
  );
  return { status: response.status, body: await response.json() };
}

describe('the demo-admin sign-in', () => {
  let backend: TestBackend;
  let port: number;
  const nodeEnv = process.env.NODE_ENV;

  beforeAll(async () => {
    backend = await startTestBackend({
      features: [
        authPlugin,
        demoAdminSignIn,
        catalogPlugin,
        mockServices.rootConfig.factory({
          data: {
            app: { baseUrl: 'http://localhost:3000' },
            auth: {
              providers: {
                [DEMO_ADMIN_PROVIDER]: { userEntityRef: 'user:default/carol' },
              },
            },
            catalog: {
              rules: [{ allow: ['User', 'Group'] }],
              locations: [{ type: 'file', target: org }],
            },
          },
        }),
      ],
    });
    port = backend.server.port();
  }, 90_000);

  afterAll(async () => {
    process.env.NODE_ENV = nodeEnv;
    await backend?.stop();
  });

  it('signs in as the configured platform member in development, with the ownership the catalog gives', async () => {
    process.env.NODE_ENV = 'development';
    // The catalog ingests the organisation a moment after start.
    const deadline = Date.now() + 60_000;
    let answer = await signIn(port);
    while (answer.status !== 200 && Date.now() < deadline) {
      await new Promise(r => setTimeout(r, 300));
      answer = await signIn(port);
    }
    expect(answer.status).toBe(200);
    expect(answer.body.backstageIdentity.identity).toEqual({
      type: 'user',
      userEntityRef: 'user:default/carol',
      ownershipEntityRefs: ['user:default/carol', 'group:default/platform'],
    });
  });

  it('refuses outside development, whatever the config says', async () => {
    process.env.NODE_ENV = 'production';
    const answer = await signIn(port);
    expect(answer.status).toBe(403);
    expect(answer.body.error.message).toContain('only works in development');
    expect(answer.body.backstageIdentity).toBeUndefined();
  });
});
