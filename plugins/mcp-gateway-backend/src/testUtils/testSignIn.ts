import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  authProvidersExtensionPoint,
  createProxyAuthenticator,
  createProxyAuthProviderFactory,
} from '@backstage/plugin-auth-node';

/**
 * Test only: an auth provider that signs in whichever catalog user the
 * request names in `x-test-user`. The token is issued by the real auth
 * backend, with ownership resolved from the real catalog, exactly as for
 * any other sign-in; only the "who are you" step is skipped.
 * Configure it with `auth.providers.test: {}`.
 */
export const testSignInModule = createBackendModule({
  pluginId: 'auth',
  moduleId: 'test-sign-in',
  register(reg) {
    reg.registerInit({
      deps: { providers: authProvidersExtensionPoint },
      async init({ providers }) {
        providers.registerProvider({
          providerId: 'test',
          factory: createProxyAuthProviderFactory({
            authenticator: createProxyAuthenticator({
              defaultProfileTransform: async () => ({ profile: {} }),
              initialize: () => undefined,
              async authenticate({ req }) {
                const user = req.header('x-test-user');
                if (!user) throw new Error('x-test-user header missing');
                return { result: { user } };
              },
            }),
            signInResolver: async ({ result }, ctx) =>
              ctx.signInWithCatalogUser({ entityRef: { name: result.user } }),
          }),
        });
      },
    });
  },
});

/** A real Backstage user token for a user of the sample organisation. */
export async function signInAs(
  baseUrl: string,
  user: string,
): Promise<{ token: string; ownershipEntityRefs: string[] }> {
  const response = await fetch(`${baseUrl}/api/auth/test/refresh`, {
    headers: { 'x-test-user': user, 'x-requested-with': 'XMLHttpRequest' },
  });
  if (!response.ok) {
    throw new Error(
      `Sign-in as ${user} failed: ${response.status} ${await response.text()}`,
    );
  }
  const body = await response.json();
  return {
    token: body.backstageIdentity.token,
    ownershipEntityRefs: body.backstageIdentity.identity.ownershipEntityRefs,
  };
}
