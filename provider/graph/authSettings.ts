/**
 * Authentication settings: which method and identity to use, resolved from the stack config (namespace `msgraph:`)
 * and then the standard AZURE_* / CI variables, validated before any credential is built.
 */
import { resolveEndpoints, type CloudName } from "./clouds";

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
 * Every environment variable {@link resolveAuthSettings} reads: two environments that agree on these resolve alike,
 * so a caller may keep the settings it resolved while they stay the same.
 */
export const AUTH_ENVIRONMENT_VARIABLES: readonly string[] = [
    ...new Set([...Object.values(settingSources).flatMap((source): readonly string[] => source.env), ...Object.values(ciOidcVariables)]),
];

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

/** How errors about workload identity name the method. */
export const WORKLOAD_IDENTITY = `${CONFIG_NAMESPACE}: authentication method "workloadIdentity"`;

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

/** The setting `name`, or an error saying how to set it. */
export function required(settings: AuthSettings, name: "tenantId" | "clientId" | "clientSecret" | "federatedTokenFile"): string {
    const v = settings[name];
    if (v === undefined) {
        throw new Error(`${CONFIG_NAMESPACE}: authentication method "${settings.method}" needs ${name}: ${howToSet(name)}`);
    }
    return v;
}
