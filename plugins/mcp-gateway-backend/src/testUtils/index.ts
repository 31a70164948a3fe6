/**
 * Test helpers for backends that install the gateway: real user sign-in
 * against the catalog, a Portal-style plugin calling on behalf of users, a
 * whole test backend with the gateway, and ways to read its answers.
 */
export { signInAs, testSignInModule } from './testSignIn';
export {
  askThroughPortal,
  portalChatPlugin,
  type PortalAskOptions,
} from './portalChatPlugin';
export {
  startGatewayTestBackend,
  type GatewayTestBackend,
  type GatewayTestBackendOptions,
} from './gatewayTestBackend';
export { waitForCatalog } from './waitForCatalog';
export { answerOf, textOf, type ToolAnswer } from './toolAnswers';
export { toolsAllowedFor } from './toolsAllowedFor';
