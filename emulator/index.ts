/**
 * Local Microsoft Graph (beta) + Entra ID emulator for the assignment resources.
 *
 * `startEmulator()` serves HTTPS on 127.0.0.1 with a locally generated CA, an Entra token endpoint that the real
 * @azure/identity credentials accept, the Graph routes of the provider's resources, fault injection and an
 * admin API. See emulator/README.md.
 */
import * as fs from "node:fs";
import * as https from "node:https";
import type { Socket } from "node:net";
import * as path from "node:path";
import * as tls from "node:tls";
import { createAdmin, type EmulatorAdmin } from "./admin";
import { TokenKeys } from "./access-tokens";
import { ensureCertificates } from "./certs";
import {
  DEFAULT_ADO_ORGANIZATION, DEFAULT_ADO_ORGANIZATION_ID, DEFAULT_ADO_PROJECT, DEFAULT_ADO_SERVICE_CONNECTION_ID,
  DEFAULT_ADO_SERVICE_CONNECTION_NAME, DEFAULT_APP_ROLES, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_GITHUB_SUBJECT,
  DEFAULT_TENANT_ID, DEFAULT_TOKEN_LIFETIME_SECONDS, GITHUB_ACTIONS_ISSUER,
} from "./constants";
import { EntraService, type EmulatorApp } from "./entra";
import { FederatedCredentialRegistry } from "./federation";
import { OidcIssuers, type OidcIssuerName } from "./oidc-issuers";
import { AzureDevOpsOidcService, GITHUB_OIDC_PATH, GitHubOidcService } from "./pipeline-oidc";
import { FaultController, type FaultOptions, type LatencyOption } from "./faults";
import { GraphApi } from "./graph";
import { RequestLog, type RequestLogEntry } from "./request-log";
import { createRequestHandler } from "./server";
import { isPolicyKind, POLICY_KINDS } from "./families";
import { Store, type FilterSeed, type GroupSeed, type PolicyKind, type PolicySeed } from "./store";

export * from "./constants";
export { generateClientCertificate, type ClientCertificate } from "./certs";
export type { EmulatorApp, TokenGrant } from "./entra";
export type { FederatedIdentityCredential } from "./federation";
export type { OidcIssuerName } from "./oidc-issuers";
export type { FaultOptions, LatencyOption, RateLimitOptions } from "./faults";
export { DEFAULT_LIST_PAGE_SIZE } from "./faults";
export type { RequestLogEntry } from "./request-log";
export { countGraphRequests, countGraphRoundTrips, isBatchEnvelope } from "./request-log";
export { MAX_BATCH_REQUESTS } from "./batch";
export type { AssignmentDrift, EmulatorAdmin } from "./admin";
export { FAMILIES, POLICY_KINDS, familyOf, isPolicyKind, type Family, type PolicyKind } from "./families";
export type { FilterSeed, GroupSeed, PolicySeed, StoreSnapshot, StoredAssignment, StoredFilter, StoredGroup, StoredPolicy } from "./store";

/**
 * Data created at start when not already present (matched by id, else by displayName), so restarts don't
 * duplicate it: policies per kind (any family of emulator/families.ts) and groups.
 */
export type EmulatorSeed = { readonly groups?: readonly GroupSeed[]; readonly filters?: readonly FilterSeed[] } & { readonly [K in PolicyKind]?: readonly PolicySeed[] };

/** Options of {@link startEmulator}; every field is optional. */
export interface EmulatorOptions {
  /** Port on 127.0.0.1; 0 or absent picks a free one. */
  readonly port?: number;
  /** JSON file for persistence; absent keeps everything in memory. Loaded at start, rewritten atomically after each write. */
  readonly dataFile?: string;
  /** Where the CA, server certificate and token-signing key are kept. Default `<repo>/.emulator/certs`. */
  readonly certDir?: string;
  /** App registrations in addition to the default app (which is always registered). */
  readonly apps?: readonly EmulatorApp[];
  /**
   * Tenants besides the default one, each with a directory of its own (policies, groups, filters, assignments), an
   * app registration (default: a client id and secret derived from the tenant id, the default app's roles) and a
   * throttling budget. A tenant of an app in `apps` gets a directory of its own too.
   */
  readonly tenants?: readonly EmulatorTenantOptions[];
  /** Lifetime of issued access tokens. Default 3600. */
  readonly tokenLifetimeSeconds?: number;
  /** Fault switches at start (also restored by admin reset). */
  readonly faults?: FaultOptions;
  /** Shorthand for `faults.latency`. */
  readonly latency?: LatencyOption;
  /** Policies and groups to create at start. */
  readonly seed?: EmulatorSeed;
  /** The default GitHub Actions job. */
  readonly githubOidc?: { readonly subject?: string };
  /** The default Azure DevOps organization, project and service connection. */
  readonly azureDevOpsOidc?: {
    readonly organization?: string;
    readonly organizationId?: string;
    readonly project?: string;
    readonly serviceConnectionName?: string;
    readonly serviceConnectionId?: string;
  };
}

/** A tenant hosted besides the default one. */
export interface EmulatorTenantOptions {
  readonly tenantId: string;
  readonly clientId?: string;
  readonly clientSecret?: string;
  readonly roles?: readonly string[];
  /** Policies, groups and filters created at start in this tenant. */
  readonly seed?: EmulatorSeed;
  /**
   * This tenant's fault switches at start, merged over the emulator's `faults` (which every tenant starts with); also
   * restored by this tenant's admin reset.
   */
  readonly faults?: FaultOptions;
}

/** One hosted tenant: its app registration and the admin of its directory. */
export interface EmulatorTenant {
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly admin: EmulatorAdmin;
}

/**
 * What a GitHub Actions job with `permissions: id-token: write` sees: ACTIONS_ID_TOKEN_REQUEST_URL and
 * ACTIONS_ID_TOKEN_REQUEST_TOKEN. The default app trusts `issuer` + `subject`.
 */
export interface GitHubOidcEndpoint {
  /** ACTIONS_ID_TOKEN_REQUEST_URL (already has `?api-version=2.0`; clients append `&audience=…`). */
  readonly requestUrl: string;
  /** ACTIONS_ID_TOKEN_REQUEST_TOKEN (secret). */
  readonly requestToken: string;
  /** `iss` of the ID tokens: https://token.actions.githubusercontent.com. */
  readonly issuer: string;
  /** `sub` of the ID tokens. */
  readonly subject: string;
}

/**
 * What an Azure DevOps job sees: SYSTEM_OIDCREQUESTURI, SYSTEM_ACCESSTOKEN and the service connection id
 * (AZURESUBSCRIPTION_SERVICE_CONNECTION_ID). The default app trusts `issuer` + `subject`.
 */
export interface AzureDevOpsOidcEndpoint {
  /** SYSTEM_OIDCREQUESTURI (clients append `?api-version=7.1&serviceConnectionId=…`). */
  readonly oidcRequestUri: string;
  /** SYSTEM_ACCESSTOKEN (secret). */
  readonly systemAccessToken: string;
  readonly serviceConnectionId: string;
  /** `iss` of the tokens: https://vstoken.dev.azure.com/{organization id}. */
  readonly issuer: string;
  /** `sub` of the tokens: sc://{organization}/{project}/{service connection name}. */
  readonly subject: string;
}

/** A started emulator. */
export interface RunningEmulator {
  /** Graph root, e.g. https://127.0.0.1:PORT; Graph paths live under /beta/... and /v1.0/... */
  readonly graphBaseUrl: string;
  /** Entra authority host for @azure/identity's `authorityHost` (same origin as Graph). */
  readonly authorityHost: string;
  /** Root of the admin HTTP API, https://127.0.0.1:PORT/_emulator. */
  readonly adminUrl: string;
  /** Default tenant id. */
  readonly tenantId: string;
  /** Default app's client id. */
  readonly clientId: string;
  /** Default app's client secret. */
  readonly clientSecret: string;
  /** PEM of the CA that clients must trust. */
  readonly caCertPem: string;
  /** File holding caCertPem (for NODE_EXTRA_CA_CERTS). */
  readonly caCertPath: string;
  readonly port: number;
  /** The request log, oldest first (Graph and Entra requests; admin requests are not logged). */
  log(): RequestLogEntry[];
  /** In-process admin helpers of the default tenant's directory. */
  readonly admin: EmulatorAdmin;
  /** Every hosted tenant, the default one first. */
  readonly tenants: readonly EmulatorTenant[];
  /** A hosted tenant by id. @throws Error for a tenant the emulator does not host. */
  tenant(tenantId: string): EmulatorTenant;
  /** GitHub Actions OIDC token service of the default job. */
  readonly githubOidc: GitHubOidcEndpoint;
  /** Azure DevOps OIDC token service of the default job and service connection. */
  readonly azureDevOpsOidc: AzureDevOpsOidcEndpoint;
  /**
   * Signs a token with a hosted issuer's real key (tests: expired or foreign-subject assertions). iss, jti, iat,
   * nbf and exp are filled in unless `claims` sets them; lifetime default 300 s.
   */
  mintOidcToken(issuer: OidcIssuerName, claims: Record<string, unknown>, lifetimeSeconds?: number): Promise<string>;
  /** Stops listening and closes every open connection. */
  stop(): Promise<void>;
}

/** The default app registration shared by the demo and the tests. */
export const DEFAULT_APP: EmulatorApp = {
  tenantId: DEFAULT_TENANT_ID,
  clientId: DEFAULT_CLIENT_ID,
  clientSecret: DEFAULT_CLIENT_SECRET,
  roles: DEFAULT_APP_ROLES,
  displayName: "Graph emulator default app",
};

/** The repository root (where package.json is), found from this file's location in src or dist. */
function repoRoot(): string {
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    if (fs.existsSync(path.join(dir, "package.json"))) return dir;
    dir = path.dirname(dir);
  }
  return process.cwd();
}

/** Default certificate folder: `<repo>/.emulator/certs` (git-ignored). */
export function defaultCertDir(): string {
  return path.join(repoRoot(), ".emulator", "certs");
}

/**
 * Starts the emulator.
 * @returns once it is listening; call `stop()` to end it.
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const certs = ensureCertificates(options.certDir ?? defaultCertDir());
  const keys = await TokenKeys.load(certs.tokenSigningKeyPem);
  const ado = options.azureDevOpsOidc ?? {};
  const adoOrganization = ado.organization ?? DEFAULT_ADO_ORGANIZATION;
  const adoProject = ado.project ?? DEFAULT_ADO_PROJECT;
  const issuers = new OidcIssuers(GITHUB_ACTIONS_ISSUER, `https://vstoken.dev.azure.com/${ado.organizationId ?? DEFAULT_ADO_ORGANIZATION_ID}`);
  const githubOidc = new GitHubOidcService(issuers.github, options.githubOidc?.subject ?? DEFAULT_GITHUB_SUBJECT);
  const azureDevOpsOidc = new AzureDevOpsOidcService(issuers.azureDevOps, adoOrganization, adoProject, {
    id: ado.serviceConnectionId ?? DEFAULT_ADO_SERVICE_CONNECTION_ID,
    name: ado.serviceConnectionName ?? DEFAULT_ADO_SERVICE_CONNECTION_NAME,
  });
  const adoSubject = azureDevOpsOidc.subjectOf(ado.serviceConnectionName ?? DEFAULT_ADO_SERVICE_CONNECTION_NAME);
  // The default app trusts the default GitHub job and Azure DevOps service connection, so both work out of the box.
  const defaultApp: EmulatorApp = {
    ...DEFAULT_APP,
    federatedCredentials: [
      { name: "github-actions", issuer: issuers.github.issuer, subject: githubOidc.defaultSubject },
      { name: "azure-devops", issuer: issuers.azureDevOps.issuer, subject: adoSubject },
    ],
  };
  const extraTenants = (options.tenants ?? []).map((t): EmulatorApp & { clientSecret: string } => ({
    tenantId: t.tenantId,
    clientId: t.clientId ?? `${t.tenantId.slice(0, 24)}${"c11e".padEnd(12, "0")}`,
    clientSecret: t.clientSecret ?? `emulator-secret-${t.tenantId}`,
    roles: t.roles ?? DEFAULT_APP_ROLES,
    displayName: `Graph emulator app of tenant ${t.tenantId}`,
  }));
  const apps: EmulatorApp[] = [defaultApp, ...extraTenants, ...(options.apps ?? [])];
  const federatedCredentials = new FederatedCredentialRegistry(apps);
  const initialFaults: FaultOptions = { ...options.faults, ...(options.latency !== undefined ? { latency: options.latency } : {}) };
  const log = new RequestLog();
  const identity = { federatedCredentials, githubOidc, azureDevOpsOidc, defaultTenantId: DEFAULT_TENANT_ID };
  // One directory per tenant: its own store, Graph routes, fault switches (and throttling budget) and admin.
  const directories = new Map<string, { store: Store; graph: GraphApi; faults: FaultController; admin: EmulatorAdmin }>();
  const tenantIds = [DEFAULT_TENANT_ID, ...apps.map((a) => a.tenantId)].filter((t, i, all) => all.findIndex((x) => x.toLowerCase() === t.toLowerCase()) === i);
  for (const tenantId of tenantIds) {
    const isDefault = tenantId === DEFAULT_TENANT_ID;
    const dataFile = options.dataFile && !isDefault ? options.dataFile.replace(/(\.json)?$/i, `.${tenantId}.json`) : isDefault ? options.dataFile : undefined;
    const store = new Store(dataFile);
    const tenantOptions = isDefault ? undefined : options.tenants?.find((t) => t.tenantId.toLowerCase() === tenantId.toLowerCase());
    applySeed(store, isDefault ? options.seed : tenantOptions?.seed);
    const faults = new FaultController(initialFaults);
    if (tenantOptions?.faults !== undefined) faults.merge(tenantOptions.faults);
    const tenantFaults = faults.current();
    directories.set(tenantId.toLowerCase(), { store, graph: new GraphApi(store, faults), faults, admin: createAdmin(store, faults, log, tenantFaults, identity) });
  }
  const defaultDirectory = directories.get(DEFAULT_TENANT_ID.toLowerCase())!;
  const admin = defaultDirectory.admin;
  const tenants: EmulatorTenant[] = tenantIds.map((tenantId) => {
    const app = tenantId === DEFAULT_TENANT_ID ? defaultApp : apps.find((a) => a.tenantId.toLowerCase() === tenantId.toLowerCase())!;
    return { tenantId, clientId: app.clientId, clientSecret: app.clientSecret ?? "", admin: directories.get(tenantId.toLowerCase())!.admin };
  });
  const lifetime = options.tokenLifetimeSeconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS;
  let port = 0;
  const handler = createRequestHandler({
    graphFor: (tenantId: string) => directories.get(tenantId.toLowerCase())?.graph,
    adminFor: (tenantId: string) => directories.get(tenantId.toLowerCase())?.admin,
    faultsFor: (tenantId: string) => directories.get(tenantId.toLowerCase())?.faults,
    faults: defaultDirectory.faults,
    entra: new EntraService(() => apps, keys, () => lifetime, { credentials: federatedCredentials, issuers }),
    keys, log, admin, githubOidc, azureDevOpsOidc,
    port: () => port,
  });

  const server = https.createServer({ key: certs.serverKeyPem, cert: certs.serverCertPem }, handler);
  const sockets = new Set<Socket>();
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  // A client that resets mid-handshake must not crash the emulator.
  server.on("tlsClientError", () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  port = typeof address === "object" && address ? address.port : 0;
  const origin = `https://127.0.0.1:${port}`;
  let stopped: Promise<void> | undefined;

  return {
    graphBaseUrl: origin,
    authorityHost: origin,
    adminUrl: `${origin}/_emulator`,
    tenantId: DEFAULT_TENANT_ID,
    clientId: DEFAULT_CLIENT_ID,
    clientSecret: DEFAULT_CLIENT_SECRET,
    caCertPem: certs.caCertPem,
    caCertPath: certs.caCertPath,
    port,
    log: () => log.list(),
    admin,
    tenants,
    tenant(tenantId: string) {
      const found = tenants.find((t) => t.tenantId.toLowerCase() === tenantId.toLowerCase());
      if (!found) throw new Error(`the emulator hosts no tenant ${tenantId}; hosted: ${tenants.map((t) => t.tenantId).join(", ")}`);
      return found;
    },
    githubOidc: {
      requestUrl: `${origin}${GITHUB_OIDC_PATH}?api-version=2.0`,
      requestToken: githubOidc.defaultRequestToken,
      issuer: issuers.github.issuer,
      subject: githubOidc.defaultSubject,
    },
    azureDevOpsOidc: {
      oidcRequestUri: `${origin}${azureDevOpsOidc.requestPath}`,
      systemAccessToken: azureDevOpsOidc.defaultAccessToken,
      serviceConnectionId: ado.serviceConnectionId ?? DEFAULT_ADO_SERVICE_CONNECTION_ID,
      issuer: issuers.azureDevOps.issuer,
      subject: adoSubject,
    },
    mintOidcToken: (issuer, claims, lifetimeSeconds = 300) => issuers.byName(issuer).sign(claims, lifetimeSeconds),
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return stopped;
    },
  };
}

function applySeed(store: Store, seed: EmulatorSeed | undefined): void {
  if (!seed) return;
  for (const key of Object.keys(seed)) {
    if (key !== "groups" && key !== "filters" && !isPolicyKind(key)) throw new Error(`seed.${key}: unknown policy kind; use groups, filters or one of ${POLICY_KINDS.join(", ")}`);
  }
  for (const kind of POLICY_KINDS) {
    for (const p of seed[kind] ?? []) {
      const exists = p.id !== undefined
        ? store.policy(kind, p.id)
        : store.policies(kind).find((x) => x.properties.displayName === p.displayName);
      if (!exists) store.createPolicy(kind, p);
    }
  }
  for (const g of seed.groups ?? []) {
    const exists = g.id !== undefined ? store.group(g.id) : store.groups().find((x) => x.displayName === g.displayName);
    if (!exists) store.createGroup(g);
  }
  for (const f of seed.filters ?? []) {
    const exists = f.id !== undefined ? store.filter(f.id) : store.filters().find((x) => x.displayName === f.displayName);
    if (!exists) store.createFilter(f);
  }
}

/**
 * Makes this Node process trust the emulator's CA for every TLS client that uses the default CA store
 * (node:https, fetch/undici, got, @azure/identity's MSAL). Needs Node >= 22.19 / 24.5 (tls.setDefaultCACertificates);
 * it affects connections opened afterwards. The alternative for a child process is NODE_EXTRA_CA_CERTS=<caCertPath>.
 */
export function trustEmulatorCa(caCertPem: string): void {
  const current = tls.getCACertificates("default");
  if (current.some((c) => c.trim() === caCertPem.trim())) return;
  tls.setDefaultCACertificates([...current, caCertPem]);
}
