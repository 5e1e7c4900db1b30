/**
 * Credential construction: the @azure/identity credential for resolved settings (secret, certificate, workload
 * identity from a token file, GitHub Actions or Azure Pipelines, managed identity, Azure CLI, default chain).
 */
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
    type TokenCredential,
} from "@azure/identity";
import { isMicrosoftAuthorityHost } from "./clouds";
import { httpsAgentTrusting } from "./client";
import { gitHubOidcTokenFetcher } from "./githubOidc";
import { CONFIG_NAMESPACE, WORKLOAD_IDENTITY, ciOidcVariables, required, type AuthSettings } from "./authSettings";

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

