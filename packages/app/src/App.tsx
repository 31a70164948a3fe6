import { createApp } from '@backstage/frontend-defaults';
import mcpGatewayPlugin from '@mcp-gateway/plugin-mcp-gateway';
import { signInModule } from './modules/signIn';

/**
 * The demo app: the MCP gateway's admin page, installed as an adopter
 * would (one feature), and the demo's sign-in (guest or platform admin).
 */
export default createApp({
  features: [mcpGatewayPlugin, signInModule],
});
