import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();

// Auth: the guest provider signs users in locally; development only, a
// second sign-in as a platform admin, for the admin page.
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
backend.add(import('./modules/demoAdminSignIn'));

// Catalog, with the scaffolder's Template kind.
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);

// Permissions, with the sample organisation's policy: the layer that every
// agent's app-config policy can only narrow.
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(import('./modules/permissionPolicy'));

backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(import('@backstage/plugin-techdocs-backend'));

// Search, over the catalog and TechDocs.
backend.add(import('@backstage/plugin-search-backend'));
backend.add(import('@backstage/plugin-search-backend-module-catalog'));
backend.add(import('@backstage/plugin-search-backend-module-techdocs'));

// The MCP gateway, installed the way an adopter installs it.
backend.add(import('@mcp-gateway/plugin-mcp-gateway-backend'));

// Development only: prints the demo agents' tokens and the MCP URL.
backend.add(import('./modules/demoBanner'));
// Development only: serves examples/drafts/ for register_location, no token.
backend.add(import('./modules/demoDrafts'));

backend.start();
