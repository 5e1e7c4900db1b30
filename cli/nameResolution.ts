/**
 * Display names → ids for a configuration repository, per tenant, when the program runs: policies (`policy:`),
 * assignment filters (`target.filter.name`) and groups (`target.group`).
 *
 * Policies and filters are matched against one listing per collection (every `@odata.nextLink` page, `$select=id,
 * displayName`), however many names the repository uses: a hundred named policies cost one paged GET, not a hundred
 * filter queries. Groups keep their `$filter=displayName eq '…'` query per name (a directory can hold far more groups
 * than any repository names). Names compare ignoring case, as Graph's `eq` on display names does; a name that two
 * objects share in that sense is ambiguous and never guessed.
 *
 * Nothing here throws for a name that does not resolve: every problem becomes a ConfigError naming file, entry and
 * name, so the run fails before it declares a single resource (no write, and no delete or replacement of what the
 * stack already holds).
 */
import type { GraphClient } from "../provider/graph";
import { listRouteOf } from "../provider/engine/policyLists";
import { getDescription, type ResourceDescription } from "../provider/model";
import type { ConfigEntry, ConfigError, TargetSpec } from "./configTypes";

/** Intune's assignment filters (deviceAndAppManagementAssignmentFilter). */
export const ASSIGNMENT_FILTERS_PATH = "/deviceManagement/assignmentFilters";

/** An object with a display name, as a listing returns it. */
export interface NamedObject {
    readonly id: string;
    readonly displayName: string;
}

/** What a display name matches: one id, none, or several (their ids). */
export type NameMatch = { readonly id: string } | { readonly unknown: true } | { readonly ambiguous: readonly string[] };

/** The comparison key of a display name. */
function nameKey(name: string): string {
    return name.toLowerCase();
}

/** Display names of one collection, matched in memory. */
export class NameIndex {
    private readonly byName = new Map<string, string[]>();
    private readonly byId = new Map<string, string>();

    constructor(objects: Iterable<NamedObject>) {
        for (const { id, displayName } of objects) {
            const key = nameKey(displayName);
            const ids = this.byName.get(key);
            if (ids === undefined) this.byName.set(key, [id]);
            else ids.push(id);
            this.byId.set(id.toLowerCase(), displayName);
        }
    }

    lookup(name: string): NameMatch {
        const ids = this.byName.get(nameKey(name)) ?? [];
        if (ids.length === 0) return { unknown: true };
        return ids.length === 1 ? { id: ids[0]! } : { ambiguous: [...ids] };
    }

    /** The display name of an id, when the collection has it. */
    nameOf(id: string): string | undefined {
        return this.byId.get(id.toLowerCase());
    }

    /** How many objects of the collection have this name (ignoring case). */
    count(name: string): number {
        return this.byName.get(nameKey(name))?.length ?? 0;
    }
}

/**
 * The collection that lists a kind's policies: the policy read of its list route when it reads through
 * `$expand`, else its parent, without the trailing `/{policyId}` (e.g. /deviceManagement/groupPolicyConfigurations).
 * @throws Error when the path does not end in `/{policyId}` (a description this module cannot name policies of).
 */
export function policyCollectionOf(description: ResourceDescription): string {
    const route = listRouteOf(description);
    const policyPath = route.listShape === "expand" ? route.listPath : description.paths.parent;
    if (!policyPath.endsWith("/{policyId}")) throw new Error(`${description.kind}: its policy path ${policyPath} does not end in /{policyId}`);
    return policyPath.slice(0, -"/{policyId}".length);
}

/** Every object of a collection (`$select=id,displayName`, every page). */
export async function listNamed(client: GraphClient, collection: string): Promise<NamedObject[]> {
    const out: NamedObject[] = [];
    let next: string | undefined = `${collection}?$select=id,displayName`;
    for (let pages = 0; next !== undefined; pages++) {
        if (pages >= 1_000) throw new Error(`GET ${collection}: more than 1000 pages; giving up`);
        const response: { body?: { value?: unknown[]; "@odata.nextLink"?: unknown } } = await client.get(next);
        const value = response.body?.value;
        if (!Array.isArray(value)) throw new Error(`GET ${collection}: the answer has no value list`);
        for (const item of value) {
            const o = item as { id?: unknown; displayName?: unknown };
            if (typeof o.id === "string") out.push({ id: o.id, displayName: typeof o.displayName === "string" ? o.displayName : "" });
        }
        const link = response.body?.["@odata.nextLink"];
        next = typeof link === "string" ? link : undefined;
    }
    return out;
}

/** Group display name → match, through `GET /groups?$filter=displayName eq '…'` (quotes doubled), one query per name. */
export async function matchGroupNames(client: GraphClient, names: Iterable<string>): Promise<Map<string, NameMatch>> {
    const out = new Map<string, NameMatch>();
    for (const name of new Set(names)) {
        const filter = encodeURIComponent(`displayName eq '${escapeODataString(name)}'`);
        const response = await client.get<{ value?: NamedObject[] }>(`/groups?$filter=${filter}&$select=id,displayName`);
        out.set(name, new NameIndex(response.body?.value ?? []).lookup(name));
    }
    return out;
}

/** A string inside an OData literal: a single quote is written twice. */
export function escapeODataString(value: string): string {
    return value.replace(/'/g, "''");
}

/** The names a set of entries needs resolved. */
export interface NamesNeeded {
    /** Policy collection → the kind that first named a policy in it (for messages). */
    readonly collections: ReadonlyMap<string, string>;
    readonly filters: boolean;
    readonly groups: readonly string[];
}

export function namesNeeded(entries: readonly ConfigEntry[]): NamesNeeded {
    const collections = new Map<string, string>();
    const groups = new Set<string>();
    let filters = false;
    for (const entry of entries) {
        if (entry.policy !== undefined) {
            const collection = policyCollectionOf(getDescription(entry.kind));
            if (!collections.has(collection)) collections.set(collection, entry.kind);
        }
        if (entry.target.filter?.name !== undefined) filters = true;
        if (entry.target.group !== undefined) groups.add(entry.target.group);
    }
    return { collections, filters, groups: [...groups] };
}

/** What the tenant holds for the names of a repository. */
export interface TenantNames {
    /** Policy collection path → its index. */
    readonly policies: ReadonlyMap<string, NameIndex>;
    readonly filters?: NameIndex;
    readonly groups: ReadonlyMap<string, NameMatch>;
}

/** Reads what {@link namesNeeded} asks for: one listing per policy collection, one of the filters, one query per group name. */
export async function readTenantNames(client: GraphClient, needed: NamesNeeded): Promise<TenantNames> {
    const collections = [...needed.collections.keys()];
    const [lists, filters, groups] = await Promise.all([
        Promise.all(collections.map((c) => listNamed(client, c))),
        needed.filters ? listNamed(client, ASSIGNMENT_FILTERS_PATH) : Promise.resolve(undefined),
        needed.groups.length > 0 ? matchGroupNames(client, needed.groups) : Promise.resolve(new Map<string, NameMatch>()),
    ]);
    return {
        policies: new Map(collections.map((c, i) => [c, new NameIndex(lists[i]!)])),
        ...(filters !== undefined ? { filters: new NameIndex(filters) } : {}),
        groups,
    };
}

/** The entries with every name replaced by its id, and a problem for each name that did not resolve. */
export function applyNames(entries: readonly ConfigEntry[], names: TenantNames): { entries: ConfigEntry[]; errors: ConfigError[] } {
    const errors: ConfigError[] = [];
    const fail = (file: string, entry: string, property: string, reason: string) => {
        const message = `${file}: ${entry}: ${property}: ${reason}`;
        if (!errors.some((e) => e.message === message)) errors.push({ file, entry, property, message });
    };
    const resolved: ConfigEntry[] = [];
    for (const entry of entries) {
        const label = `${entry.location} "${entry.name}"`;
        const before = errors.length;
        let policyId = entry.policyId;
        if (entry.policy !== undefined) {
            const collection = policyCollectionOf(getDescription(entry.kind));
            const match = names.policies.get(collection)?.lookup(entry.policy) ?? { unknown: true as const };
            const problem = problemOf(match, `policy "${entry.policy}"`, `${entry.kind} policy`, `GET ${collection}`, "policyId");
            if (problem !== undefined) fail(entry.file, policyLocationOf(entry), "policy", problem);
            else policyId = (match as { id: string }).id;
        }
        const { group, filter, ...target } = entry.target;
        let groupId = target.groupId;
        if (group !== undefined) {
            const match = names.groups.get(group) ?? { unknown: true as const };
            const problem = problemOf(match, `group "${group}"`, "group", "GET /groups?$filter=displayName eq '…'", "target.groupId");
            if (problem !== undefined) fail(entry.file, label, "target.group", problem);
            else groupId = (match as { id: string }).id;
        }
        let filterId = filter?.id;
        if (filter?.name !== undefined) {
            const match = names.filters?.lookup(filter.name) ?? { unknown: true as const };
            const problem = problemOf(match, `assignment filter "${filter.name}"`, "assignment filter", `GET ${ASSIGNMENT_FILTERS_PATH}`, "target.filter.id");
            if (problem !== undefined) fail(entry.file, label, "target.filter.name", problem);
            else filterId = (match as { id: string }).id;
        }
        if (errors.length > before) continue;
        const { policy: _named, ...rest } = entry;
        const resolvedTarget: TargetSpec = {
            ...target,
            ...(groupId !== undefined ? { groupId } : {}),
            ...(filter !== undefined ? { filter: { id: filterId!, type: filter.type } } : {}),
        };
        resolved.push({ ...rest, policyId, target: resolvedTarget });
    }
    return { entries: resolved, errors };
}

/** The reason a name did not resolve, or undefined when it did. */
function problemOf(match: NameMatch, what: string, noun: string, lookedAt: string, idKey: string): string | undefined {
    if ("id" in match) return undefined;
    if ("ambiguous" in match) {
        return `${what} is ambiguous: ${match.ambiguous.length} ${noun}s of this tenant have that name (ids ${match.ambiguous.join(", ")}); give ${idKey} instead`;
    }
    return `${what} was not found in this tenant (${lookedAt}); if it was renamed, write its new name (or give ${idKey})`;
}

/** "policies[0]" of "policies[0].assignments[1]". */
function policyLocationOf(entry: ConfigEntry): string {
    return entry.location.replace(/\.assignments\[\d+\]$/, "");
}
