/**
 * Credentials that supply Partner Center access tokens, all shaped like `TokenCredential`:
 * a ready access token, a refresh token (Secure Application Model, via MSAL), or @azure/identity.
 * @packageDocumentation
 */
export { AccessTokenCredential } from "./access-token-credential";
export { RefreshTokenCredential, certificateForMsal, type RefreshTokenCredentialOptions } from "./refresh-token-credential";
export { AZURE_IDENTITY_CREDENTIALS, azureIdentityCredential, type AzureIdentityCredentialName } from "./azure-identity-credential";
export { SharedTokenCredential, TOKEN_REFRESH_MARGIN_IN_MS } from "./shared-token-credential";
export { CredentialError, credentialErrorFrom, type CredentialFailureReason } from "./credential-error";
export { signInFromSettings, type AuthMode, type SignIn } from "./credential-from-settings";
export { clientFromSettings, type SignedInClient } from "./client-from-settings";
