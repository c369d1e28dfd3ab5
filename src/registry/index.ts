/**
 * Registry v2 client over undici, worded as containers/image: transport (dispatcher factory, host map,
 * TLS/insecure, certs.d), auth (challenges, tokens, auth.json), manifests.
 */
export { createRegistryClient, registryHostFor } from './client.ts';
export type { RegistryClient, RegistryClientOptions, CallOptions, Session, ManifestResult, HeadResult, BlobResult } from './client.ts';
export { createDispatcherFactory, dispatcherFactoryFrom } from './dispatcher-factory.ts';
export type { DispatcherFactory, DispatcherFactoryOptions, DispatcherRequest } from './dispatcher-factory.ts';
export { HostMap, parseConnectTo } from './host-map.ts';
export type { HostMapEntry } from './host-map.ts';
export { CredentialStore, authFilePaths, authKeysFor, normalizeAuthKey, describeCredentials } from './auth-file.ts';
export type { Credentials, AuthFileOptions } from './auth-file.ts';
export { CredentialLookupError } from './credential-store.ts';
export type { CredentialLookup, CredentialSource, CredentialOverride, CredentialStoreOptions } from './credential-store.ts';
export { spawnHelperRunner, helperGet, HelperError } from './credential-helper.ts';
export type { HelperRunner, HelperRun, HelperAnswer } from './credential-helper.ts';
export { findCertDir, loadTlsMaterial, defaultCertRoots, CertificateSetupError } from './certs-d.ts';
export type { TlsMaterial, CertDirOptions } from './certs-d.ts';
export { TokenCache } from './token-auth.ts';
export { Redactor, redactUrl } from './redact.ts';
export { registryResponseError, classifyStatus } from './http-error.ts';
export { goQuote } from '../go-quote.ts';
export type { ErrorWordingStyle } from './http-error.ts';
export { goNetworkError } from './network-error.ts';
export { parseWwwAuthenticate } from './www-authenticate.ts';
export type { Challenge } from './www-authenticate.ts';
export { MEDIA, MANIFEST_ACCEPT, MAX_MANIFEST_BYTES, parsePlatform, hostPlatform, formatPlatform, chooseInstance, sha256Digest } from './manifest.ts';
export type { Platform } from './manifest.ts';
export { RegistryError } from './registry-error.ts';
export { RUNTIME_429, parseRetryAfter } from './retry-429.ts';
export type { ErrorClass } from './error-class.ts';
export type { AttemptStep, StepName } from './step.ts';
