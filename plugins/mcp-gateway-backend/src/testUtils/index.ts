/**
 * Test helpers for backends that install the gateway: real user sign-in
 * against the catalog, and a Portal-style plugin calling on behalf of users.
 */
export { signInAs, testSignInModule } from './testSignIn';
export { askThroughPortal, portalChatPlugin } from './portalChatPlugin';
