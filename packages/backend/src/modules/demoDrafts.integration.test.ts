import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import {
  mockServices,
  startTestBackend,
  TestBackend,
} from '@backstage/backend-test-utils';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { resolve as resolvePath } from 'node:path';
import demoDraftsPlugin from './demoDrafts';

const drafts = resolvePath(__dirname, '../../../../examples/drafts');

/** One request, the path sent exactly as written (fetch would resolve `..`). */
function send(port: number, method: string, path: string) {
  return new Promise<{ status: number; type?: string; body: string }>(
    (resolve, reject) => {
      const req = request({ host: 'localhost', port, method, path }, res => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', chunk => (body += chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode!,
            type: res.headers['content-type'],
            body,
          }),
        );
      });
      req.on('error', reject);
      req.end();
    },
  );
}

describe('the demo-drafts plugin', () => {
  let backend: TestBackend;
  let port: number;

  beforeAll(async () => {
    backend = await startTestBackend({
      features: [
        demoDraftsPlugin,
        mockServices.rootConfig.factory({
          data: { demoDrafts: { directory: drafts } },
        }),
        // Real token checks: without its auth policy every request is a 401.
        authServiceFactory,
        httpAuthServiceFactory,
      ],
    });
    port = backend.server.port();
  });

  afterAll(() => backend?.stop());

  it('serves a draft as YAML, with no token', async () => {
    const answer = await send(
      port,
      'GET',
      '/api/demo-drafts/ledger-reconciler.yaml',
    );
    expect(answer).toEqual({
      status: 200,
      type: 'text/yaml; charset=utf-8',
      body: readFileSync(resolvePath(drafts, 'ledger-reconciler.yaml'), 'utf8'),
    });
  });

  it.each([
    // Files that exist next to or above the drafts: a reader that decoded
    // or resolved the name would serve them.
    '/api/demo-drafts/..%2Fcatalog.yaml',
    '/api/demo-drafts/..%2F..%2Fapp-config.yaml',
    '/api/demo-drafts/%2e%2e%2fcatalog.yaml',
    '/api/demo-drafts/../catalog.yaml',
    '/api/demo-drafts/../../app-config.yaml',
    // Not a draft's name, or no such draft.
    '/api/demo-drafts/ledger-reconciler.yml',
    '/api/demo-drafts/Ledger-Reconciler.yaml',
    '/api/demo-drafts/missing.yaml',
    '/api/demo-drafts/ledger-reconciler.yaml/',
    // No listing.
    '/api/demo-drafts/',
    '/api/demo-drafts',
  ])('refuses GET %s with 404', async path => {
    const answer = await send(port, 'GET', path);
    expect({ path, status: answer.status }).toEqual({ path, status: 404 });
    expect(answer.body).not.toContain('apiVersion');
  });

  it.each(['POST', 'PUT', 'DELETE'])('refuses %s with 405', async method => {
    const answer = await send(
      port,
      method,
      '/api/demo-drafts/ledger-reconciler.yaml',
    );
    expect(answer.status).toBe(405);
  });
});
