/**
 * The emulator's data: policies of both kinds with their assignment lists, and directory groups.
 *
 * One store serves every tenant (the emulator is one directory). Every change goes through a method here, which
 * then persists the whole state when a data file is configured, so a write acknowledged to a client is on disk.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { writeFileAtomic } from "./atomic-file";
import { graphTimestamp, newGuid } from "./ids";

/**
 * The two policy kinds. `provisioningPolicies` is one store behind both Windows 365 routes
 * (/deviceManagement/virtualEndpoint/provisioningPolicies and the legacy /provisioningPolicies).
 */
export type PolicyKind = "groupPolicyConfigurations" | "provisioningPolicies";

/** All policy kinds, for iteration and validation of admin input. */
export const POLICY_KINDS: readonly PolicyKind[] = ["groupPolicyConfigurations", "provisioningPolicies"];

/** One stored assignment. `target` is kept in Graph's JSON shape with a normalized `@odata.type`. */
export interface StoredAssignment {
  id: string;
  lastModifiedDateTime: string;
  target: Record<string, unknown>;
}

/** One stored policy: Graph-visible properties plus its assignments, in creation order. */
export interface StoredPolicy {
  id: string;
  properties: Record<string, unknown>;
  assignments: StoredAssignment[];
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

/** Serialized form of the whole store (the data file's content). */
export interface StoreSnapshot {
  version: 1;
  groupPolicyConfigurations: StoredPolicy[];
  provisioningPolicies: StoredPolicy[];
  groups: StoredGroup[];
}

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

/** Seed input for a group; `id` is generated when absent. */
export interface GroupSeed {
  id?: string;
  displayName: string;
  description?: string;
}

function emptySnapshot(): StoreSnapshot {
  return { version: 1, groupPolicyConfigurations: [], provisioningPolicies: [], groups: [] };
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
    const properties: Record<string, unknown> =
      kind === "groupPolicyConfigurations"
        ? { displayName: "", description: null, createdDateTime: now, lastModifiedDateTime: now,
            policyConfigurationIngestionType: "custom", roleScopeTagIds: ["0"], ...rest }
        : { displayName: "", description: null, provisioningType: "dedicated", createdDateTime: now,
            lastModifiedDateTime: now, ...rest };
    const policy: StoredPolicy = { id: id ?? newGuid(), properties, assignments: [] };
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
  addAssignment(policy: StoredPolicy, target: Record<string, unknown>, id?: string): StoredAssignment {
    const assignment = { id: id ?? newGuid(), lastModifiedDateTime: graphTimestamp(), target };
    policy.assignments.push(assignment);
    this.persist();
    return assignment;
  }

  /** Replaces a policy's whole assignment list (the `assign` action). */
  replaceAssignments(policy: StoredPolicy, assignments: { id: string; target: Record<string, unknown> }[]): StoredAssignment[] {
    policy.assignments = assignments.map((a) => ({ id: a.id, lastModifiedDateTime: graphTimestamp(), target: a.target }));
    this.persist();
    return policy.assignments;
  }

  /** Replaces an assignment's target (PATCH and out-of-band drift). */
  updateAssignment(assignment: StoredAssignment, target: Record<string, unknown>): StoredAssignment {
    assignment.target = target;
    assignment.lastModifiedDateTime = graphTimestamp();
    this.persist();
    return assignment;
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

  /** Writes the state to the data file, if any, atomically (temp file, fsync, rename). */
  private persist(): void {
    if (!this.dataFile) return;
    fs.mkdirSync(path.dirname(path.resolve(this.dataFile)), { recursive: true });
    writeFileAtomic(this.dataFile, JSON.stringify(this.state, null, 2));
  }
}
