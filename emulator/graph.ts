/**
 * Microsoft Graph routes of every assignment family in emulator/families.ts (collection, policy, /assignments,
 * items, `assign`), the Windows 365 provisioning policies' current and legacy routes over one store, and enough
 * of /groups and /deviceManagement/assignmentFilters for name-to-id lookups. `$select` on policy and filter
 * collections keeps `id`, `@odata.type` and the named properties.
 *
 * Handlers return a {@link GraphResult} or throw {@link GraphError}; authentication, throttling and fault
 * injection happen before them in the server, so handlers only see requests that Graph would process.
 */
import { badRequest, GraphError } from "./errors";
import type { FaultController } from "./faults";
import { Roles } from "./constants";
import { FAMILIES, familyOf, type Family, type GraphService, type ItemVerb } from "./families";
import { validateFamilyAssignment } from "./family-validation";
import { typeNameOf, validateValue, type PropSpecs } from "./schema";
import type { PolicyKind, StoredAssignment, StoredPolicy, Store, StoredFilter, StoredGroup } from "./store";
import { targetKey, validateCloudPcAssignment, validateCloudPcTarget, validateLegacyItem } from "./validation";
import { graphTimestamp, newGuid } from "./ids";

export type { GraphService } from "./families";

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
  // Enrollment configurations and Autopilot profiles document DeviceManagementServiceConfig.* and accept the
  // configuration permissions as well.
  intuneEnrollment: {
    read: [Roles.DeviceManagementServiceConfigRead, Roles.DeviceManagementServiceConfigReadWrite, Roles.DeviceManagementConfigurationRead, Roles.DeviceManagementConfigurationReadWrite],
    write: [Roles.DeviceManagementServiceConfigReadWrite, Roles.DeviceManagementConfigurationReadWrite],
  },
  intuneApps: { read: [Roles.DeviceManagementAppsRead, Roles.DeviceManagementAppsReadWrite], write: [Roles.DeviceManagementAppsReadWrite] },
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
    const routes: Omit<Route, "pattern" | "segments">[] = [];
    for (const family of FAMILIES) {
      if (family.kind === "provisioningPolicies") routes.push(...this.provisioningRoutes(family));
      else routes.push(...this.familyRoutes(family));
    }
    routes.push(
      { path: `/deviceAppManagement/managedAppPolicies/${SEG}/assign`, versions: BETA, service: "intuneApps", handlers: {
        POST: (r, [id]) => this.assignManagedAppPolicy(r, id) } },
      { path: "/groups", versions: BOTH, service: "directory", handlers: { GET: (r) => this.listGroups(r) } },
      { path: `/groups/${SEG}`, versions: BOTH, service: "directory", handlers: { GET: (r, [id]) => this.getGroup(r, id) } },
      { path: "/deviceManagement/assignmentFilters", versions: BETA, service: "intune", handlers: { GET: (r) => this.listFilters(r) } },
      { path: `/deviceManagement/assignmentFilters/${SEG}`, versions: BETA, service: "intune", handlers: { GET: (r, [id]) => this.getFilter(r, id) } },
    );
    this.routes = routes.map((route) => ({ ...route, pattern: re(route.path), segments: segmentPatterns(route.path) }));
  }

  /** The routes of one family from its table entry: collection, policy, /assignments, items and `assign`. */
  private familyRoutes(f: Family): Omit<Route, "pattern" | "segments">[] {
    const base = { versions: f.versions, service: f.service };
    const routes: Omit<Route, "pattern" | "segments">[] = [
      { ...base, path: f.collection, handlers: {
        GET: (r) => this.listPolicies(r, f),
        POST: (r) => this.createPolicy(r, f) } },
      { ...base, path: `${f.collection}/${SEG}`, handlers: {
        GET: (r, [id]) => this.getPolicy(r, f, id),
        PATCH: (r, [id]) => this.patchPolicy(r, f, id),
        DELETE: (r, [id]) => this.deletePolicy(f, id) } },
      { ...base, path: `${f.collection}/${SEG}/assignments`, handlers: {
        GET: (r, [id]) => this.listAssignments(r, f, id),
        POST: (r, [id]) => this.createAssignment(r, f, id) } },
      { ...base, path: `${f.collection}/${SEG}/assignments/${SEG}`, handlers: {
        GET: (r, [id, aid]) => this.getAssignment(r, f, id, aid),
        PATCH: (r, [id, aid]) => this.patchAssignment(r, f, id, aid),
        DELETE: (r, [id, aid]) => this.deleteAssignment(r, f.kind, id, aid) } },
    ];
    for (const suffix of f.assign?.paths ?? []) {
      routes.push({ ...base, path: `${f.collection}/${SEG}/${suffix}`, handlers: { POST: (r, [id]) => this.assign(r, f, this.requirePolicy(f.kind, id)) } });
    }
    // Documented but refused (or not documented at all): the OData routing 400 for an action, naming the path.
    const refused = f.assign ? f.assign.refusedPaths ?? [] : ["assign"];
    for (const suffix of refused) {
      routes.push({ ...base, path: `${f.collection}/${SEG}/${suffix}`, handlers: { POST: (r, [id]) => { throw noODataRoute(r, f, id, { action: suffix }); } } });
    }
    return routes;
  }

  private provisioningRoutes(f: Family): Omit<Route, "pattern" | "segments">[] {
    const ve = f.collection;
    return [
      { path: ve, versions: BOTH, service: "cloudPc", handlers: {
        GET: (r) => this.listPolicies(r, f),
        POST: (r) => this.createPolicy(r, f) } },
      { path: `${ve}/${SEG}`, versions: BOTH, service: "cloudPc", handlers: {
        GET: (r, [id]) => this.getPolicy(r, f, id),
        PATCH: (r, [id]) => this.patchPolicy(r, f, id),
        DELETE: (r, [id]) => this.deletePolicy(f, id) } },
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
    ];
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

  private policyEntity(f: Family, p: StoredPolicy, expandAssignments: boolean, one = false): Record<string, unknown> {
    const entity: Record<string, unknown> = { "@odata.type": `${NS}${f.policyType}`, id: p.id, ...p.properties };
    if (expandAssignments) {
      // The documented service issue concerns GET of one policy; the list expands fully.
      const quirk = one && f.expandEmptyFor?.(p.properties) === true;
      entity.assignments = quirk ? [] : p.assignments.map((a) => assignmentEntity(f, a));
    }
    return entity;
  }

  /** Whether `$expand=assignments` was asked for; a 400 where the family does not serve it on this route. */
  private expands(r: GraphRequest, f: Family, on: "list" | "item"): boolean {
    const expand = r.query.get("$expand");
    if (expand === null) return false;
    const items = expand.split(",").map((s) => s.trim());
    for (const item of items) {
      if (item.toLowerCase() !== "assignments") throw badRequest(`Could not find a property named '${item}' on type '${NS.slice(1)}${f.policyType}' ($expand).`);
    }
    if (!f.expand[on]) {
      throw badRequest(
        `The query option '$expand=assignments' is not supported on ${on === "list" ? "the collection" : "one entity"} of ` +
          `'${NS.slice(1)}${f.policyType}' here; read ${f.collection}/{id}/assignments instead.`,
      );
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

  private listPolicies(r: GraphRequest, f: Family): GraphResult {
    const expand = this.expands(r, f, "list");
    const path = f.collection.slice(1);
    const page = this.page(r, this.store.policies(f.kind));
    return ok({
      "@odata.context": this.context(r, expand ? `${path}(assignments())` : path),
      ...page,
      value: page.value.map((p) => selected(r, this.policyEntity(f, p, expand))),
    });
  }

  private getPolicy(r: GraphRequest, f: Family, id: string): GraphResult {
    const expand = this.expands(r, f, "item");
    const p = this.requirePolicy(f.kind, id);
    return ok({ "@odata.context": this.context(r, `${f.collection.slice(1)}${expand ? "(assignments())" : ""}/$entity`), ...this.policyEntity(f, p, expand, true) });
  }

  private policyInput(r: GraphRequest, f: Family, requireName: boolean): Record<string, unknown> {
    const body = objectBody(r.body);
    const out: Record<string, unknown> = {};
    const intuneProps = new Set(["displayName", "description", "roleScopeTagIds", "policyConfigurationIngestionType"]);
    // The two original kinds keep their own @odata.type; other families store the concrete type a client names.
    const keepsType = f.kind !== "groupPolicyConfigurations" && f.kind !== "provisioningPolicies";
    for (const [key, value] of Object.entries(body)) {
      if (key === "@odata.type" && keepsType) {
        out[key] = `#${NS.slice(1)}${typeNameOf(value, "@odata.type")}`;
        continue;
      }
      if (key.startsWith("@odata.") || key === "id" || key === "createdDateTime" || key === "lastModifiedDateTime") continue;
      if (key === "assignments") throw badRequest(`Property 'assignments' cannot be written here; use the assign action.`);
      // Administrative templates are small and fully modelled; other policies carry many settings that the
      // emulator stores without interpreting them.
      if (f.kind === "groupPolicyConfigurations" && !intuneProps.has(key)) {
        throw badRequest(`The property '${key}' does not exist on type 'microsoft.graph.groupPolicyConfiguration'. Make sure to only use property names that are defined by the type or mark the type as open type.`);
      }
      out[key] = value;
    }
    if ("displayName" in out && typeof out.displayName !== "string") throw badRequest(`Cannot convert the value of property 'displayName' to the expected type 'Edm.String'.`);
    if ("description" in out && out.description !== null && typeof out.description !== "string") throw badRequest(`Cannot convert the value of property 'description' to the expected type 'Edm.String'.`);
    if (requireName && !out.displayName) throw badRequest(`Property 'displayName' is required.`);
    if (f.kind === "provisioningPolicies" && "provisioningType" in out && !["dedicated", "shared", "sharedByUser", "sharedByEntraGroup"].includes(out.provisioningType as string)) {
      throw badRequest(`Invalid value for property 'provisioningType' of enum type 'microsoft.graph.cloudPcProvisioningType'.`);
    }
    if (requireName && f.createRequires) {
      const value = out[f.createRequires.property];
      if (!Array.isArray(value) || value.length === 0) throw badRequest(`${f.createRequires.message} (property '${f.createRequires.property}').`);
    }
    return out;
  }

  private createPolicy(r: GraphRequest, f: Family): GraphResult {
    const p = this.store.createPolicy(f.kind, this.policyInput(r, f, true));
    const path = f.collection.slice(1);
    return { status: 201, body: { "@odata.context": this.context(r, `${path}/$entity`), ...this.policyEntity(f, p, false) },
      headers: { Location: `${r.base}/${r.version}/${path}('${p.id}')` } };
  }

  private patchPolicy(r: GraphRequest, f: Family, id: string): GraphResult {
    this.requirePolicy(f.kind, id);
    this.store.updatePolicy(f.kind, id, this.policyInput(r, f, false));
    return { status: 204 };
  }

  private deletePolicy(f: Family, id: string): GraphResult {
    this.requirePolicy(f.kind, id);
    this.store.deletePolicy(f.kind, id);
    return { status: 204 };
  }

  private requirePolicy(kind: PolicyKind, id: string): StoredPolicy {
    const p = this.store.policy(kind, id);
    if (!p) throw new GraphError(404, "ResourceNotFound", `Resource '${id}' of type '${familyOf(kind).policyType}' was not found.`);
    return p;
  }

  private requireAssignment(kind: PolicyKind, policy: StoredPolicy, assignmentId: string): StoredAssignment {
    const a = policy.assignments.find((x) => x.id.toLowerCase() === assignmentId.toLowerCase());
    if (!a) throw new GraphError(404, "ResourceNotFound", `Resource '${assignmentId}' of type '${familyOf(kind).assignmentType}' was not found.`);
    return a;
  }

  /**
   * Whether the tenant serves an item route of a family. The switches win when set (`refuseItemRoutes[kind]` for
   * POST/PATCH/DELETE, `refuseItemReads[kind]` for GET on an item; `false` also opens a list the family refuses
   * by default); otherwise the family's default (routes the fact sheet reports refused, or does not document).
   */
  private refuses(f: Family, verb: ItemVerb): boolean {
    const write = verb === "create" || verb === "update" || verb === "delete";
    const switched = write ? this.faults.itemRoutesSwitch(f.kind) : this.faults.itemReadsSwitch(f.kind);
    if (switched === false) return false;
    if (switched === true && verb !== "list") return true;
    return f.refusedByDefault.includes(verb);
  }

  /** Answers an item route the tenant does not serve with Intune's OData routing 400. */
  private refuseItemRoute(r: GraphRequest, kind: PolicyKind, policyId: string, assignmentId?: string): void {
    const f = familyOf(kind);
    const verb: ItemVerb = r.method === "POST" ? "create" : r.method === "PATCH" ? "update" : r.method === "DELETE" ? "delete"
      : assignmentId === undefined ? "list" : "get";
    if (this.refuses(f, verb)) throw noODataRoute(r, f, policyId, { assignmentId });
  }

  /** A tenant may also serve assignments only through the policy's list: GET on an item gets the same 400. */
  private refuseItemRead(r: GraphRequest, kind: PolicyKind, policyId: string, assignmentId: string): void {
    this.refuseItemRoute(r, kind, policyId, assignmentId);
  }

  // ---- assignments of every family but the provisioning policies -------------------------------------------

  private assignmentsContext(r: GraphRequest, f: Family, policyId: string, entity: boolean): string {
    return this.context(r, `${f.collection.slice(1)}('${policyId}')/assignments${entity ? "/$entity" : ""}`);
  }

  private listAssignments(r: GraphRequest, f: Family, policyId: string): GraphResult {
    this.refuseItemRoute(r, f.kind, policyId);
    const p = this.requirePolicy(f.kind, policyId);
    const page = this.page(r, p.assignments);
    return ok({ "@odata.context": this.assignmentsContext(r, f, p.id, false), ...page, value: page.value.map((a) => assignmentEntity(f, a)) });
  }

  private getAssignment(r: GraphRequest, f: Family, policyId: string, assignmentId: string): GraphResult {
    this.refuseItemRead(r, f.kind, policyId, assignmentId);
    const p = this.requirePolicy(f.kind, policyId);
    const a = this.requireAssignment(f.kind, p, assignmentId);
    return ok({ "@odata.context": this.assignmentsContext(r, f, p.id, true), ...assignmentEntity(f, a) });
  }

  private createAssignment(r: GraphRequest, f: Family, policyId: string): GraphResult {
    this.refuseItemRoute(r, f.kind, policyId);
    const p = this.requirePolicy(f.kind, policyId);
    const input = validateFamilyAssignment(f, p, r.body, "full");
    const target = input.target!;
    rejectDuplicate(p, target);
    const id = f.assignmentId === "policyGroup" ? `${p.id}_${String(target.groupId)}` : undefined;
    const a = this.store.addAssignment(p, target, id, input.properties, stampsCreated(f));
    return { status: 201, body: { "@odata.context": this.assignmentsContext(r, f, p.id, true), ...assignmentEntity(f, a) },
      headers: { Location: `${r.base}/${r.version}${f.collection}('${p.id}')/assignments('${a.id}')` } };
  }

  private patchAssignment(r: GraphRequest, f: Family, policyId: string, assignmentId: string): GraphResult {
    this.refuseItemRoute(r, f.kind, policyId, assignmentId);
    const p = this.requirePolicy(f.kind, policyId);
    const a = this.requireAssignment(f.kind, p, assignmentId);
    const input = validateFamilyAssignment(f, p, r.body, "patch");
    const target = input.target ?? a.target;
    rejectDuplicate(p, target, a.id);
    this.store.updateAssignment(a, target, input.properties);
    return ok({ "@odata.context": this.assignmentsContext(r, f, p.id, true), ...assignmentEntity(f, a) });
  }

  /**
   * The `assign` action: replaces the whole list with the entries under the family's body key (Autopilot: records
   * device ids). Ids of entries whose id was sent or whose target is unchanged are kept.
   */
  private assign(r: GraphRequest, f: Family, p: StoredPolicy): GraphResult {
    const action = f.assign!;
    const body = objectBody(r.body);
    const allowed = new Set([action.key, ...(action.legacy ? [action.legacy.key] : [])]);
    for (const key of Object.keys(body)) {
      if (!allowed.has(key)) {
        throw badRequest(`The parameter '${key}' in the request payload is not a valid parameter for the operation 'assign'; expected ${[...allowed].map((k) => `'${k}'`).join(" or ")}.`);
      }
    }
    if (!Array.isArray(body[action.key])) throw badRequest(`The parameter '${action.key}' of the operation 'assign' must be a JSON array.`);
    const entries = body[action.key] as unknown[];
    if (action.deviceIds) {
      if (entries.some((e) => typeof e !== "string" || e.length === 0)) throw badRequest(`The parameter '${action.key}' of the operation 'assign' must be an array of device id strings.`);
      this.store.updatePolicyExtras(p, { assignedDeviceIds: [...(entries as string[])] });
      return { status: 204 };
    }
    const legacy = action.legacy && action.legacy.key in body ? legacyEntries(action.legacy, body[action.legacy.key]) : undefined;
    const inputs = entries.map((e) => validateFamilyAssignment(f, p, e, "full"));
    const seen = new Set<string>();
    const next = inputs.map((input) => {
      const target = input.target!;
      const key = targetKey(target);
      if (seen.has(key)) throw badRequest(`The assignments list contains the same target twice (property '${action.key}').`);
      seen.add(key);
      if (f.assignmentId === "policyGroup") return { id: `${p.id}_${String(target.groupId)}`, target, properties: input.properties };
      // Keep the id of an existing assignment the client named or whose target is unchanged, so ids stay stable.
      const existing = p.assignments.find((a) => input.id !== undefined && a.id.toLowerCase() === input.id.toLowerCase())
        ?? p.assignments.find((a) => targetKey(a.target) === key);
      return { id: existing?.id ?? newGuid(), target, properties: input.properties };
    });
    const ids = new Set<string>();
    for (const n of next) {
      if (ids.has(n.id)) n.id = newGuid();
      ids.add(n.id);
    }
    // An ignored assign (fault) answers with the list it was sent and keeps the old one.
    const ignored = this.faults.ignoresAssign();
    if (legacy && !ignored) this.store.updatePolicyExtras(p, { legacyGroupAssignments: legacy });
    const stored = ignored
      ? next.map((n) => ({ ...n, lastModifiedDateTime: graphTimestamp() }))
      : this.store.replaceAssignments(p, next, stampsCreated(f));
    if (action.answer === 204) return { status: 204 };
    return ok({ "@odata.context": this.context(r, `Collection(${NS.slice(1)}${f.assignmentType})`), value: stored.map((a) => assignmentEntity(f, a)) });
  }

  /** `managedAppPolicies/{id}/assign`: the documented assign of every targeted managed app policy, found by id. */
  private assignManagedAppPolicy(r: GraphRequest, policyId: string): GraphResult {
    for (const f of FAMILIES) {
      if (f.assignmentType !== "targetedManagedAppPolicyAssignment") continue;
      const p = this.store.policy(f.kind, policyId);
      if (p) return this.assign(r, f, p);
    }
    throw new GraphError(404, "ResourceNotFound", `Resource '${policyId}' of type 'managedAppPolicy' was not found.`);
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

  // ---- assignment filters --------------------------------------------------------------------------------

  private listFilters(r: GraphRequest): GraphResult {
    if (r.query.get("$filter") !== null) {
      // Judgement call (fact sheet silent): the emulator serves no $filter here, so a client must list and match.
      throw badRequest("The query option '$filter' is not supported on 'deviceAndAppManagementAssignmentFilter' by this emulator.");
    }
    const page = this.page(r, this.store.filters());
    return ok({ "@odata.context": this.context(r, "deviceManagement/assignmentFilters"), ...page, value: page.value.map((f) => selected(r, filterEntity(f))) });
  }

  private getFilter(r: GraphRequest, id: string): GraphResult {
    const f = this.store.filter(id);
    if (!f) throw new GraphError(404, "ResourceNotFound", `Resource '${id}' of type 'deviceAndAppManagementAssignmentFilter' was not found.`);
    return ok({ "@odata.context": this.context(r, "deviceManagement/assignmentFilters/$entity"), ...filterEntity(f) });
  }

  private getGroup(r: GraphRequest, id: string): GraphResult {
    const g = this.store.group(id);
    if (!g) {
      throw new GraphError(404, "Request_ResourceNotFound", `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`);
    }
    return ok({ "@odata.context": this.context(r, "groups/$entity"), ...groupEntity(g) });
  }
}

/**
 * Intune's OData routing error for a route the tenant does not serve (plain message: routing precedes Intune).
 * `action` names a refused action segment (template …/key/action), `assignmentId` an item (…/navigation/key).
 */
function noODataRoute(r: GraphRequest, f: Family, policyId: string, at: { assignmentId?: string; action?: string }): GraphError {
  const template = at.action !== undefined ? "~/singleton/navigation/key/action"
    : at.assignmentId === undefined ? "~/singleton/navigation/key/navigation" : "~/singleton/navigation/key/navigation/key";
  const policyPath = `${f.backend}${f.collection}('${policyId}')`;
  const request = at.action !== undefined ? `${policyPath}/${at.action}`
    : at.assignmentId === undefined ? `${policyPath}/assignments` : `${policyPath}/assignments('${at.assignmentId}')`;
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

/** The body of the Windows 365 provisioning `assign` action: exactly {"assignments":[...]}. */
function assignBody(body: unknown): unknown[] {
  const obj = objectBody(body);
  for (const key of Object.keys(obj)) {
    if (key !== "assignments") throw badRequest(`The parameter '${key}' in the request payload is not a valid parameter for the operation 'assign'; expected 'assignments'.`);
  }
  if (!Array.isArray(obj.assignments)) throw badRequest(`The parameter 'assignments' of the operation 'assign' must be a JSON array.`);
  return obj.assignments;
}

/** Entries of a legacy `assign` parameter, validated against their declared type. */
function legacyEntries(legacy: { key: string; type: string; properties: PropSpecs }, value: unknown): Record<string, unknown>[] {
  if (!Array.isArray(value)) throw badRequest(`The parameter '${legacy.key}' of the operation 'assign' must be a JSON array.`);
  return value.map((entry, i) => {
    const obj = objectBody(entry);
    const clean = Object.fromEntries(Object.entries(obj).filter(([k]) => k !== "@odata.type"));
    if ("@odata.type" in obj && typeNameOf(obj["@odata.type"], `${legacy.key}[${i}].@odata.type`) !== legacy.type) {
      throw badRequest(`A resource of type '${String(obj["@odata.type"])}' was found in '${legacy.key}[${i}]'; '${NS.slice(1)}${legacy.type}' was expected.`);
    }
    return validateValue({ type: "complex", typeName: legacy.type, properties: legacy.properties }, clean, `${legacy.key}[${i}]`) as Record<string, unknown>;
  });
}

/** True where the family returns createdDateTime on its assignments. */
function stampsCreated(f: Family): boolean {
  return f.serverFields.some((s) => s.name === "createdDateTime");
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

/** An assignment in its family's read shape: @odata.type (Intune), id, the family's properties, target, server fields. */
function assignmentEntity(f: Family, a: StoredAssignment): Record<string, unknown> {
  const entity: Record<string, unknown> = f.entityODataType ? { "@odata.type": `${NS}${f.assignmentType}`, id: a.id } : { id: a.id };
  for (const name of Object.keys(f.properties)) entity[name] = structuredClone(a.properties?.[name] ?? null);
  entity.target = { ...a.target };
  if (f.readTargetType !== undefined) entity.target = { ...a.target, "@odata.type": f.readTargetType };
  for (const field of f.serverFields) {
    if (field.name === "source") entity.source = "direct";
    else if (field.name === "sourceId") entity.sourceId = null;
    else if (field.name === "lastModifiedDateTime") entity.lastModifiedDateTime = a.lastModifiedDateTime;
    else entity.createdDateTime = a.createdDateTime ?? a.lastModifiedDateTime;
  }
  return entity;
}

function cloudPcAssignmentEntity(a: StoredAssignment): Record<string, unknown> {
  return { id: a.id, target: { ...a.target } };
}

function legacyItemEntity(a: StoredAssignment): Record<string, unknown> {
  return { "@odata.type": `${NS}provisionPolicyAssignmentItem`, id: a.id, groupId: a.target.groupId ?? null };
}

function filterEntity(f: StoredFilter): Record<string, unknown> {
  return {
    "@odata.type": `${NS}deviceAndAppManagementAssignmentFilter`, id: f.id, displayName: f.displayName, description: f.description ?? null,
    platform: f.platform, rule: f.rule, roleScopeTags: ["0"], createdDateTime: f.createdDateTime ?? null, lastModifiedDateTime: f.lastModifiedDateTime ?? null,
  };
}

/**
 * The entity with only `$select`'s properties (plus `id` and `@odata.type`, which Graph always returns, and an
 * `$expand`ed `assignments`); the whole entity without `$select`.
 */
function selected(r: GraphRequest, entity: Record<string, unknown>): Record<string, unknown> {
  const select = r.query.get("$select");
  if (select === null) return entity;
  const names = new Set(select.split(",").map((s) => s.trim().toLowerCase()).filter(Boolean));
  return Object.fromEntries(Object.entries(entity).filter(([k]) => k === "id" || k === "@odata.type" || k === "assignments" || names.has(k.toLowerCase())));
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

