/**
 * The process-wide registry of Graph clients: one GraphClient, token cache and credential per distinct settings,
 * shared by every resource (and every copy of this package loaded in the process).
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type { TokenCredential } from "@azure/identity";
import { GraphClient, type GraphClientOptions } from "./client";
import { processSingleton } from "../processRegistry";
import { CONFIG_NAMESPACE, type AuthSettings } from "./authSettings";
import { createCredential, type CreateCredentialOptions } from "./credentials";
import { TokenCache } from "./tokenCache";

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

/** Shared by every copy of this package in the process (each serialized closure may load its own). */
function registry(): Map<string, SharedEntry> {
    return processSingleton("sharedGraphClients", () => new Map<string, SharedEntry>());
}

/** Keys already computed, per settings object: a provider that keeps its resolved settings hashes them once. */
const keysOfSettings = new WeakMap<AuthSettings, string>();

/** Cache key of settings: non-secret fields plus a SHA-256 of the secret ones. */
export function sharedClientKey(settings: AuthSettings): string {
    let key = keysOfSettings.get(settings);
    if (key === undefined) {
        key = computeSharedClientKey(settings);
        keysOfSettings.set(settings, key);
    }
    return key;
}

function computeSharedClientKey(settings: AuthSettings): string {
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
