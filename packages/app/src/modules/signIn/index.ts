import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { SignInPageBlueprint } from '@backstage/plugin-app-react';

const demoSignInPage = SignInPageBlueprint.make({
  params: {
    loader: () => import('./DemoSignInPage').then(m => m.DemoSignInPage),
  },
});

/** The app plugin's sign-in page, replaced by the demo's. */
export const signInModule = createFrontendModule({
  pluginId: 'app',
  extensions: [demoSignInPage],
});
