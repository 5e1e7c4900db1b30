/**
 * One tenant's data: the policies of every family (emulator/families.ts) with their assignment lists, directory
 * groups and Intune assignment filters.
 *
 * Each tenant the emulator hosts has a store of its own (emulator/tenants.ts). Every change goes through a method
 * here, which then persists the whole state when a data file is configured, so a write acknowledged to a client is
 * on disk.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { writeFileAtomic } from "./atomic-file";
import { graphTimestamp, newGuid } from "./ids";
import { familyOf, POLICY_KINDS, type PolicyKind } from "./families";

export { POLICY_KINDS, type PolicyKind } from "./families";

/**
 * One stored assignment. `target` is kept in Graph's JSON shape with a normalized `@odata.type`; `properties`
 * holds the family's properties beyond the target (intent, settings, runSchedule, …) in their read shape.
 */
export interface StoredAssignment {
  id: string;
  lastModifiedDateTime: string;
  /** Set where the family returns it (Windows 365 user settings); kept across `assign`. */
  createdDateTime?: string;
  target: Record<string, unknown>;
  properties?: Record<string, unknown>;
}

/** An assignment as written: what `assign`, item POST and the admin API hand to the store. */
export interface AssignmentWrite {
  id: string;
  target: Record<string, unknown>;
  properties?: Record<string, unknown>;
}

/** One stored policy: Graph-visible properties plus its assignments, in creation order. */
export interface StoredPolicy {
  id: string;
  properties: Record<string, unknown>;
  assignments: StoredAssignment[];
  /** Entries of a legacy `assign` parameter (e.g. deviceConfigurationGroupAssignments), kept apart from `assignments`. */
  legacyGroupAssignments?: Record<string, unknown>[];
  /** Autopilot: the device ids of the last `assign` (which takes device ids, not assignments). */
  assignedDeviceIds?: string[];
}

/** A directory group, enough for display-name lookups. */
export interface StoredGroup {
  id: string;
  displayName: string;
  description?: string | null;
  mailNickname?: string;
  securityEnabled?: boolean;
  mailEnabled?: boolean;
  createdDateTime?: string;
}

/** An Intune assignment filter (deviceAndAppManagementAssignmentFilter), enough for display-name lookups. */
export interface StoredFilter {
  id: string;
  displayName: string;
  description?: string | null;
  platform: string;
  rule: string;
  createdDateTime?: string;
  lastModifiedDateTime?: string;
}

/** Serialized form of the whole store (the data file's content). */
export type StoreSnapshot = { version: 1; groups: StoredGroup[]; filters: StoredFilter[] } & Record<PolicyKind, StoredPolicy[]>;

/** Seed input for a policy; `id` is generated when absent. */
export interface PolicySeed {
  id?: string;
  displayName?: string;
  description?: string;
  /** Windows 365 only: dedicated (default) or shared / sharedByUser / sharedByEntraGroup (Frontline). */
  provisioningType?: string;
  /** Other Graph properties to return as-is. */
  [property: string]: unknown;
}

/** Seed input for an assignment filter; `id` is generated when absent, platform defaults to windows10AndLater. */
export interface FilterSeed {
  id?: string;
  displayName: string;
  description?: string;
  platform?: string;
  rule?: string;
}

/** Seed input for a group; `id` is generated when absent. */
export interface GroupSeed {
  id?: string;
  displayName: string;
  description?: string;
}

function emptySnapshot(): StoreSnapshot {
  const policies = Object.fromEntries(POLICY_KINDS.map((kind) => [kind, [] as StoredPolicy[]])) as Record<PolicyKind, StoredPolicy[]>;
  return { version: 1, groups: [], filters: [], ...policies };
}

/** A new policy id in the family's form: a GUID, or `{guid}_{Type}` for enrollment configurations. */
function newPolicyId(kind: PolicyKind, properties: Record<string, unknown>): string {
  if (familyOf(kind).policyId === "guid") return newGuid();
  const odataType = typeof properties["@odata.type"] === "string" ? properties["@odata.type"] : familyOf(kind).policyType;
  const name = odataType.replace(/^#?microsoft\.graph\./, "");
  return `${newGuid()}_${name.charAt(0).toUpperCase()}${name.slice(1)}`;
}

/** In-memory state with optional write-through JSON persistence. */
export class Store {
  private state: StoreSnapshot;

  /** @param dataFile when set, state is loaded from it (if present) and rewritten after every change. */
  constructor(private readonly dataFile?: string) {
    this.state = emptySnapshot();
    if (dataFile && fs.existsSync(dataFile)) {
      const loaded = JSON.parse(fs.readFileSync(dataFile, "utf8")) as Partial<StoreSnapshot>;
      this.state = { ...emptySnapshot(), ...loaded, version: 1 };
    }
  }

  /** A deep copy of the state, safe to hand out. */
  snapshot(): StoreSnapshot {
    return structuredClone(this.state);
  }

  /** Empties the store (and the data file). */
  reset(): void {
    this.state = emptySnapshot();
    this.persist();
  }

  policies(kind: PolicyKind): readonly StoredPolicy[] {
    return this.state[kind];
  }

  policy(kind: PolicyKind, id: string): StoredPolicy | undefined {
    return this.state[kind].find((p) => p.id.toLowerCase() === id.toLowerCase());
  }

  /** Creates a policy; properties are stored as given, with timestamps and defaults Graph would add. */
  createPolicy(kind: PolicyKind, seed: PolicySeed): StoredPolicy {
    const { id, ...rest } = seed;
    const now = graphTimestamp();
    const family = familyOf(kind);
    const defaults: Record<string, unknown> =
      kind === "groupPolicyConfigurations" ? { policyConfigurationIngestionType: "custom", roleScopeTagIds: ["0"] }
        : kind === "provisioningPolicies" ? { provisioningType: "dedicated" }
          : family.defaultPolicyODataType ? { "@odata.type": family.defaultPolicyODataType } : {};
    const properties: Record<string, unknown> = { displayName: "", description: null, ...defaults, createdDateTime: now, lastModifiedDateTime: now, ...rest };
    const policy: StoredPolicy = { id: id ?? newPolicyId(kind, properties), properties, assignments: [] };
    this.state[kind] = [...this.state[kind].filter((p) => p.id !== policy.id), policy];
    this.persist();
    return policy;
  }

  /** Merges properties into a policy. */
  updatePolicy(kind: PolicyKind, id: string, properties: Record<string, unknown>): StoredPolicy | undefined {
    const policy = this.policy(kind, id);
    if (!policy) return undefined;
    policy.properties = { ...policy.properties, ...properties, lastModifiedDateTime: graphTimestamp() };
    this.persist();
    return policy;
  }

  deletePolicy(kind: PolicyKind, id: string): boolean {
    const before = this.state[kind].length;
    this.state[kind] = this.state[kind].filter((p) => p.id.toLowerCase() !== id.toLowerCase());
    this.persist();
    return this.state[kind].length !== before;
  }

  /** Appends an assignment; `id` defaults to a new GUID. */
  addAssignment(policy: StoredPolicy, target: Record<string, unknown>, id?: string, properties?: Record<string, unknown>, stampCreated = false): StoredAssignment {
    const now = graphTimestamp();
    const assignment: StoredAssignment = { id: id ?? newGuid(), lastModifiedDateTime: now, target };
    if (stampCreated) assignment.createdDateTime = now;
    if (properties && Object.keys(properties).length > 0) assignment.properties = properties;
    policy.assignments.push(assignment);
    this.persist();
    return assignment;
  }

  /**
   * Replaces a policy's whole assignment list (the `assign` action). With `stampCreated`, an entry keeping an id
   * keeps its createdDateTime and a new one gets now.
   */
  replaceAssignments(policy: StoredPolicy, assignments: readonly AssignmentWrite[], stampCreated = false): StoredAssignment[] {
    const created = new Map(policy.assignments.map((a) => [a.id.toLowerCase(), a.createdDateTime]));
    policy.assignments = assignments.map((a) => {
      const now = graphTimestamp();
      const stored: StoredAssignment = { id: a.id, lastModifiedDateTime: now, target: a.target };
      if (stampCreated) stored.createdDateTime = created.get(a.id.toLowerCase()) ?? now;
      if (a.properties && Object.keys(a.properties).length > 0) stored.properties = a.properties;
      return stored;
    });
    this.persist();
    return policy.assignments;
  }

  /** Replaces an assignment's target and merges properties (PATCH and out-of-band drift). */
  updateAssignment(assignment: StoredAssignment, target: Record<string, unknown>, properties?: Record<string, unknown>): StoredAssignment {
    assignment.target = target;
    if (properties && Object.keys(properties).length > 0) assignment.properties = { ...assignment.properties, ...properties };
    assignment.lastModifiedDateTime = graphTimestamp();
    this.persist();
    return assignment;
  }

  /** Records the extra state of an `assign` call (legacy entries, Autopilot device ids). */
  updatePolicyExtras(policy: StoredPolicy, extras: Pick<StoredPolicy, "legacyGroupAssignments" | "assignedDeviceIds">): void {
    Object.assign(policy, extras);
    this.persist();
  }

  deleteAssignment(policy: StoredPolicy, assignmentId: string): boolean {
    const before = policy.assignments.length;
    policy.assignments = policy.assignments.filter((a) => a.id.toLowerCase() !== assignmentId.toLowerCase());
    this.persist();
    return policy.assignments.length !== before;
  }

  groups(): readonly StoredGroup[] {
    return this.state.groups;
  }

  group(id: string): StoredGroup | undefined {
    return this.state.groups.find((g) => g.id.toLowerCase() === id.toLowerCase());
  }

  /** Creates (or replaces, by id) a security group. */
  createGroup(seed: GroupSeed): StoredGroup {
    const group: StoredGroup = {
      id: seed.id ?? newGuid(),
      displayName: seed.displayName,
      description: seed.description ?? null,
      mailNickname: seed.displayName.replace(/[^A-Za-z0-9]/g, "").slice(0, 64) || "group",
      securityEnabled: true,
      mailEnabled: false,
      createdDateTime: new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
    };
    this.state.groups = [...this.state.groups.filter((g) => g.id !== group.id), group];
    this.persist();
    return group;
  }

  filters(): readonly StoredFilter[] {
    return this.state.filters;
  }

  filter(id: string): StoredFilter | undefined {
    return this.state.filters.find((f) => f.id.toLowerCase() === id.toLowerCase());
  }

  /** Creates (or replaces, by id) an assignment filter. */
  createFilter(seed: FilterSeed): StoredFilter {
    const now = graphTimestamp();
    const filter: StoredFilter = {
      id: seed.id ?? newGuid(),
      displayName: seed.displayName,
      description: seed.description ?? null,
      platform: seed.platform ?? "windows10AndLater",
      rule: seed.rule ?? `(device.deviceName -startsWith "${seed.displayName.replace(/["\\]/g, "")}")`,
      createdDateTime: now,
      lastModifiedDateTime: now,
    };
    this.state.filters = [...this.state.filters.filter((f) => f.id !== filter.id), filter];
    this.persist();
    return filter;
  }

  /** Writes the state to the data file, if any, atomically (temp file, fsync, rename). */
  private persist(): void {
    if (!this.dataFile) return;
    fs.mkdirSync(path.dirname(path.resolve(this.dataFile)), { recursive: true });
    writeFileAtomic(this.dataFile, JSON.stringify(this.state, null, 2));
  }
}
