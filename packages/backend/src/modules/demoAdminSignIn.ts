import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  authProvidersExtensionPoint,
  createProxyAuthenticator,
  createProxyAuthProviderFactory,
} from '@backstage/plugin-auth-node';

/** The auth provider id, as the demo app's sign-in page names it. */
export const DEMO_ADMIN_PROVIDER = 'demo-admin';

const OUTSIDE_DEVELOPMENT = `The ${DEMO_ADMIN_PROVIDER} sign-in signs anyone in as a gateway admin without a password: it only works in development (NODE_ENV=development, as yarn start sets it).`;

const demoAdminAuthenticator = createProxyAuthenticator({
  defaultProfileTransform: async () => ({ profile: {} }),
  initialize: () => undefined,
  // Checked on every sign-in, not once: nothing but a development process
  // may ever hand out this identity.
  async authenticate() {
    if (process.env.NODE_ENV !== 'development') {
      throw new NotAllowedError(OUTSIDE_DEVELOPMENT);
    }
    return { result: {} };
  },
});

/**
 * Development only: a second sign-in beside the guest, as the catalog user
 * `auth.providers.demo-admin.userEntityRef` (Carol, a platform member, whom
 * the demo lists as a gateway admin), so that the demo app's admin page can
 * be tried without an identity provider. Never installed by adopters.
 */
export default createBackendModule({
  pluginId: 'auth',
  moduleId: 'demo-admin-provider',
  register(reg) {
    reg.registerInit({
      deps: {
        providers: authProvidersExtensionPoint,
        config: coreServices.rootConfig,
      },
      async init({ providers, config }) {
        const userEntityRef = config.getOptionalString(
          `auth.providers.${DEMO_ADMIN_PROVIDER}.userEntityRef`,
        );
        // Offered only where app-config names the user.
        if (!userEntityRef) return;
        providers.registerProvider({
          providerId: DEMO_ADMIN_PROVIDER,
          factory: createProxyAuthProviderFactory({
            authenticator: demoAdminAuthenticator,
            // Ownership (the platform group) comes from the catalog.
            signInResolver: async (_info, ctx) =>
              ctx.signInWithCatalogUser({ entityRef: userEntityRef }),
          }),
        });
      },
    });
  },
});
