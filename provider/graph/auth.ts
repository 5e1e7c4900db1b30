/**
 * Authentication: settings resolution (stack config, then environment), credential construction with
 * @azure/identity, a token cache with early refresh and one in-flight refresh, and a process-wide GraphClient cache.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import * as https from "node:https";
import {
    AzureCliCredential,
    AzurePipelinesCredential,
    ClientAssertionCredential,
    ClientCertificateCredential,
    ClientSecretCredential,
    DefaultAzureCredential,
    ManagedIdentityCredential,
    WorkloadIdentityCredential,
    type AccessToken,
    type TokenCredential,
} from "@azure/identity";
import { isMicrosoftAuthorityHost, resolveEndpoints, type CloudName } from "./clouds";
import { GraphClient, httpsAgentTrusting, type GraphClientOptions } from "./client";
import { gitHubOidcTokenFetcher } from "./githubOidc";
import { redactSecrets } from "./redact";

/** Stack config namespace of the provider. */
export const CONFIG_NAMESPACE = "msgraph";

/** Supported authentication methods (values of `msgraph:authMethod`). */
export const authMethods = [
    "clientSecret",
    "clientCertificate",
    "workloadIdentity",
    "managedIdentity",
    "azureCli",
    "default",
] as const;
export type AuthMethod = (typeof authMethods)[number];

/**
 * Where workloadIdentity gets its federated (OIDC) token, in order of precedence: a token file (AKS, or any CI that
 * writes one), GitHub Actions' ID token service, Azure DevOps' OIDC service for a service connection.
 */
export const workloadIdentitySources = ["federatedTokenFile", "githubActions", "azurePipelines"] as const;
export type WorkloadIdentitySource = (typeof workloadIdentitySources)[number];

/** Environment variables the CI systems set for OIDC; read from the environment only (they change every run). */
export const ciOidcVariables = {
    githubRequestUrl: "ACTIONS_ID_TOKEN_REQUEST_URL",
    githubRequestToken: "ACTIONS_ID_TOKEN_REQUEST_TOKEN",
    azurePipelinesOidcRequestUri: "SYSTEM_OIDCREQUESTURI",
    azurePipelinesAccessToken: "SYSTEM_ACCESSTOKEN",
} as const;

/** Resolved authentication and endpoint settings. Secret fields must not be logged. */
export interface AuthSettings {
    readonly method: AuthMethod;
    readonly tenantId?: string;
    readonly clientId?: string;
    /** Secret. */
    readonly clientSecret?: string;
    readonly clientCertificatePath?: string;
    /** Secret: PEM with the private key (and the certificate). */
    readonly clientCertificatePem?: string;
    /** Secret. */
    readonly clientCertificatePassword?: string;
    /** Federated (OIDC) token file for workloadIdentity: GitHub Actions, Azure DevOps, AKS. */
    readonly federatedTokenFile?: string;
    /** For workloadIdentity: which token source was chosen (the fields of the others are left out). */
    readonly workloadIdentitySource?: WorkloadIdentitySource;
    /** githubActions: ACTIONS_ID_TOKEN_REQUEST_URL. */
    readonly githubOidcRequestUrl?: string;
    /** githubActions: ACTIONS_ID_TOKEN_REQUEST_TOKEN. Secret. */
    readonly githubOidcRequestToken?: string;
    /** azurePipelines: the service connection (msgraph:serviceConnectionId, AZURESUBSCRIPTION_SERVICE_CONNECTION_ID). */
    readonly serviceConnectionId?: string;
    /** azurePipelines: SYSTEM_OIDCREQUESTURI. */
    readonly azurePipelinesOidcRequestUri?: string;
    /** azurePipelines: SYSTEM_ACCESSTOKEN. Secret. */
    readonly systemAccessToken?: string;
    readonly cloud: CloudName;
    /** Graph root without the version segment. */
    readonly graphBaseUrl: string;
    readonly authorityHost: string;
    /** Token scope, `<graph>/.default`. */
    readonly scope: string;
    readonly apiVersion: string;
    /** Extra trusted CA (PEM file), e.g. a local emulator's. */
    readonly caCertPath?: string;
}

/** Anything with `get(key)`: `new pulumi.Config("msgraph")` (short keys) or a map of full `msgraph:key` names. */
export interface ConfigSource {
    get(key: string): string | undefined;
}

/**
 * Config keys (without the namespace) and their environment fallbacks, first found wins. The AZURESUBSCRIPTION_*
 * names are what Azure DevOps' AzureCLI task exports for its service connection.
 */
const settingSources = {
    tenantId: { env: ["AZURE_TENANT_ID", "AZURESUBSCRIPTION_TENANT_ID"], secret: false },
    clientId: { env: ["AZURE_CLIENT_ID", "AZURESUBSCRIPTION_CLIENT_ID"], secret: false },
    clientSecret: { env: ["AZURE_CLIENT_SECRET"], secret: true },
    clientCertificatePath: { env: ["AZURE_CLIENT_CERTIFICATE_PATH"], secret: false },
    clientCertificatePem: { env: [], secret: true },
    clientCertificatePassword: { env: ["AZURE_CLIENT_CERTIFICATE_PASSWORD"], secret: true },
    federatedTokenFile: { env: ["AZURE_FEDERATED_TOKEN_FILE"], secret: false },
    serviceConnectionId: { env: ["AZURESUBSCRIPTION_SERVICE_CONNECTION_ID"], secret: false },
    authMethod: { env: [], secret: false },
    cloud: { env: [], secret: false },
    graphBaseUrl: { env: ["MSGRAPH_BASE_URL"], secret: false },
    authorityHost: { env: ["AZURE_AUTHORITY_HOST"], secret: false },
    caCertPath: { env: [], secret: false },
    apiVersion: { env: [], secret: false },
} as const satisfies Record<string, { env: readonly string[]; secret: boolean }>;
type SettingName = keyof typeof settingSources;

function nonEmpty(v: string | undefined): string | undefined {
    if (v === undefined) return undefined;
    const t = v.trim();
    return t === "" ? undefined : t;
}

function howToSet(name: SettingName): string {
    const src = settingSources[name];
    const cmd = `pulumi config set${src.secret ? " --secret" : ""} ${CONFIG_NAMESPACE}:${name} <value>`;
    const env: readonly string[] = src.env;
    if (env.length === 0) return `set it with \`${cmd}\``;
    const vars = env.length === 1 ? `the ${env[0]} environment variable` : `the ${env.join(" or ")} environment variable`;
    return `set it with \`${cmd}\` or ${vars}`;
}

const TENANT = /^[A-Za-z0-9][A-Za-z0-9.-]*$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Reads settings from stack config (`msgraph:*`), falling back to the environment: AZURE_TENANT_ID, AZURE_CLIENT_ID,
 * AZURE_CLIENT_SECRET, AZURE_CLIENT_CERTIFICATE_PATH, AZURE_CLIENT_CERTIFICATE_PASSWORD, AZURE_FEDERATED_TOKEN_FILE,
 * AZURE_AUTHORITY_HOST, and MSGRAPH_BASE_URL (graphBaseUrl, as printed by the emulator); tenant and client id also
 * from AZURESUBSCRIPTION_TENANT_ID / AZURESUBSCRIPTION_CLIENT_ID (Azure DevOps' AzureCLI task). Config beats env field
 * by field. Without `msgraph:authMethod` the method is inferred: a client secret → clientSecret, a certificate →
 * clientCertificate, a federated token source (token file, GitHub Actions OIDC variables, an Azure DevOps service
 * connection id) → workloadIdentity, else default.
 * @throws Error naming the missing or invalid setting; secret values are never included.
 */
export function resolveAuthSettings(config: ConfigSource, env: NodeJS.ProcessEnv = process.env): AuthSettings {
    const read = (name: SettingName): string | undefined => {
        const fromConfig = nonEmpty(config.get(name)) ?? nonEmpty(config.get(`${CONFIG_NAMESPACE}:${name}`));
        if (fromConfig !== undefined) return fromConfig;
        for (const envName of settingSources[name].env) {
            const v = nonEmpty(env[envName]);
            if (v !== undefined) return v;
        }
        return undefined;
    };
    const tenantId = read("tenantId");
    const clientId = read("clientId");
    const clientSecret = read("clientSecret");
    const clientCertificatePath = read("clientCertificatePath");
    const clientCertificatePem = read("clientCertificatePem");
    const clientCertificatePassword = read("clientCertificatePassword");
    const federatedTokenFile = read("federatedTokenFile");
    const caCertPath = read("caCertPath");
    const oidc: CiOidcValues = {
        githubRequestUrl: nonEmpty(env[ciOidcVariables.githubRequestUrl]),
        githubRequestToken: nonEmpty(env[ciOidcVariables.githubRequestToken]),
        serviceConnectionId: read("serviceConnectionId"),
        azurePipelinesOidcRequestUri: nonEmpty(env[ciOidcVariables.azurePipelinesOidcRequestUri]),
        azurePipelinesAccessToken: nonEmpty(env[ciOidcVariables.azurePipelinesAccessToken]),
    };
    const detectedSource = detectWorkloadIdentitySource(federatedTokenFile, oidc);

    const explicitMethod = read("authMethod");
    let method: AuthMethod;
    if (explicitMethod !== undefined) {
        const found = authMethods.find((m) => m.toLowerCase() === explicitMethod.toLowerCase());
        if (found === undefined) {
            throw new Error(`${CONFIG_NAMESPACE}:authMethod must be one of ${authMethods.join(", ")}`);
        }
        method = found;
    } else if (clientSecret !== undefined) {
        method = "clientSecret";
    } else if (clientCertificatePath !== undefined || clientCertificatePem !== undefined) {
        method = "clientCertificate";
    } else if (detectedSource !== undefined) {
        method = "workloadIdentity";
    } else {
        method = "default";
    }

    const need = (name: SettingName, value: string | undefined): void => {
        if (value === undefined) {
            throw new Error(`${CONFIG_NAMESPACE}: authentication method "${method}" needs ${name}: ${howToSet(name)}`);
        }
    };
    switch (method) {
        case "clientSecret":
            need("tenantId", tenantId);
            need("clientId", clientId);
            need("clientSecret", clientSecret);
            break;
        case "clientCertificate":
            need("tenantId", tenantId);
            need("clientId", clientId);
            if (clientCertificatePath === undefined && clientCertificatePem === undefined) {
                throw new Error(
                    `${CONFIG_NAMESPACE}: authentication method "clientCertificate" needs clientCertificatePath or ` +
                        `clientCertificatePem: ${howToSet("clientCertificatePath")}, or ${howToSet("clientCertificatePem")}`,
                );
            }
            break;
        case "workloadIdentity":
            need("tenantId", tenantId);
            need("clientId", clientId);
            break;
        default:
            break;
    }
    const workload = method === "workloadIdentity" ? workloadIdentityFields(detectedSource, federatedTokenFile, oidc) : {};
    if (tenantId !== undefined && !TENANT.test(tenantId)) {
        throw new Error(`${CONFIG_NAMESPACE}:tenantId must be a GUID or a domain name such as contoso.onmicrosoft.com`);
    }
    if (clientId !== undefined && !GUID.test(clientId)) {
        throw new Error(`${CONFIG_NAMESPACE}:clientId must be a GUID (the application (client) id)`);
    }

    let endpoints;
    try {
        endpoints = resolveEndpoints({
            cloud: read("cloud"),
            graphBaseUrl: read("graphBaseUrl"),
            authorityHost: read("authorityHost"),
            apiVersion: read("apiVersion"),
        });
    } catch (e) {
        throw new Error(`${CONFIG_NAMESPACE}: ${(e as Error).message}`);
    }

    return {
        method,
        ...(tenantId !== undefined ? { tenantId } : {}),
        ...(clientId !== undefined ? { clientId } : {}),
        ...(clientSecret !== undefined ? { clientSecret } : {}),
        ...(clientCertificatePath !== undefined ? { clientCertificatePath } : {}),
        ...(clientCertificatePem !== undefined ? { clientCertificatePem } : {}),
        ...(clientCertificatePassword !== undefined ? { clientCertificatePassword } : {}),
        ...(federatedTokenFile !== undefined ? { federatedTokenFile } : {}),
        ...workload,
        ...(caCertPath !== undefined ? { caCertPath } : {}),
        cloud: endpoints.cloud,
        graphBaseUrl: endpoints.graphBaseUrl,
        authorityHost: endpoints.authorityHost,
        scope: endpoints.scope,
        apiVersion: endpoints.apiVersion,
    };
}

/** The CI OIDC values found in config and environment. */
interface CiOidcValues {
    readonly githubRequestUrl?: string | undefined;
    readonly githubRequestToken?: string | undefined;
    readonly serviceConnectionId?: string | undefined;
    readonly azurePipelinesOidcRequestUri?: string | undefined;
    readonly azurePipelinesAccessToken?: string | undefined;
}

/**
 * The token source present, by precedence. GitHub counts only with both variables (GitHub sets both when the job
 * may request ID tokens); Azure DevOps counts once a service connection is named, since SYSTEM_OIDCREQUESTURI is
 * set in every Azure Pipelines job, federated or not.
 */
function detectWorkloadIdentitySource(federatedTokenFile: string | undefined, oidc: CiOidcValues): WorkloadIdentitySource | undefined {
    if (federatedTokenFile !== undefined) return "federatedTokenFile";
    if (oidc.githubRequestUrl !== undefined && oidc.githubRequestToken !== undefined) return "githubActions";
    if (oidc.serviceConnectionId !== undefined) return "azurePipelines";
    return undefined;
}

type WorkloadIdentityFields = Pick<
    AuthSettings,
    "workloadIdentitySource" | "githubOidcRequestUrl" | "githubOidcRequestToken" | "serviceConnectionId" | "azurePipelinesOidcRequestUri" | "systemAccessToken"
>;

const WORKLOAD_IDENTITY = `${CONFIG_NAMESPACE}: authentication method "workloadIdentity"`;

/**
 * The settings of the chosen token source only, so a GitHub request token is never carried into an Azure DevOps
 * run and the other way round.
 * @throws Error naming what is missing and where it comes from; never a value.
 */
function workloadIdentityFields(source: WorkloadIdentitySource | undefined, federatedTokenFile: string | undefined, oidc: CiOidcValues): WorkloadIdentityFields {
    const { githubRequestUrl, githubRequestToken } = ciOidcVariables;
    switch (source) {
        case "federatedTokenFile":
            return federatedTokenFile !== undefined ? { workloadIdentitySource: source } : {};
        case "githubActions":
            return { workloadIdentitySource: source, githubOidcRequestUrl: oidc.githubRequestUrl!, githubOidcRequestToken: oidc.githubRequestToken! };
        case "azurePipelines": {
            if (oidc.azurePipelinesOidcRequestUri === undefined) {
                throw new Error(
                    `${WORKLOAD_IDENTITY} with an Azure DevOps service connection needs ${ciOidcVariables.azurePipelinesOidcRequestUri}, ` +
                        `which the Azure Pipelines agent sets in every job: run the step inside an Azure Pipelines job`,
                );
            }
            if (oidc.azurePipelinesAccessToken === undefined) {
                throw new Error(
                    `${WORKLOAD_IDENTITY} with an Azure DevOps service connection needs ${ciOidcVariables.azurePipelinesAccessToken}: ` +
                        `map it into the step's environment (\`env: SYSTEM_ACCESSTOKEN: $(System.AccessToken)\`)`,
                );
            }
            return {
                workloadIdentitySource: source,
                serviceConnectionId: oidc.serviceConnectionId!,
                azurePipelinesOidcRequestUri: oidc.azurePipelinesOidcRequestUri,
                systemAccessToken: oidc.azurePipelinesAccessToken,
            };
        }
        case undefined: {
            if ((oidc.githubRequestUrl === undefined) !== (oidc.githubRequestToken === undefined)) {
                const missing = oidc.githubRequestUrl === undefined ? githubRequestUrl : githubRequestToken;
                throw new Error(
                    `${WORKLOAD_IDENTITY} found only one of ${githubRequestUrl} and ${githubRequestToken} (${missing} is missing): ` +
                        `GitHub sets both when the job has \`permissions: id-token: write\``,
                );
            }
            throw new Error(
                `${WORKLOAD_IDENTITY} needs a federated token source, and none is configured. Use one of: ` +
                    `a token file (${howToSet("federatedTokenFile")}); ` +
                    `GitHub Actions (give the job \`permissions: id-token: write\`, which sets ${githubRequestUrl} and ${githubRequestToken}); ` +
                    `an Azure DevOps service connection (${howToSet("serviceConnectionId")}, with ${ciOidcVariables.azurePipelinesOidcRequestUri} ` +
                    `and ${ciOidcVariables.azurePipelinesAccessToken} in the environment)`,
            );
        }
    }
}

function required(settings: AuthSettings, name: "tenantId" | "clientId" | "clientSecret" | "federatedTokenFile"): string {
    const v = settings[name];
    if (v === undefined) {
        throw new Error(`${CONFIG_NAMESPACE}: authentication method "${settings.method}" needs ${name}: ${howToSet(name)}`);
    }
    return v;
}

/** Options of {@link createCredential}. */
export interface CreateCredentialOptions {
    /** Extra trusted CA (PEM) for the token endpoint, e.g. an emulator's; added to Node's defaults. */
    readonly ca?: string | Buffer;
}

/**
 * Builds the @azure/identity credential for `settings`. Always passes `authorityHost`; for a non-Microsoft authority
 * host (an emulator) also `disableInstanceDiscovery: true`.
 */
export function createCredential(settings: AuthSettings, options: CreateCredentialOptions = {}): TokenCredential {
    // One agent for every request of this credential, including the GitHub ID token fetch (ours, not @azure/identity's).
    const agent = options.ca === undefined ? {} : { agent: httpsAgentTrusting(options.ca) };
    const authority = {
        authorityHost: settings.authorityHost,
        ...(isMicrosoftAuthorityHost(settings.authorityHost) ? {} : { disableInstanceDiscovery: true }),
        ...agent,
    };
    switch (settings.method) {
        case "clientSecret":
            return new ClientSecretCredential(
                required(settings, "tenantId"),
                required(settings, "clientId"),
                required(settings, "clientSecret"),
                authority,
            );
        case "clientCertificate": {
            const tenantId = required(settings, "tenantId");
            const clientId = required(settings, "clientId");
            const password =
                settings.clientCertificatePassword !== undefined
                    ? { certificatePassword: settings.clientCertificatePassword }
                    : {};
            if (settings.clientCertificatePem !== undefined) {
                return new ClientCertificateCredential(
                    tenantId, clientId, { certificate: settings.clientCertificatePem, ...password }, authority,
                );
            }
            if (settings.clientCertificatePath !== undefined) {
                return new ClientCertificateCredential(
                    tenantId, clientId, { certificatePath: settings.clientCertificatePath, ...password }, authority,
                );
            }
            throw new Error(
                `${CONFIG_NAMESPACE}: authentication method "clientCertificate" needs clientCertificatePath or clientCertificatePem`,
            );
        }
        case "workloadIdentity":
            return createWorkloadIdentityCredential(settings, authority);
        case "managedIdentity":
            return settings.clientId !== undefined
                ? new ManagedIdentityCredential({ clientId: settings.clientId, authorityHost: settings.authorityHost, ...agent })
                : new ManagedIdentityCredential({ authorityHost: settings.authorityHost, ...agent });
        case "azureCli":
            return new AzureCliCredential({
                ...(settings.tenantId !== undefined ? { tenantId: settings.tenantId } : {}),
                authorityHost: settings.authorityHost,
                ...agent,
            });
        case "default":
            return new DefaultAzureCredential({
                ...(settings.tenantId !== undefined ? { tenantId: settings.tenantId } : {}),
                ...(settings.clientId !== undefined ? { managedIdentityClientId: settings.clientId } : {}),
                ...authority,
            });
    }
}

/** The authority options every credential gets (authority host, instance discovery, CA agent). */
interface AuthorityOptions {
    readonly authorityHost: string;
    readonly disableInstanceDiscovery?: boolean;
    readonly agent?: https.Agent;
}

/** workloadIdentity: the credential of the chosen token source (a token file when none was recorded). */
function createWorkloadIdentityCredential(settings: AuthSettings, authority: AuthorityOptions): TokenCredential {
    const tenantId = required(settings, "tenantId");
    const clientId = required(settings, "clientId");
    switch (settings.workloadIdentitySource ?? "federatedTokenFile") {
        case "federatedTokenFile":
            return new WorkloadIdentityCredential({ tenantId, clientId, tokenFilePath: required(settings, "federatedTokenFile"), ...authority });
        case "githubActions": {
            if (settings.githubOidcRequestUrl === undefined || settings.githubOidcRequestToken === undefined) {
                throw new Error(`${WORKLOAD_IDENTITY} via GitHub Actions needs ${ciOidcVariables.githubRequestUrl} and ${ciOidcVariables.githubRequestToken}`);
            }
            const getAssertion = gitHubOidcTokenFetcher(
                { requestUrl: settings.githubOidcRequestUrl, requestToken: settings.githubOidcRequestToken },
                authority.agent !== undefined ? { agent: authority.agent } : {},
            );
            return new ClientAssertionCredential(tenantId, clientId, getAssertion, authority);
        }
        case "azurePipelines": {
            const { serviceConnectionId, azurePipelinesOidcRequestUri: uri, systemAccessToken } = settings;
            if (serviceConnectionId === undefined || uri === undefined || systemAccessToken === undefined) {
                throw new Error(
                    `${WORKLOAD_IDENTITY} via Azure DevOps needs serviceConnectionId, ${ciOidcVariables.azurePipelinesOidcRequestUri} ` +
                        `and ${ciOidcVariables.azurePipelinesAccessToken}`,
                );
            }
            // AzurePipelinesCredential reads SYSTEM_OIDCREQUESTURI from process.env in its constructor only; the
            // resolved value (which may come from another env map) is put there for that synchronous call.
            // Its OIDC request goes through the same pipeline as its token request, so `authority.agent` (the CA) applies.
            return withProcessEnv(ciOidcVariables.azurePipelinesOidcRequestUri, uri, () =>
                new AzurePipelinesCredential(tenantId, clientId, serviceConnectionId, systemAccessToken, { ...authority }),
            );
        }
    }
}

/** Runs `fn` with process.env[name] = value, restoring the previous value (or absence) afterwards. */
function withProcessEnv<T>(name: string, value: string, fn: () => T): T {
    const had = Object.prototype.hasOwnProperty.call(process.env, name);
    const previous = process.env[name];
    process.env[name] = value;
    try {
        return fn();
    } finally {
        if (had) process.env[name] = previous;
        else delete process.env[name];
    }
}

/** Options of {@link TokenCache}. */
export interface TokenCacheOptions {
    /** Clock, ms since epoch (tests). Default Date.now. */
    readonly now?: () => number;
    /** Refresh this long before expiry (unless the token says `refreshAfterTimestamp`). Default 5 min. */
    readonly refreshMarginMs?: number;
    /** Secrets to scrub from credential error messages (client secret, certificate password). */
    readonly secrets?: () => Iterable<string | undefined>;
    /**
     * Builds a new credential, with an empty token cache, to replace a token Graph rejected. @azure/identity's secret,
     * certificate and assertion credentials answer from their own cache until the token expires, so asking the same
     * instance again would return the rejected token. Without it the same credential is asked again.
     */
    readonly renewCredential?: () => TokenCredential;
    /** Wait after a failed token call before another one is started; doubles per consecutive failure. Default 5 s. */
    readonly failureBackoffMs?: number;
    /** Upper bound of that wait. Default 60 s. */
    readonly maxFailureBackoffMs?: number;
}

interface CachedToken {
    readonly token: string;
    readonly expiresOn: number;
    readonly refreshAt: number;
}

/** A token call in flight; `renews` when it runs on a new credential (after Graph rejected a token). */
interface InflightRefresh {
    readonly promise: Promise<CachedToken>;
    readonly renews: boolean;
}

/** The last token call failed: no new one starts before `retryAt`; callers without a valid token get `error`. */
interface RefreshFailure {
    readonly error: Error;
    readonly retryAt: number;
    readonly consecutive: number;
}

/**
 * Wraps a TokenCredential for one scope: caches the token, refreshes ahead of expiry (at `refreshAfterTimestamp`, else
 * at the later of half-life and expiry minus the margin), shares one in-flight refresh between concurrent callers,
 * and keeps serving a still-valid token when an early refresh fails. A failed token call is not repeated by every
 * following request: the next one starts after a back-off (never later than the cached token's expiry). A token Graph
 * rejected is replaced once, by a token from a new credential (see {@link TokenCacheOptions.renewCredential}).
 */
export class TokenCache {
    private credential: TokenCredential;
    private readonly scopes: string[];
    private readonly now: () => number;
    private readonly marginMs: number;
    private readonly secrets: () => Iterable<string | undefined>;
    private readonly renewCredential: (() => TokenCredential) | undefined;
    private readonly failureBackoffMs: number;
    private readonly maxFailureBackoffMs: number;
    private cached: CachedToken | undefined;
    private inflight: InflightRefresh | undefined;
    private failure: RefreshFailure | undefined;

    constructor(credential: TokenCredential, scopes: string | readonly string[], options: TokenCacheOptions = {}) {
        this.credential = credential;
        this.scopes = typeof scopes === "string" ? [scopes] : [...scopes];
        this.now = options.now ?? Date.now;
        this.marginMs = options.refreshMarginMs ?? 5 * 60_000;
        this.secrets = options.secrets ?? (() => []);
        this.renewCredential = options.renewCredential;
        this.failureBackoffMs = options.failureBackoffMs ?? 5_000;
        this.maxFailureBackoffMs = options.maxFailureBackoffMs ?? 60_000;
    }

    /** The current token, for redaction only. */
    public get currentToken(): string | undefined {
        return this.cached?.token;
    }

    /** Drops the cached token; the next getToken() fetches a new one. */
    public invalidate(): void {
        this.cached = undefined;
    }

    /**
     * A bearer token. `rejectedToken`: Graph answered 401 to this token; if it is still the cached one it is replaced
     * by a token from a new credential (callers holding the same rejected token share that one renewal); if it was
     * replaced already, the replacement is returned.
     */
    public async getToken(options?: { readonly rejectedToken?: string }): Promise<string> {
        let renew = false;
        if (options?.rejectedToken !== undefined && this.cached?.token === options.rejectedToken) {
            this.cached = undefined;
            this.failure = undefined; // a rejection is news: it earns one token call even during a back-off
            renew = true;
        }
        const now = this.now();
        const cached = this.cached;
        if (cached !== undefined && now < cached.refreshAt) return cached.token;
        const failure = this.failure;
        if (!renew && this.inflight === undefined && failure !== undefined && now < failure.retryAt) {
            if (cached !== undefined && now < cached.expiresOn) return cached.token;
            throw failure.error;
        }
        try {
            return (await this.refresh(renew)).token;
        } catch (e) {
            const still = this.cached;
            if (still !== undefined && this.now() < still.expiresOn) {
                return still.token; // early refresh failed; the old token is still valid
            }
            throw e;
        }
    }

    /**
     * Joins the token call in flight, or starts one. A renewal does not join a plain refresh (that one asks the old
     * credential, which may answer with the rejected token from its cache): it starts when that one has settled.
     */
    private refresh(renew: boolean): Promise<CachedToken> {
        const current = this.inflight;
        if (current !== undefined && (current.renews || !renew)) return current.promise;
        const settled = current === undefined ? Promise.resolve() : current.promise.then(() => undefined, () => undefined);
        const promise = settled.then(() => this.obtain(renew));
        const entry: InflightRefresh = { promise, renews: renew };
        this.inflight = entry;
        const clear = (): void => {
            if (this.inflight === entry) this.inflight = undefined;
        };
        promise.then(clear, clear);
        return promise;
    }

    /** One token call; records the token, or the failure and when the next call may start. */
    private async obtain(renew: boolean): Promise<CachedToken> {
        if (renew && this.renewCredential !== undefined) this.credential = this.renewCredential();
        const obtainedAt = this.now();
        let at: AccessToken | null;
        try {
            at = await this.credential.getToken(this.scopes);
        } catch (e) {
            const msg = e instanceof Error ? e.message : String(e);
            const err = new Error(
                `${CONFIG_NAMESPACE}: could not get a token for ${this.scopes.join(" ")}: ` +
                    redactSecrets(msg, [this.cached?.token, ...this.secrets()]),
            );
            err.name = e instanceof Error ? e.name : "AuthenticationError";
            throw this.failed(err);
        }
        if (at === null || typeof at.token !== "string" || at.token === "") {
            throw this.failed(new Error(`${CONFIG_NAMESPACE}: the credential returned no token for ${this.scopes.join(" ")}`));
        }
        const expiresOn = at.expiresOnTimestamp;
        const refreshAt =
            at.refreshAfterTimestamp ??
            Math.max(obtainedAt + (expiresOn - obtainedAt) / 2, expiresOn - this.marginMs);
        const entry: CachedToken = { token: at.token, expiresOn, refreshAt };
        this.cached = entry;
        this.failure = undefined;
        return entry;
    }

    /** Records a failed token call: the next starts after a doubling back-off, and no later than the cached token expires. */
    private failed(error: Error): Error {
        const consecutive = (this.failure?.consecutive ?? 0) + 1;
        const backoff = Math.min(this.failureBackoffMs * 2 ** (consecutive - 1), this.maxFailureBackoffMs);
        const expiresOn = this.cached?.expiresOn ?? Number.POSITIVE_INFINITY;
        this.failure = { error, retryAt: Math.min(this.now() + backoff, expiresOn), consecutive };
        return error;
    }
}

/** Options of {@link getSharedGraphClient} beyond the settings. */
export interface SharedGraphClientOptions
    extends Partial<Omit<GraphClientOptions, "graphBaseUrl" | "apiVersion" | "getToken" | "ca" | "secrets">> {
    /** Replaces {@link createCredential} (tests, emulator). */
    readonly credentialFactory?: (settings: AuthSettings, options: CreateCredentialOptions) => TokenCredential;
}

interface SharedEntry {
    readonly client: GraphClient;
    readonly tokens: TokenCache;
}

/** Process-wide registry on globalThis, so that several copies of this module (serialized closures) share it. */
function registry(): Map<string, SharedEntry> {
    const key = Symbol.for("pulumi-msgraph-assignments.sharedGraphClients");
    const g = globalThis as unknown as Record<symbol, Map<string, SharedEntry> | undefined>;
    let map = g[key];
    if (map === undefined) {
        map = new Map();
        g[key] = map;
    }
    return map;
}

/** Cache key of settings: non-secret fields plus a SHA-256 of the secret ones. */
export function sharedClientKey(settings: AuthSettings): string {
    const secretHash = createHash("sha256")
        .update(JSON.stringify([
            settings.clientSecret ?? null, settings.clientCertificatePem ?? null, settings.clientCertificatePassword ?? null,
            settings.githubOidcRequestToken ?? null, settings.systemAccessToken ?? null,
        ]))
        .digest("hex");
    return JSON.stringify([
        settings.method, settings.tenantId ?? null, settings.clientId ?? null, settings.clientCertificatePath ?? null,
        settings.federatedTokenFile ?? null, settings.workloadIdentitySource ?? null, settings.githubOidcRequestUrl ?? null,
        settings.serviceConnectionId ?? null, settings.azurePipelinesOidcRequestUri ?? null, settings.cloud, settings.graphBaseUrl, settings.authorityHost,
        settings.scope, settings.apiVersion, settings.caCertPath ?? null, secretHash,
    ]);
}

/**
 * One GraphClient (and one TokenCache and credential) per distinct settings in this process: all resources share it.
 * The options of the first call for given settings win.
 */
export function getSharedGraphClient(settings: AuthSettings, options: SharedGraphClientOptions = {}): GraphClient {
    const key = sharedClientKey(settings);
    const map = registry();
    const existing = map.get(key);
    if (existing !== undefined) {
        return existing.client;
    }
    let ca: Buffer | undefined;
    if (settings.caCertPath !== undefined) {
        try {
            ca = readFileSync(settings.caCertPath);
        } catch (e) {
            throw new Error(`${CONFIG_NAMESPACE}:caCertPath cannot be read (${(e as NodeJS.ErrnoException).code ?? "error"})`);
        }
    }
    // The CI request tokens are secrets too; OIDC JWTs are caught by redactSecrets' JWT pattern.
    const secrets = (): (string | undefined)[] => [
        settings.clientSecret, settings.clientCertificatePassword, settings.clientCertificatePem,
        settings.githubOidcRequestToken, settings.systemAccessToken,
    ];
    const { credentialFactory, ...clientOptions } = options;
    const buildCredential = (): TokenCredential => (credentialFactory ?? createCredential)(settings, ca !== undefined ? { ca } : {});
    const tokens = new TokenCache(buildCredential(), settings.scope, { secrets, renewCredential: buildCredential });
    const client = new GraphClient({
        ...clientOptions,
        graphBaseUrl: settings.graphBaseUrl,
        apiVersion: settings.apiVersion,
        getToken: (o) => tokens.getToken(o),
        ...(ca !== undefined ? { ca } : {}),
        secrets: () => [...secrets(), tokens.currentToken],
    });
    map.set(key, { client, tokens });
    return client;
}

/** Closes and forgets every shared client (tests, shutdown). */
export function resetSharedGraphClients(): void {
    const map = registry();
    for (const entry of map.values()) entry.client.close();
    map.clear();
}
