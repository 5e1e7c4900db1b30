/**
 * Authentication: settings resolution (stack config, then environment), credential construction with
 * @azure/identity, a token cache with early refresh and one in-flight refresh, and a process-wide GraphClient cache.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import * as https from "node:https";
import {
    AzureCliCredential,
    ClientCertificateCredential,
    ClientSecretCredential,
    DefaultAzureCredential,
    ManagedIdentityCredential,
    WorkloadIdentityCredential,
    type AccessToken,
    type TokenCredential,
} from "@azure/identity";
import { isMicrosoftAuthorityHost, resolveEndpoints, type CloudName } from "./clouds";
import { GraphClient, withDefaultCAs, type GraphClientOptions } from "./client";
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

/** Config keys (without the namespace) and their environment fallbacks. */
const settingSources = {
    tenantId: { env: "AZURE_TENANT_ID", secret: false },
    clientId: { env: "AZURE_CLIENT_ID", secret: false },
    clientSecret: { env: "AZURE_CLIENT_SECRET", secret: true },
    clientCertificatePath: { env: "AZURE_CLIENT_CERTIFICATE_PATH", secret: false },
    clientCertificatePem: { env: undefined, secret: true },
    clientCertificatePassword: { env: "AZURE_CLIENT_CERTIFICATE_PASSWORD", secret: true },
    federatedTokenFile: { env: "AZURE_FEDERATED_TOKEN_FILE", secret: false },
    authMethod: { env: undefined, secret: false },
    cloud: { env: undefined, secret: false },
    graphBaseUrl: { env: "MSGRAPH_BASE_URL", secret: false },
    authorityHost: { env: "AZURE_AUTHORITY_HOST", secret: false },
    caCertPath: { env: undefined, secret: false },
    apiVersion: { env: undefined, secret: false },
} as const satisfies Record<string, { env: string | undefined; secret: boolean }>;
type SettingName = keyof typeof settingSources;

function nonEmpty(v: string | undefined): string | undefined {
    if (v === undefined) return undefined;
    const t = v.trim();
    return t === "" ? undefined : t;
}

function howToSet(name: SettingName): string {
    const src = settingSources[name];
    const cmd = `pulumi config set${src.secret ? " --secret" : ""} ${CONFIG_NAMESPACE}:${name} <value>`;
    return src.env !== undefined ? `set it with \`${cmd}\` or the ${src.env} environment variable` : `set it with \`${cmd}\``;
}

const TENANT = /^[A-Za-z0-9][A-Za-z0-9.-]*$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Reads settings from stack config (`msgraph:*`), falling back to the environment: AZURE_TENANT_ID, AZURE_CLIENT_ID,
 * AZURE_CLIENT_SECRET, AZURE_CLIENT_CERTIFICATE_PATH, AZURE_CLIENT_CERTIFICATE_PASSWORD, AZURE_FEDERATED_TOKEN_FILE,
 * AZURE_AUTHORITY_HOST, and MSGRAPH_BASE_URL (graphBaseUrl, as printed by the emulator). Config beats env field by field. Without `msgraph:authMethod` the method is inferred:
 * a client secret → clientSecret, a certificate → clientCertificate, a token file → workloadIdentity, else default.
 * @throws Error naming the missing or invalid setting; secret values are never included.
 */
export function resolveAuthSettings(config: ConfigSource, env: NodeJS.ProcessEnv = process.env): AuthSettings {
    const read = (name: SettingName): string | undefined => {
        const fromConfig = nonEmpty(config.get(name)) ?? nonEmpty(config.get(`${CONFIG_NAMESPACE}:${name}`));
        if (fromConfig !== undefined) return fromConfig;
        const envName = settingSources[name].env;
        return envName === undefined ? undefined : nonEmpty(env[envName]);
    };
    const tenantId = read("tenantId");
    const clientId = read("clientId");
    const clientSecret = read("clientSecret");
    const clientCertificatePath = read("clientCertificatePath");
    const clientCertificatePem = read("clientCertificatePem");
    const clientCertificatePassword = read("clientCertificatePassword");
    const federatedTokenFile = read("federatedTokenFile");
    const caCertPath = read("caCertPath");

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
    } else if (federatedTokenFile !== undefined) {
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
            need("federatedTokenFile", federatedTokenFile);
            break;
        default:
            break;
    }
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
        ...(caCertPath !== undefined ? { caCertPath } : {}),
        cloud: endpoints.cloud,
        graphBaseUrl: endpoints.graphBaseUrl,
        authorityHost: endpoints.authorityHost,
        scope: endpoints.scope,
        apiVersion: endpoints.apiVersion,
    };
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
    const agent = options.ca === undefined ? {} : { agent: new https.Agent({ keepAlive: true, ca: withDefaultCAs(options.ca) }) };
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
            return new WorkloadIdentityCredential({
                tenantId: required(settings, "tenantId"),
                clientId: required(settings, "clientId"),
                tokenFilePath: required(settings, "federatedTokenFile"),
                ...authority,
            });
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

/** Options of {@link TokenCache}. */
export interface TokenCacheOptions {
    /** Clock, ms since epoch (tests). Default Date.now. */
    readonly now?: () => number;
    /** Refresh this long before expiry (unless the token says `refreshAfterTimestamp`). Default 5 min. */
    readonly refreshMarginMs?: number;
    /** Secrets to scrub from credential error messages (client secret, certificate password). */
    readonly secrets?: () => Iterable<string | undefined>;
}

interface CachedToken {
    readonly token: string;
    readonly expiresOn: number;
    readonly refreshAt: number;
}

/**
 * Wraps a TokenCredential for one scope: caches the token, refreshes ahead of expiry (at `refreshAfterTimestamp`, else
 * at the later of half-life and expiry minus the margin), shares one in-flight refresh between concurrent callers,
 * and keeps serving a still-valid token when an early refresh fails.
 */
export class TokenCache {
    private readonly credential: TokenCredential;
    private readonly scopes: string[];
    private readonly now: () => number;
    private readonly marginMs: number;
    private readonly secrets: () => Iterable<string | undefined>;
    private cached: CachedToken | undefined;
    private inflight: Promise<CachedToken> | undefined;

    constructor(credential: TokenCredential, scopes: string | readonly string[], options: TokenCacheOptions = {}) {
        this.credential = credential;
        this.scopes = typeof scopes === "string" ? [scopes] : [...scopes];
        this.now = options.now ?? Date.now;
        this.marginMs = options.refreshMarginMs ?? 5 * 60_000;
        this.secrets = options.secrets ?? (() => []);
    }

    /** The current token, for redaction only. */
    public get currentToken(): string | undefined {
        return this.cached?.token;
    }

    /** Drops the cached token; the next getToken() fetches a new one. */
    public invalidate(): void {
        this.cached = undefined;
    }

    /** A bearer token; `forceRefresh` fetches a new one (joining a refresh already in flight). */
    public async getToken(options?: { readonly forceRefresh?: boolean }): Promise<string> {
        const now = this.now();
        const cached = this.cached;
        if (options?.forceRefresh !== true && cached !== undefined && now < cached.refreshAt) {
            return cached.token;
        }
        if (options?.forceRefresh === true && this.inflight === undefined) {
            this.cached = undefined;
        }
        try {
            return (await this.refresh()).token;
        } catch (e) {
            const still = this.cached;
            if (options?.forceRefresh !== true && still !== undefined && this.now() < still.expiresOn) {
                return still.token; // early refresh failed; the old token is still valid
            }
            throw e;
        }
    }

    private refresh(): Promise<CachedToken> {
        if (this.inflight === undefined) {
            const p = (async (): Promise<CachedToken> => {
                let at: AccessToken | null;
                const obtainedAt = this.now();
                try {
                    at = await this.credential.getToken(this.scopes);
                } catch (e) {
                    const msg = e instanceof Error ? e.message : String(e);
                    const err = new Error(
                        `${CONFIG_NAMESPACE}: could not get a token for ${this.scopes.join(" ")}: ` +
                            redactSecrets(msg, [this.cached?.token, ...this.secrets()]),
                    );
                    err.name = e instanceof Error ? e.name : "AuthenticationError";
                    throw err;
                }
                if (at === null || typeof at.token !== "string" || at.token === "") {
                    throw new Error(`${CONFIG_NAMESPACE}: the credential returned no token for ${this.scopes.join(" ")}`);
                }
                const expiresOn = at.expiresOnTimestamp;
                const refreshAt =
                    at.refreshAfterTimestamp ??
                    Math.max(obtainedAt + (expiresOn - obtainedAt) / 2, expiresOn - this.marginMs);
                const entry: CachedToken = { token: at.token, expiresOn, refreshAt };
                this.cached = entry;
                return entry;
            })();
            this.inflight = p;
            p.then(
                () => { if (this.inflight === p) this.inflight = undefined; },
                () => { if (this.inflight === p) this.inflight = undefined; },
            );
        }
        return this.inflight;
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
        .update(JSON.stringify([settings.clientSecret ?? null, settings.clientCertificatePem ?? null, settings.clientCertificatePassword ?? null]))
        .digest("hex");
    return JSON.stringify([
        settings.method, settings.tenantId ?? null, settings.clientId ?? null, settings.clientCertificatePath ?? null,
        settings.federatedTokenFile ?? null, settings.cloud, settings.graphBaseUrl, settings.authorityHost,
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
    const secrets = (): (string | undefined)[] => [
        settings.clientSecret, settings.clientCertificatePassword, settings.clientCertificatePem,
    ];
    const { credentialFactory, ...clientOptions } = options;
    const credential = (credentialFactory ?? createCredential)(settings, ca !== undefined ? { ca } : {});
    const tokens = new TokenCache(credential, settings.scope, { secrets });
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
