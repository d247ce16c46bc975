/**
 * Credentials that supply Partner Center access tokens, all shaped like `TokenCredential`.
 * @packageDocumentation
 */
export { AccessTokenCredential } from "./access-token-credential";
export { credentialFromSettings } from "./credential-from-settings";
