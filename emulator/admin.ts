/**
 * Out-of-band control of the emulator: seeding, drift (changing or deleting assignments behind the provider's
 * back), fault switches, the request log and reset. The same operations are offered in process
 * ({@link EmulatorAdmin}) and over HTTP under /_emulator (loopback only, no token).
 */
import type { FaultController, FaultOptions } from "./faults";
import type { FederatedCredentialRegistry, FederatedIdentityCredential } from "./federation";
import type { AzureDevOpsOidcService, GitHubOidcService } from "./pipeline-oidc";
import { graphTimestamp } from "./ids";
import type { RequestLog } from "./request-log";
import { familyOf, isPolicyKind } from "./families";
import { POLICY_KINDS, type FilterSeed, type GroupSeed, type PolicyKind, type PolicySeed, type Store, type StoreSnapshot, type StoredAssignment, type StoredFilter, type StoredGroup, type StoredPolicy } from "./store";

function checkKind(kind: unknown): asserts kind is PolicyKind {
  if (!isPolicyKind(kind)) throw new AdminError(400, `unknown policy kind '${String(kind)}'; use one of ${POLICY_KINDS.join(", ")}`);
}

/** In-process admin helpers of a running emulator. */
export interface EmulatorAdmin {
  /** Creates a policy of `kind` (an existing one with the same id is replaced). */
  seedPolicy(kind: PolicyKind, seed?: PolicySeed): StoredPolicy;
  /** Creates a directory group (an existing one with the same id is replaced). */
  seedGroup(seed: GroupSeed): StoredGroup;
  /** Creates an Intune assignment filter (an existing one with the same id is replaced). */
  seedFilter(seed: FilterSeed): StoredFilter;
  /** Merges properties into a policy out of band (e.g. a rename in the portal: `{ displayName }`). */
  updatePolicy(kind: PolicyKind, policyId: string, properties: Record<string, unknown>): StoredPolicy;
  /** Replaces the fault switches, or merges them into the current ones when `merge` is true. */
  setFaults(faults: FaultOptions, merge?: boolean): void;
  /** The current fault switches. */
  getFaults(): FaultOptions;
  /**
   * Adds an assignment out of band, with the target and the family's other properties (intent, settings, …)
   * stored exactly as given (no validation). Windows 365 ids default to `{policyId}_{groupId}`.
   */
  addAssignment(kind: PolicyKind, policyId: string, target: Record<string, unknown>, id?: string, properties?: Record<string, unknown>): StoredAssignment;
  /**
   * Drift: merges `target` fields into an assignment's target and sets the other given properties (e.g.
   * `intent`, `settings`) out of band (no validation), and bumps its lastModifiedDateTime, as a change made in
   * the Intune portal would.
   */
  mutateAssignment(kind: PolicyKind, policyId: string, assignmentId: string, change: AssignmentDrift): StoredAssignment;
  /** Deletes a policy out of band (its assignments go with it), as an admin deleting it in the portal. */
  deletePolicy(kind: PolicyKind, policyId: string): void;
  /** Drift: deletes an assignment out of band. */
  deleteAssignment(kind: PolicyKind, policyId: string, assignmentId: string): void;
  /** A copy of a policy's assignments as stored. */
  listAssignments(kind: PolicyKind, policyId: string): StoredAssignment[];
  /** Empties the request log. */
  clearLog(): void;
  /** Empties the store, clears the log and restores the fault switches given at start. */
  reset(): void;
  /** A copy of all data. */
  state(): StoreSnapshot;
  /**
   * Adds a federated identity credential to an app (default: the default app's tenant); audiences default to
   * [api://AzureADTokenExchange]. reset() restores the credentials given at start.
   */
  addFederatedCredential(clientId: string, credential: FederatedIdentityCredential, tenantId?: string): FederatedIdentityCredential;
  /** The federated identity credentials of an app. */
  listFederatedCredentials(clientId: string, tenantId?: string): FederatedIdentityCredential[];
  /** A new GitHub Actions request token (ACTIONS_ID_TOKEN_REQUEST_TOKEN) whose ID tokens carry `subject`. */
  addGitHubJob(subject: string): string;
  /** Registers an Azure DevOps service connection; its tokens carry sub sc://{org}/{project}/{name}. */
  addAzureDevOpsServiceConnection(connection: { id?: string; name: string }): { id: string; name: string; subject: string };
}

/** An out-of-band change: fields merged into the target, and whole values of the family's other properties. */
export interface AssignmentDrift {
  target?: Record<string, unknown>;
  [property: string]: unknown;
}

/** The identity parts the admin manages besides the Graph data. */
export interface AdminIdentityParts {
  readonly federatedCredentials: FederatedCredentialRegistry;
  readonly githubOidc: GitHubOidcService;
  readonly azureDevOpsOidc: AzureDevOpsOidcService;
  /** Tenant of apps when the caller names none. */
  readonly defaultTenantId: string;
}

/** Raised for bad admin input; the HTTP layer maps it to 400/404. */
export class AdminError extends Error {
  static isInstance(value: unknown): value is AdminError {
    return value instanceof Error && (value as { errorKind?: unknown }).errorKind === "AdminError";
  }
  readonly errorKind = "AdminError";
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = "AdminError";
  }
}

/** Builds the in-process admin over the emulator's parts. */
export function createAdmin(store: Store, faults: FaultController, log: RequestLog, initialFaults: FaultOptions, identity: AdminIdentityParts): EmulatorAdmin {
  const policy = (kind: PolicyKind, id: string): StoredPolicy => {
    checkKind(kind);
    const p = store.policy(kind, id);
    if (!p) throw new AdminError(404, `no ${kind} policy '${id}'`);
    return p;
  };
  const assignment = (p: StoredPolicy, id: string): StoredAssignment => {
    const a = p.assignments.find((x) => x.id.toLowerCase() === id.toLowerCase());
    if (!a) throw new AdminError(404, `no assignment '${id}' on policy '${p.id}'`);
    return a;
  };
  return {
    seedPolicy(kind, seed = {}) {
      checkKind(kind);
      return structuredClone(store.createPolicy(kind, { displayName: `Emulator ${kind} ${graphTimestamp()}`, ...seed }));
    },
    seedGroup(seed) {
      if (typeof seed?.displayName !== "string" || !seed.displayName) throw new AdminError(400, "a group needs a displayName");
      return structuredClone(store.createGroup(seed));
    },
    seedFilter(seed) {
      if (typeof seed?.displayName !== "string" || !seed.displayName) throw new AdminError(400, "a filter needs a displayName");
      return structuredClone(store.createFilter(seed));
    },
    updatePolicy(kind, policyId, properties) {
      policy(kind, policyId);
      if (typeof properties !== "object" || properties === null) throw new AdminError(400, "a policy update needs an object of properties");
      return structuredClone(store.updatePolicy(kind, policyId, structuredClone(properties))!);
    },
    setFaults(options, merge = false) {
      if (merge) faults.merge(options);
      else faults.set(options);
    },
    getFaults: () => faults.current(),
    addAssignment(kind, policyId, target, id, properties) {
      const p = policy(kind, policyId);
      const family = familyOf(kind);
      const defaultId = family.assignmentId === "policyGroup" && typeof target.groupId === "string" ? `${p.id}_${target.groupId}` : undefined;
      const stampCreated = family.serverFields.some((f) => f.name === "createdDateTime");
      return structuredClone(store.addAssignment(p, structuredClone(target), id ?? defaultId, structuredClone(properties), stampCreated));
    },
    mutateAssignment(kind, policyId, assignmentId, change) {
      const { target, ...properties } = change ?? {};
      if (target !== undefined && (typeof target !== "object" || target === null)) throw new AdminError(400, "drift's target must be an object");
      if (target === undefined && Object.keys(properties).length === 0) throw new AdminError(400, "drift needs {\"target\":{...}} and/or other assignment properties");
      const unknown = Object.keys(properties).filter((name) => !(name in familyOf(kind).properties));
      if (unknown.length > 0) throw new AdminError(400, `${kind} assignments have no property ${unknown.join(", ")}`);
      const a = assignment(policy(kind, policyId), assignmentId);
      return structuredClone(store.updateAssignment(a, { ...a.target, ...structuredClone(target) }, structuredClone(properties)));
    },
    deletePolicy(kind, policyId) {
      policy(kind, policyId);
      store.deletePolicy(kind, policyId);
    },
    deleteAssignment(kind, policyId, assignmentId) {
      const p = policy(kind, policyId);
      assignment(p, assignmentId);
      store.deleteAssignment(p, assignmentId);
    },
    listAssignments: (kind, policyId) => structuredClone(policy(kind, policyId).assignments),
    clearLog: () => log.clear(),
    reset() {
      store.reset();
      log.clear();
      faults.set(initialFaults);
      identity.federatedCredentials.reset();
    },
    state: () => store.snapshot(),
    addFederatedCredential(clientId, credential, tenantId = identity.defaultTenantId) {
      try {
        return identity.federatedCredentials.add(tenantId, clientId, credential);
      } catch (e) {
        throw new AdminError(400, (e as Error).message);
      }
    },
    listFederatedCredentials: (clientId, tenantId = identity.defaultTenantId) => identity.federatedCredentials.list(tenantId, clientId),
    addGitHubJob(subject) {
      if (typeof subject !== "string" || !subject) throw new AdminError(400, "a GitHub job needs {\"subject\":\"repo:…\"}");
      return identity.githubOidc.addJob(subject);
    },
    addAzureDevOpsServiceConnection(connection) {
      if (typeof connection?.name !== "string" || !connection.name) throw new AdminError(400, "a service connection needs {\"name\":…}");
      return identity.azureDevOpsOidc.addServiceConnection(connection);
    },
  };
}

/** One admin HTTP answer. */
export interface AdminResult {
  readonly status: number;
  readonly body?: unknown;
}

/**
 * Routes an admin HTTP request (path relative to /_emulator).
 *
 * GET state | POST reset | GET,DELETE log | GET,PUT,PATCH faults | POST groups | POST filters | POST policies/{kind} | PATCH policies/{kind}/{id} |
 * GET,POST policies/{kind}/{id}/assignments | PATCH,DELETE policies/{kind}/{id}/assignments/{assignmentId} |
 * GET,POST apps/{clientId}/federatedCredentials | POST github-oidc/jobs | POST ado-oidc/serviceConnections
 */
export function handleAdmin(admin: EmulatorAdmin, log: RequestLog, method: string, path: string, body: unknown): AdminResult {
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  const obj = (body ?? {}) as Record<string, unknown>;
  if (parts[0] === "apps" && parts.length === 3 && parts[2] === "federatedCredentials") {
    const tenantId = typeof obj.tenantId === "string" ? obj.tenantId : undefined;
    if (method === "GET") return { status: 200, body: { value: admin.listFederatedCredentials(parts[1]) } };
    if (method === "POST") {
      return { status: 201, body: admin.addFederatedCredential(parts[1], obj as unknown as FederatedIdentityCredential, tenantId) };
    }
  }
  if (method === "POST" && parts.join("/") === "github-oidc/jobs") {
    const subject = obj.subject as string;
    return { status: 201, body: { requestToken: admin.addGitHubJob(subject), subject } };
  }
  if (method === "POST" && parts.join("/") === "ado-oidc/serviceConnections") {
    return { status: 201, body: admin.addAzureDevOpsServiceConnection(obj as { id?: string; name: string }) };
  }
  const route = `${method} ${parts.map((p, i) => (i >= 1 && parts[0] === "policies" ? (i === 1 ? "{kind}" : i === 3 ? "assignments" : "{id}") : p)).join("/")}`;
  const kind = parts[1] as PolicyKind;
  switch (route) {
    case "GET state":
      return { status: 200, body: { ...admin.state(), faults: admin.getFaults() } };
    case "POST reset":
      admin.reset();
      return { status: 204 };
    case "GET log":
      return { status: 200, body: { value: log.list() } };
    case "DELETE log":
      admin.clearLog();
      return { status: 204 };
    case "GET faults":
      return { status: 200, body: admin.getFaults() };
    case "PUT faults":
    case "PATCH faults":
      admin.setFaults(obj as FaultOptions, method === "PATCH");
      return { status: 200, body: admin.getFaults() };
    case "POST groups":
      return { status: 201, body: admin.seedGroup(obj as unknown as GroupSeed) };
    case "POST filters":
      return { status: 201, body: admin.seedFilter(obj as unknown as FilterSeed) };
    case "POST policies/{kind}":
      return { status: 201, body: admin.seedPolicy(kind, obj as PolicySeed) };
    case "PATCH policies/{kind}/{id}":
      return { status: 200, body: admin.updatePolicy(kind, parts[2], obj) };
    case "GET policies/{kind}/{id}/assignments":
      return { status: 200, body: { value: admin.listAssignments(kind, parts[2]) } };
    case "POST policies/{kind}/{id}/assignments": {
      const { target, id, ...properties } = obj;
      if (typeof target !== "object" || target === null) throw new AdminError(400, "an assignment needs {\"target\":{...}}");
      return { status: 201, body: admin.addAssignment(kind, parts[2], target as Record<string, unknown>, typeof id === "string" ? id : undefined, properties) };
    }
    case "PATCH policies/{kind}/{id}/assignments/{id}":
      return { status: 200, body: admin.mutateAssignment(kind, parts[2], parts[4], obj as AssignmentDrift) };
    case "DELETE policies/{kind}/{id}/assignments/{id}":
      admin.deleteAssignment(kind, parts[2], parts[4]);
      return { status: 204 };
    default:
      throw new AdminError(404, `no admin route ${method} /_emulator/${parts.join("/")}`);
  }
}
