/**
 * Microsoft Graph routes: Intune groupPolicyConfigurations and their assignments, Windows 365 provisioning
 * policies (current and legacy routes over one store), and enough of /groups for name-to-id lookups.
 *
 * Handlers return a {@link GraphResult} or throw {@link GraphError}; authentication, throttling and fault
 * injection happen before them in the server, so handlers only see requests that Graph would process.
 */
import { badRequest, GraphError } from "./errors";
import type { FaultController } from "./faults";
import { Roles } from "./constants";
import type { PolicyKind, StoredAssignment, StoredPolicy, Store, StoredGroup } from "./store";
import {
  targetKey, validateCloudPcAssignment, validateCloudPcTarget, validateIntuneAssignment, validateLegacyItem,
} from "./validation";
import { graphTimestamp, newGuid } from "./ids";

/** What a handler answers. `body` undefined means no content. */
export interface GraphResult {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** A request as the handlers see it. */
export interface GraphRequest {
  readonly method: string;
  /** "beta" or "v1.0". */
  readonly version: string;
  /** Path after the version, e.g. /deviceManagement/groupPolicyConfigurations. */
  readonly path: string;
  readonly query: URLSearchParams;
  /** Parsed JSON body (undefined when there was none). */
  readonly body: unknown;
  /** Scheme and authority of this server, for @odata.context and Location. */
  readonly base: string;
}

/** The service a route belongs to: decides permissions and the error message style. */
export type GraphService = "intune" | "cloudPc" | "directory";

interface Route {
  /** Path after the version, with {@link SEG} for key segments. */
  readonly path: string;
  readonly pattern: RegExp;
  /** One pattern per path segment, to find the first segment no route knows (named in Graph's 400). */
  readonly segments: readonly RegExp[];
  /** Part of the draft root /provisioningPolicies, which `draftProvisioningRoutes: false` removes. */
  readonly draft?: boolean;
  readonly versions: readonly string[];
  readonly service: GraphService;
  readonly handlers: Partial<Record<string, (req: GraphRequest, params: string[]) => GraphResult>>;
}

/** A matched route: the service (for permissions) and the handler to run. */
export interface MatchedRoute {
  readonly service: GraphService;
  readonly run: () => GraphResult;
}

const BETA = ["beta"];
const BOTH = ["beta", "v1.0"];
/** A key segment in a route path (any one segment). */
const SEG = "{key}";
const NS = "#microsoft.graph.";

/** Roles that allow reads and writes, per service. Graph accepts the ReadWrite role for reads as well. */
export const SERVICE_ROLES: Readonly<Record<GraphService, { read: readonly string[]; write: readonly string[] }>> = {
  intune: {
    read: [Roles.DeviceManagementConfigurationRead, Roles.DeviceManagementConfigurationReadWrite],
    write: [Roles.DeviceManagementConfigurationReadWrite],
  },
  cloudPc: { read: [Roles.CloudPcRead, Roles.CloudPcReadWrite], write: [Roles.CloudPcReadWrite] },
  directory: {
    read: [Roles.GroupRead, Roles.GroupReadWrite, Roles.DirectoryRead, Roles.DirectoryReadWrite],
    write: [Roles.GroupReadWrite, Roles.DirectoryReadWrite],
  },
};

/** Graph API over a {@link Store}. */
export class GraphApi {
  private readonly routes: Route[];

  constructor(private readonly store: Store, private readonly faults: FaultController) {
    const gpc = "/deviceManagement/groupPolicyConfigurations";
    const ve = "/deviceManagement/virtualEndpoint/provisioningPolicies";
    const routes: Omit<Route, "pattern" | "segments">[] = [
      { path: `${gpc}`, versions: BETA, service: "intune", handlers: {
        GET: (r) => this.listPolicies(r, "groupPolicyConfigurations"),
        POST: (r) => this.createPolicy(r, "groupPolicyConfigurations") } },
      { path: `${gpc}/${SEG}`, versions: BETA, service: "intune", handlers: {
        GET: (r, [id]) => this.getPolicy(r, "groupPolicyConfigurations", id),
        PATCH: (r, [id]) => this.patchPolicy(r, "groupPolicyConfigurations", id),
        DELETE: (r, [id]) => this.deletePolicy("groupPolicyConfigurations", id) } },
      { path: `${gpc}/${SEG}/assignments`, versions: BETA, service: "intune", handlers: {
        GET: (r, [id]) => this.listIntuneAssignments(r, id),
        POST: (r, [id]) => this.createIntuneAssignment(r, id) } },
      { path: `${gpc}/${SEG}/assignments/${SEG}`, versions: BETA, service: "intune", handlers: {
        GET: (r, [id, aid]) => this.getIntuneAssignment(r, id, aid),
        PATCH: (r, [id, aid]) => this.patchIntuneAssignment(r, id, aid),
        DELETE: (r, [id, aid]) => this.deleteAssignment(r, "groupPolicyConfigurations", id, aid) } },
      { path: `${gpc}/${SEG}/assign`, versions: BETA, service: "intune", handlers: {
        POST: (r, [id]) => this.assignIntune(r, id) } },

      { path: ve, versions: BOTH, service: "cloudPc", handlers: {
        GET: (r) => this.listPolicies(r, "provisioningPolicies"),
        POST: (r) => this.createPolicy(r, "provisioningPolicies") } },
      { path: `${ve}/${SEG}`, versions: BOTH, service: "cloudPc", handlers: {
        GET: (r, [id]) => this.getPolicy(r, "provisioningPolicies", id),
        PATCH: (r, [id]) => this.patchPolicy(r, "provisioningPolicies", id),
        DELETE: (r, [id]) => this.deletePolicy("provisioningPolicies", id) } },
      { path: `${ve}/${SEG}/assignments`, versions: BOTH, service: "cloudPc", handlers: {
        GET: (r, [id]) => this.listCloudPcAssignments(r, id, "current"),
        POST: (r, [id]) => this.createCloudPcAssignment(r, id, "current") } },
      { path: `${ve}/${SEG}/assignments/${SEG}`, versions: BOTH, service: "cloudPc", handlers: {
        GET: (r, [id, aid]) => this.getCloudPcAssignment(r, id, aid, "current"),
        PATCH: (r, [id, aid]) => this.patchCloudPcAssignment(r, id, aid, "current"),
        DELETE: (r, [id, aid]) => this.deleteAssignment(r, "provisioningPolicies", id, aid) } },
      { path: `${ve}/${SEG}/assign`, versions: BOTH, service: "cloudPc", handlers: {
        POST: (r, [id]) => this.assignCloudPc(r, id) } },

      { path: `/provisioningPolicies/${SEG}/assignments`, versions: BETA, service: "cloudPc", draft: true, handlers: {
        GET: (r, [id]) => this.listCloudPcAssignments(r, id, "legacy"),
        POST: (r, [id]) => this.createCloudPcAssignment(r, id, "legacy") } },
      { path: `/provisioningPolicies/${SEG}/assignments/${SEG}`, versions: BETA, service: "cloudPc", draft: true, handlers: {
        GET: (r, [id, aid]) => this.getCloudPcAssignment(r, id, aid, "legacy"),
        PATCH: (r, [id, aid]) => this.patchCloudPcAssignment(r, id, aid, "legacy"),
        DELETE: (r, [id, aid]) => this.deleteAssignment(r, "provisioningPolicies", id, aid) } },

      { path: "/groups", versions: BOTH, service: "directory", handlers: { GET: (r) => this.listGroups(r) } },
      { path: `/groups/${SEG}`, versions: BOTH, service: "directory", handlers: { GET: (r, [id]) => this.getGroup(r, id) } },
    ];
    this.routes = routes.map((route) => ({ ...route, pattern: re(route.path), segments: segmentPatterns(route.path) }));
  }

  /**
   * Finds the route for a request.
   * @throws GraphError 400 for an unknown segment (as Graph answers), 405 for a verb the route lacks.
   */
  match(req: GraphRequest): MatchedRoute {
    const routes = this.routes.filter((route) => route.versions.includes(req.version) && (!route.draft || this.faults.hasDraftProvisioningRoutes()));
    for (const route of routes) {
      const m = route.pattern.exec(req.path);
      if (!m) continue;
      const handler = route.handlers[req.method];
      if (!handler) {
        throw new GraphError(405, "Request_BadRequest", `The HTTP method '${req.method}' is not allowed for this resource.`, { Allow: Object.keys(route.handlers).join(", ") });
      }
      const params = m.slice(1).map((p) => decodeURIComponent(p));
      return { service: route.service, run: () => handler(req, params) };
    }
    throw badRequest(`Resource not found for the segment '${unknownSegment(routes, req.path)}'.`);
  }

  // ---- policies ------------------------------------------------------------------------------------------

  private context(r: GraphRequest, fragment: string): string {
    return `${r.base}/${r.version}/$metadata#${fragment}`;
  }

  private policyEntity(kind: PolicyKind, p: StoredPolicy, expandAssignments: boolean): Record<string, unknown> {
    const type = kind === "groupPolicyConfigurations" ? "groupPolicyConfiguration" : "cloudPcProvisioningPolicy";
    const entity: Record<string, unknown> = { "@odata.type": `${NS}${type}`, id: p.id, ...p.properties };
    if (expandAssignments) {
      entity.assignments = p.assignments.map((a) =>
        kind === "groupPolicyConfigurations" ? intuneAssignmentEntity(a) : cloudPcAssignmentEntity(a));
    }
    return entity;
  }

  private expands(r: GraphRequest): boolean {
    const expand = r.query.get("$expand");
    if (expand === null) return false;
    const items = expand.split(",").map((s) => s.trim());
    for (const item of items) {
      if (item.toLowerCase() !== "assignments") throw badRequest(`Could not find a property named '${item}' on type 'microsoft.graph.entity' ($expand).`);
    }
    return true;
  }

  /**
   * One page of a collection: `listPageSize` entries (fewer when `$top` asks for fewer) from the offset in
   * `$skiptoken`, and `@odata.nextLink` back to this server when more follow.
   */
  private page<T>(r: GraphRequest, entries: readonly T[]): { value: T[]; "@odata.nextLink"?: string } {
    const size = Math.min(this.faults.listPageSize(), topOf(r.query) ?? Number.POSITIVE_INFINITY);
    const offset = skipTokenOffset(r.path, r.query);
    const value = entries.slice(offset, offset + size);
    if (value.length === 0 || offset + value.length >= entries.length) return { value };
    const query = new URLSearchParams(r.query);
    query.set("$skiptoken", encodeSkipToken(r.path, offset + value.length));
    return { value, "@odata.nextLink": `${r.base}/${r.version}${r.path}?${query.toString().replace(/%24/g, "$")}` };
  }

  private listPolicies(r: GraphRequest, kind: PolicyKind): GraphResult {
    const expand = this.expands(r);
    const path = kind === "groupPolicyConfigurations" ? "deviceManagement/groupPolicyConfigurations" : "deviceManagement/virtualEndpoint/provisioningPolicies";
    const page = this.page(r, this.store.policies(kind));
    return ok({
      "@odata.context": this.context(r, expand ? `${path}(assignments())` : path),
      ...page,
      value: page.value.map((p) => this.policyEntity(kind, p, expand)),
    });
  }

  private getPolicy(r: GraphRequest, kind: PolicyKind, id: string): GraphResult {
    const expand = this.expands(r);
    const p = this.requirePolicy(kind, id);
    const path = kind === "groupPolicyConfigurations" ? "deviceManagement/groupPolicyConfigurations" : "deviceManagement/virtualEndpoint/provisioningPolicies";
    return ok({ "@odata.context": this.context(r, `${path}${expand ? "(assignments())" : ""}/$entity`), ...this.policyEntity(kind, p, expand) });
  }

  private policyInput(r: GraphRequest, kind: PolicyKind, requireName: boolean): Record<string, unknown> {
    const body = objectBody(r.body);
    const out: Record<string, unknown> = {};
    const intuneProps = new Set(["displayName", "description", "roleScopeTagIds", "policyConfigurationIngestionType"]);
    for (const [key, value] of Object.entries(body)) {
      if (key.startsWith("@odata.") || key === "id" || key === "createdDateTime" || key === "lastModifiedDateTime") continue;
      if (key === "assignments") throw badRequest(`Property 'assignments' cannot be written here; use the assign action.`);
      // Intune's type is small and fully modelled; Windows 365 policies carry many settings that the emulator
      // stores without interpreting them.
      if (kind === "groupPolicyConfigurations" && !intuneProps.has(key)) {
        throw badRequest(`The property '${key}' does not exist on type 'microsoft.graph.groupPolicyConfiguration'. Make sure to only use property names that are defined by the type or mark the type as open type.`);
      }
      out[key] = value;
    }
    if ("displayName" in out && typeof out.displayName !== "string") throw badRequest(`Cannot convert the value of property 'displayName' to the expected type 'Edm.String'.`);
    if ("description" in out && out.description !== null && typeof out.description !== "string") throw badRequest(`Cannot convert the value of property 'description' to the expected type 'Edm.String'.`);
    if (requireName && !out.displayName) throw badRequest(`Property 'displayName' is required.`);
    if ("provisioningType" in out && !["dedicated", "shared", "sharedByUser", "sharedByEntraGroup"].includes(out.provisioningType as string)) {
      throw badRequest(`Invalid value for property 'provisioningType' of enum type 'microsoft.graph.cloudPcProvisioningType'.`);
    }
    return out;
  }

  private createPolicy(r: GraphRequest, kind: PolicyKind): GraphResult {
    const p = this.store.createPolicy(kind, this.policyInput(r, kind, true));
    const path = kind === "groupPolicyConfigurations" ? "deviceManagement/groupPolicyConfigurations" : "deviceManagement/virtualEndpoint/provisioningPolicies";
    return { status: 201, body: { "@odata.context": this.context(r, `${path}/$entity`), ...this.policyEntity(kind, p, false) },
      headers: { Location: `${r.base}/${r.version}/${path}('${p.id}')` } };
  }

  private patchPolicy(r: GraphRequest, kind: PolicyKind, id: string): GraphResult {
    this.requirePolicy(kind, id);
    this.store.updatePolicy(kind, id, this.policyInput(r, kind, false));
    return { status: 204 };
  }

  private deletePolicy(kind: PolicyKind, id: string): GraphResult {
    this.requirePolicy(kind, id);
    this.store.deletePolicy(kind, id);
    return { status: 204 };
  }

  private requirePolicy(kind: PolicyKind, id: string): StoredPolicy {
    const p = this.store.policy(kind, id);
    if (!p) {
      const type = kind === "groupPolicyConfigurations" ? "groupPolicyConfiguration" : "cloudPcProvisioningPolicy";
      throw new GraphError(404, "ResourceNotFound", `Resource '${id}' of type '${type}' was not found.`);
    }
    return p;
  }

  private requireAssignment(kind: PolicyKind, policy: StoredPolicy, assignmentId: string): StoredAssignment {
    const a = policy.assignments.find((x) => x.id.toLowerCase() === assignmentId.toLowerCase());
    if (!a) {
      const type = kind === "groupPolicyConfigurations" ? "groupPolicyConfigurationAssignment" : "cloudPcProvisioningPolicyAssignment";
      throw new GraphError(404, "ResourceNotFound", `Resource '${assignmentId}' of type '${type}' was not found.`);
    }
    return a;
  }

  /** Intune (and the Windows 365 service, when switched on) refuse item-level writes on /assignments. */
  private refuseItemRoute(r: GraphRequest, kind: PolicyKind, policyId: string, assignmentId?: string): void {
    if (this.faults.refusesItemRoutes(kind)) throw noODataRoute(r, kind, policyId, assignmentId);
  }

  /** A tenant may also serve assignments only through the policy's list: GET on an item gets the same 400. */
  private refuseItemRead(r: GraphRequest, kind: PolicyKind, policyId: string, assignmentId: string): void {
    if (this.faults.refusesItemReads(kind)) throw noODataRoute(r, kind, policyId, assignmentId);
  }

  // ---- Intune assignments --------------------------------------------------------------------------------

  private intuneContext(r: GraphRequest, policyId: string, entity: boolean): string {
    return this.context(r, `deviceManagement/groupPolicyConfigurations('${policyId}')/assignments${entity ? "/$entity" : ""}`);
  }

  private listIntuneAssignments(r: GraphRequest, policyId: string): GraphResult {
    const p = this.requirePolicy("groupPolicyConfigurations", policyId);
    const page = this.page(r, p.assignments);
    return ok({ "@odata.context": this.intuneContext(r, p.id, false), ...page, value: page.value.map(intuneAssignmentEntity) });
  }

  private getIntuneAssignment(r: GraphRequest, policyId: string, assignmentId: string): GraphResult {
    this.refuseItemRead(r, "groupPolicyConfigurations", policyId, assignmentId);
    const p = this.requirePolicy("groupPolicyConfigurations", policyId);
    const a = this.requireAssignment("groupPolicyConfigurations", p, assignmentId);
    return ok({ "@odata.context": this.intuneContext(r, p.id, true), ...intuneAssignmentEntity(a) });
  }

  private createIntuneAssignment(r: GraphRequest, policyId: string): GraphResult {
    this.refuseItemRoute(r, "groupPolicyConfigurations", policyId);
    const p = this.requirePolicy("groupPolicyConfigurations", policyId);
    const input = validateIntuneAssignment(r.body, true);
    const target = input.target!;
    rejectDuplicate(p, target);
    const a = this.store.addAssignment(p, target);
    return { status: 201, body: { "@odata.context": this.intuneContext(r, p.id, true), ...intuneAssignmentEntity(a) },
      headers: { Location: `${r.base}/${r.version}/deviceManagement/groupPolicyConfigurations('${p.id}')/assignments('${a.id}')` } };
  }

  private patchIntuneAssignment(r: GraphRequest, policyId: string, assignmentId: string): GraphResult {
    this.refuseItemRoute(r, "groupPolicyConfigurations", policyId, assignmentId);
    const p = this.requirePolicy("groupPolicyConfigurations", policyId);
    const a = this.requireAssignment("groupPolicyConfigurations", p, assignmentId);
    const input = validateIntuneAssignment(r.body, false);
    const target = input.target ?? a.target;
    rejectDuplicate(p, target, a.id);
    this.store.updateAssignment(a, target);
    return ok({ "@odata.context": this.intuneContext(r, p.id, true), ...intuneAssignmentEntity(a) });
  }

  private assignIntune(r: GraphRequest, policyId: string): GraphResult {
    const p = this.requirePolicy("groupPolicyConfigurations", policyId);
    const entries = assignBody(r.body);
    const inputs = entries.map((e) => validateIntuneAssignment(e, true));
    const seen = new Set<string>();
    const next = inputs.map((input) => {
      const target = input.target!;
      const key = targetKey(target);
      if (seen.has(key)) throw badRequest(`The assignments list contains the same target twice (property 'assignments').`);
      seen.add(key);
      // Keep the id of an existing assignment the client named or whose target is unchanged, so ids stay stable.
      const existing = p.assignments.find((a) => input.id !== undefined && a.id.toLowerCase() === input.id.toLowerCase())
        ?? p.assignments.find((a) => targetKey(a.target) === key);
      return { id: existing?.id ?? newGuid(), target };
    });
    const ids = new Set<string>();
    for (const n of next) {
      if (ids.has(n.id)) n.id = newGuid();
      ids.add(n.id);
    }
    // An ignored assign (fault) answers with the list it was sent and keeps the old one.
    const stored = this.faults.ignoresAssign() ? next.map((n) => ({ ...n, lastModifiedDateTime: graphTimestamp() })) : this.store.replaceAssignments(p, next);
    return ok({ "@odata.context": this.context(r, "Collection(microsoft.graph.groupPolicyConfigurationAssignment)"), value: stored.map(intuneAssignmentEntity) });
  }

  private deleteAssignment(r: GraphRequest, kind: PolicyKind, policyId: string, assignmentId: string): GraphResult {
    this.refuseItemRoute(r, kind, policyId, assignmentId);
    const p = this.requirePolicy(kind, policyId);
    this.requireAssignment(kind, p, assignmentId);
    this.store.deleteAssignment(p, assignmentId);
    return { status: 204 };
  }

  // ---- Windows 365 assignments ---------------------------------------------------------------------------

  private cloudPcContext(r: GraphRequest, policyId: string, shape: "current" | "legacy", entity: boolean): string {
    const path = shape === "current"
      ? `deviceManagement/virtualEndpoint/provisioningPolicies('${policyId}')/assignments`
      : `provisioningPolicies('${policyId}')/assignments`;
    return this.context(r, `${path}${entity ? "/$entity" : ""}`);
  }

  private cloudPcShape(a: StoredAssignment, shape: "current" | "legacy"): Record<string, unknown> {
    return shape === "current" ? cloudPcAssignmentEntity(a) : legacyItemEntity(a);
  }

  private listCloudPcAssignments(r: GraphRequest, policyId: string, shape: "current" | "legacy"): GraphResult {
    const p = this.requirePolicy("provisioningPolicies", policyId);
    const page = this.page(r, p.assignments);
    return ok({ "@odata.context": this.cloudPcContext(r, p.id, shape, false), ...page, value: page.value.map((a) => this.cloudPcShape(a, shape)) });
  }

  private getCloudPcAssignment(r: GraphRequest, policyId: string, assignmentId: string, shape: "current" | "legacy"): GraphResult {
    this.refuseItemRead(r, "provisioningPolicies", policyId, assignmentId);
    const p = this.requirePolicy("provisioningPolicies", policyId);
    const a = this.requireAssignment("provisioningPolicies", p, assignmentId);
    return ok({ "@odata.context": this.cloudPcContext(r, p.id, shape, true), ...this.cloudPcShape(a, shape) });
  }

  /** Reads a POST/PATCH body of either shape into a full cloudPcManagementGroupAssignmentTarget. */
  private cloudPcTarget(r: GraphRequest, p: StoredPolicy, shape: "current" | "legacy", current?: StoredAssignment): Record<string, unknown> | undefined {
    const provisioningType = p.properties.provisioningType;
    if (shape === "current") return validateCloudPcAssignment(r.body, current === undefined, provisioningType).target;
    const { groupId } = validateLegacyItem(r.body, current === undefined);
    if (groupId === undefined) return undefined;
    return validateCloudPcTarget({ ...(current?.target ?? { "@odata.type": `${NS}cloudPcManagementGroupAssignmentTarget` }), groupId }, provisioningType);
  }

  private createCloudPcAssignment(r: GraphRequest, policyId: string, shape: "current" | "legacy"): GraphResult {
    this.refuseItemRoute(r, "provisioningPolicies", policyId);
    const p = this.requirePolicy("provisioningPolicies", policyId);
    const target = this.cloudPcTarget(r, p, shape)!;
    rejectDuplicate(p, target);
    const a = this.store.addAssignment(p, target, `${p.id}_${String(target.groupId)}`);
    const prefix = shape === "current" ? "deviceManagement/virtualEndpoint/provisioningPolicies" : "provisioningPolicies";
    return { status: 201, body: { "@odata.context": this.cloudPcContext(r, p.id, shape, true), ...this.cloudPcShape(a, shape) },
      headers: { Location: `${r.base}/${r.version}/${prefix}('${p.id}')/assignments('${a.id}')` } };
  }

  private patchCloudPcAssignment(r: GraphRequest, policyId: string, assignmentId: string, shape: "current" | "legacy"): GraphResult {
    this.refuseItemRoute(r, "provisioningPolicies", policyId, assignmentId);
    const p = this.requirePolicy("provisioningPolicies", policyId);
    const a = this.requireAssignment("provisioningPolicies", p, assignmentId);
    const target = this.cloudPcTarget(r, p, shape, a) ?? a.target;
    rejectDuplicate(p, target, a.id);
    // The id is the entity key and stays as created, even when the group changes.
    this.store.updateAssignment(a, target);
    return ok({ "@odata.context": this.cloudPcContext(r, p.id, shape, true), ...this.cloudPcShape(a, shape) });
  }

  private assignCloudPc(r: GraphRequest, policyId: string): GraphResult {
    const p = this.requirePolicy("provisioningPolicies", policyId);
    const entries = assignBody(r.body);
    const seen = new Set<string>();
    const next = entries.map((e) => {
      const target = validateCloudPcAssignment(e, true, p.properties.provisioningType).target!;
      const key = targetKey(target);
      if (seen.has(key)) throw badRequest(`The assignments list contains the same group twice (property 'assignments').`);
      seen.add(key);
      return { id: `${p.id}_${String(target.groupId)}`, target };
    });
    if (!this.faults.ignoresAssign()) this.store.replaceAssignments(p, next);
    return { status: 204 };
  }

  // ---- groups --------------------------------------------------------------------------------------------

  private listGroups(r: GraphRequest): GraphResult {
    let groups: readonly StoredGroup[] = this.store.groups();
    const filter = r.query.get("$filter");
    if (filter !== null) {
      const m = /^\s*(displayName|id|mailNickname)\s+eq\s+'((?:[^']|'')*)'\s*$/i.exec(filter);
      if (!m) throw new GraphError(400, "Request_UnsupportedQuery", `Unsupported or invalid query filter clause specified for property '${filter.split(/\s/)[0]}' of resource 'Group'.`);
      const property = m[1].toLowerCase();
      const value = m[2].replace(/''/g, "'");
      // Directory string comparisons are case-insensitive.
      groups = groups.filter((g) => {
        const actual = property === "id" ? g.id : property === "displayname" ? g.displayName : g.mailNickname;
        return (actual ?? "").toLowerCase() === value.toLowerCase();
      });
    }
    return ok({ "@odata.context": this.context(r, "groups"), value: groups.map(groupEntity) });
  }

  private getGroup(r: GraphRequest, id: string): GraphResult {
    const g = this.store.group(id);
    if (!g) {
      throw new GraphError(404, "Request_ResourceNotFound", `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`);
    }
    return ok({ "@odata.context": this.context(r, "groups/$entity"), ...groupEntity(g) });
  }
}

/** Intune's OData routing error for a route the tenant does not serve (plain message: routing precedes Intune). */
function noODataRoute(r: GraphRequest, kind: PolicyKind, policyId: string, assignmentId?: string): GraphError {
  const template = assignmentId === undefined ? "~/singleton/navigation/key/navigation" : "~/singleton/navigation/key/navigation/key";
  const servicePath = kind === "groupPolicyConfigurations"
    ? `/DeviceConfiguration_2405/StatelessDeviceConfigurationFEService/deviceManagement/groupPolicyConfigurations('${policyId}')/assignments`
    : `/CloudPC_2405/CloudPCService/deviceManagement/virtualEndpoint/provisioningPolicies('${policyId}')/assignments`;
  const request = assignmentId === undefined ? servicePath : `${servicePath}('${assignmentId}')`;
  return new GraphError(400, "BadRequest",
    `No OData route exists that match template ${template} with http verb ${r.method} for request ${request}. ` +
      `No method match route template '${template}' with http verb ${r.method}.`, {}, true);
}

/** The pattern of a whole route path; each key segment is captured. */
function re(path: string): RegExp {
  return new RegExp(`^${path.replaceAll(SEG, "([^/]+)")}/?$`, "i");
}

/** One pattern per segment of a route path. */
function segmentPatterns(path: string): RegExp[] {
  return path.split("/").filter(Boolean).map((segment) => new RegExp(`^${segment.replaceAll(SEG, "[^/]+")}$`, "i"));
}

/**
 * The first segment of `path` that no route continues with: Graph names that one ("Resource not found for the
 * segment 'x'"), e.g. 'provisioningPolicies' for /provisioningPolicies/{id}/assignments where that root is absent.
 */
function unknownSegment(routes: readonly Route[], path: string): string {
  const segments = path.split("/").filter(Boolean);
  for (let i = 0; i < segments.length; i++) {
    const known = routes.some((route) => route.segments.length > i && segments.slice(0, i + 1).every((seg, j) => route.segments[j].test(safeDecode(seg))));
    if (!known) return segments[i];
  }
  return segments.at(-1) ?? "";
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** `$top` as a page-size cap; absent → undefined; not a non-negative integer → 400 as OData answers. */
function topOf(query: URLSearchParams): number | undefined {
  const text = query.get("$top");
  if (text === null) return undefined;
  if (!/^\d+$/.test(text.trim())) throw badRequest(`Invalid value '${text}' for $top query option found. The $top query option requires a non-negative integer value.`);
  return Number(text.trim());
}

/**
 * `$skiptoken` is opaque to clients; here it is base64url of "offset:collection" so that a token from another
 * collection, or one a client made up, is refused instead of silently serving the wrong page.
 */
function encodeSkipToken(path: string, offset: number): string {
  return Buffer.from(`${offset}:${collectionKey(path)}`, "utf8").toString("base64url");
}

function skipTokenOffset(path: string, query: URLSearchParams): number {
  const token = query.get("$skiptoken");
  if (token === null) return 0;
  const m = /^(\d+):(.*)$/s.exec(Buffer.from(token, "base64url").toString("utf8"));
  if (!m || m[2] !== collectionKey(path)) throw badRequest(`The $skiptoken value '${token}' is not valid for this collection.`);
  return Number(m[1]);
}

function collectionKey(path: string): string {
  return path.toLowerCase().replace(/\/+$/, "");
}

function ok(body: unknown): GraphResult {
  return { status: 200, body };
}

function objectBody(body: unknown): Record<string, unknown> {
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw badRequest("The request body must be a JSON object.");
  }
  return body as Record<string, unknown>;
}

/** The body of an `assign` action: exactly {"assignments":[...]}. */
function assignBody(body: unknown): unknown[] {
  const obj = objectBody(body);
  for (const key of Object.keys(obj)) {
    if (key !== "assignments") throw badRequest(`The parameter '${key}' in the request payload is not a valid parameter for the operation 'assign'.`);
  }
  if (!Array.isArray(obj.assignments)) throw badRequest(`The parameter 'assignments' of the operation 'assign' must be a JSON array.`);
  return obj.assignments;
}

/**
 * Judgement call: a second assignment for a target already on the policy answers 409 Conflict (Graph's code for
 * "already exists"), naming the existing assignment so a client can adopt it.
 */
function rejectDuplicate(p: StoredPolicy, target: Record<string, unknown>, exceptId?: string): void {
  const key = targetKey(target);
  const clash = p.assignments.find((a) => a.id !== exceptId && targetKey(a.target) === key);
  if (clash) {
    throw new GraphError(409, "Conflict", `An assignment for this target already exists on policy '${p.id}' (assignment '${clash.id}'; property 'target').`);
  }
}

function intuneAssignmentEntity(a: StoredAssignment): Record<string, unknown> {
  return { "@odata.type": `${NS}groupPolicyConfigurationAssignment`, id: a.id, lastModifiedDateTime: a.lastModifiedDateTime, target: { ...a.target } };
}

function cloudPcAssignmentEntity(a: StoredAssignment): Record<string, unknown> {
  return { id: a.id, target: { ...a.target } };
}

function legacyItemEntity(a: StoredAssignment): Record<string, unknown> {
  return { "@odata.type": `${NS}provisionPolicyAssignmentItem`, id: a.id, groupId: a.target.groupId ?? null };
}

function groupEntity(g: StoredGroup): Record<string, unknown> {
  return {
    id: g.id, displayName: g.displayName, description: g.description ?? null, mailNickname: g.mailNickname ?? null,
    mailEnabled: g.mailEnabled ?? false, securityEnabled: g.securityEnabled ?? true, groupTypes: [],
    createdDateTime: g.createdDateTime ?? null,
  };
}

/** True for methods that change state (for throttling and "commit then drop"). */
export function isWriteMethod(method: string): boolean {
  return method === "POST" || method === "PATCH" || method === "PUT" || method === "DELETE";
}

/** Error for a token that lacks the roles a route needs. */
export function forbidden(service: GraphService, write: boolean): GraphError {
  const roles = write ? SERVICE_ROLES[service].write : SERVICE_ROLES[service].read;
  if (service === "directory") {
    return new GraphError(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.");
  }
  return new GraphError(403, "Forbidden", `Application is not authorized to perform this operation. Application must have one of the following scopes: ${roles.join(", ")}`);
}

