/**
 * Export: reads the live assignments of chosen policies and writes a config-repository YAML file that adopts them.
 * Group ids are kept (display names are added as comments where Graph knows them), so the first `pulumi up` of the
 * exported repository adopts every existing assignment (the provider adopts the occupant of a target on 409) and
 * changes nothing in Graph.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { GraphClient } from "../provider/graph";
import { GraphError, isNotFound } from "../provider/graph";
import { listRouteOf, PolicyLists } from "../provider/engine/policyLists";
import { buildPath, fromGraphEntity, getDescription, type ResourceDescription } from "../provider/model";
import { KINDS, type Kind } from "./configRepo";
import { ASSIGNMENT_FILTERS_PATH, listNamed, matchGroupNames, NameIndex, policyCollectionOf, type NameMatch, type NamedObject } from "./nameResolution";
import { entryFromInputs } from "./repoKinds";

export interface PolicyRef {
    readonly kind: Kind;
    readonly policyId: string;
}

export interface ExportOptions {
    readonly client: GraphClient;
    readonly policies: readonly PolicyRef[];
    /** File to write (parent folders are created), e.g. `<repo>/assignments/exported.yaml`. */
    readonly outFile?: string;
    readonly onProgress?: (message: string) => void;
}

export interface ExportResult {
    readonly yaml: string;
    readonly assignments: number;
    readonly file?: string;
}

type Obj = Record<string, unknown>;

/** Lowercase slug for resource names. */
function slug(text: string): string {
    return text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 40) || "x";
}

/** A YAML scalar: JSON strings are valid YAML and need no further escaping. */
function scalar(value: unknown): string {
    if (typeof value === "number" || typeof value === "boolean") return String(value);
    return JSON.stringify(String(value));
}

/** A YAML value of any shape: JSON (flow style) is valid YAML. */
function flow(value: unknown): string {
    if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return scalar(value);
    return JSON.stringify(value);
}

/** A comment: one line, printable. */
function comment(text: string): string {
    return text.replace(/[\r\n]+/g, " ").replace(/[^\u0020-\u007e\u00a0-\uffff]/g, "?");
}

/** The policy's display name, when Graph gives one (it is documentation only: any failure but an outage is ignored). */
async function policyNameOf(client: GraphClient, description: ResourceDescription, params: Readonly<Record<string, string>>): Promise<string | undefined> {
    // A kind read through `$expand` names its policy at the list path; others (the draft Windows 365 route has no
    // policy read) at their parent.
    const route = listRouteOf(description);
    const namePath = route.listShape === "expand" ? route.listPath : description.paths.parent;
    try {
        const parent = await client.get<Obj>(buildPath(namePath, params, description.pathKinds));
        return typeof parent.body?.displayName === "string" ? parent.body.displayName : undefined;
    } catch (error) {
        if (!GraphError.isInstance(error) || (error.status !== 404 && error.status !== 400)) throw error;
        return undefined;
    }
}

/** The policy's live assignments in the kind's entity shape, read from its list route (every page). */
async function listLive(client: GraphClient, lists: PolicyLists, ref: PolicyRef): Promise<{ policyName?: string; entities: Obj[] }> {
    const description = getDescription(ref.kind);
    const params = { policyId: ref.policyId };
    const route = listRouteOf(description);
    const [policyName, entries] = await Promise.all([policyNameOf(client, description, params), lists.read(route, params)]);
    if (entries === undefined) {
        throw new Error(`policy ${ref.policyId} (${ref.kind}) was not found: GET ${buildPath(route.listPath, params, route.kinds)} answered 404`);
    }
    return { ...(policyName !== undefined ? { policyName } : {}), entities: entries.map((entry) => route.toEntity(entry)) };
}

async function groupName(client: GraphClient, cache: Map<string, string | undefined>, id: string): Promise<string | undefined> {
    if (!cache.has(id)) {
        try {
            const group = await client.get<{ displayName?: string }>(`/groups/${encodeURIComponent(id)}?$select=id,displayName`);
            cache.set(id, group.body?.displayName);
        } catch (error) {
            if (!isNotFound(error)) throw error;
            cache.set(id, undefined);
        }
    }
    return cache.get(id);
}

/** How a whole-tenant export names things: display names that are unique in the tenant, else ids (with why). */
interface Naming {
    readonly policies: NameIndex;
    readonly filters?: NameIndex;
    readonly groupMatches: Map<string, NameMatch>;
}

interface RenderState {
    readonly client: GraphClient;
    readonly lists: PolicyLists;
    readonly groups: Map<string, string | undefined>;
    readonly used: Set<string>;
    readonly lines: string[];
    readonly naming?: Naming;
}

/** One policy block with its live assignments; returns the number of assignments written. */
async function renderPolicy(state: RenderState, ref: PolicyRef): Promise<number> {
    const { client, lists, groups, used, lines, naming } = state;
    const description = getDescription(ref.kind);
    const { policyName, entities } = await listLive(client, lists, ref);
    // Ids compared case-insensitively (GUIDs) are written in lower case; Intune's other ids exactly.
    const policyId = description.pathKinds.policyId === "guid" ? ref.policyId.toLowerCase() : ref.policyId;
    lines.push(`  - kind: ${ref.kind}`);
    const byName = naming !== undefined && policyName !== undefined && policyName !== "" && naming.policies.count(policyName) === 1;
    if (byName) lines.push(`    policy: ${scalar(policyName)}  # ${comment(policyId)}`);
    else {
        const why = naming !== undefined && policyName !== undefined ? `  # by id: ${naming.policies.count(policyName)} policies of this kind are named ${comment(JSON.stringify(policyName))}` : "";
        lines.push(`    policyId: ${scalar(policyId)}${why}`);
        if (policyName !== undefined) lines.push(`    policyName: ${scalar(policyName)}`);
    }
    if (entities.length === 0) {
        lines.push("    assignments: []");
        return 0;
    }
    lines.push("    assignments:");
    const prefix = slug(policyName ?? ref.policyId.slice(0, 8));
    let count = 0;
    for (const entity of entities) {
        const inputs = fromGraphEntity(description, entity, { policyId: ref.policyId });
        const entry = entryFromInputs(description, inputs);
        if (entry === undefined) {
            const type = (entity.target as Obj | undefined)?.["@odata.type"];
            lines.push(`      # skipped assignment ${comment(String(entity.id))}: target type ${comment(String(type))} is not supported`);
            continue;
        }
        const { target, properties } = entry;
        const type = String(target.type);
        const groupId = typeof target.groupId === "string" ? target.groupId : undefined;
        const display = groupId !== undefined ? await groupName(client, groups, groupId) : undefined;
        const detail = display ?? (typeof target.collectionId === "string" ? target.collectionId : groupId?.slice(0, 8)) ?? type;
        let name = `${prefix}-${type === "exclusionGroup" ? "exclude-" : ""}${slug(detail)}`;
        for (let n = 2; used.has(name); n++) name = `${prefix}-${slug(detail)}-${n}`;
        used.add(name);
        lines.push(`      - name: ${name}`, `        # live assignment id: ${comment(String(entity.id))}`, "        target:", `          type: ${type}`);
        if (groupId !== undefined) {
            let match: NameMatch | undefined;
            if (naming !== undefined && display !== undefined) {
                if (!naming.groupMatches.has(display)) naming.groupMatches.set(display, (await matchGroupNames(client, [display])).get(display)!);
                match = naming.groupMatches.get(display);
            }
            if (match !== undefined && "id" in match) lines.push(`          group: ${scalar(display)}  # ${comment(groupId)}`);
            else {
                const why = match !== undefined && "ambiguous" in match ? `; by id: ${match.ambiguous.length} groups are named so` : "";
                lines.push(`          groupId: ${scalar(groupId)}${display !== undefined ? `  # ${comment(display)}${why}` : ""}`);
            }
        }
        for (const [key, value] of Object.entries(target)) {
            if (key === "type" || key === "groupId") continue;
            if (key !== "filter") {
                lines.push(`          ${key}: ${flow(value)}`);
                continue;
            }
            const filter = value as Obj;
            const filterName = naming?.filters?.nameOf(String(filter.id));
            if (filterName !== undefined && naming!.filters!.count(filterName) === 1) {
                lines.push(`          filter: { name: ${scalar(filterName)}, type: ${String(filter.type)} }  # ${comment(String(filter.id))}`);
            } else {
                const why = filterName !== undefined ? `  # by id: ${naming!.filters!.count(filterName)} filters are named ${comment(JSON.stringify(filterName))}` : "";
                lines.push(`          filter: { id: ${scalar(filter.id)}, type: ${String(filter.type)} }${why}`);
            }
        }
        for (const [key, value] of Object.entries(properties)) lines.push(`        ${key}: ${flow(value)}`);
        count += 1;
    }
    return count;
}

/** Reads the policies' live assignments and renders (and optionally writes) the config-repository YAML. */
export async function exportAssignments(options: ExportOptions): Promise<ExportResult> {
    const { client } = options;
    const progress = options.onProgress ?? (() => {});
    const lines = [
        `# Exported by \`msgraph-assignments export\` on ${new Date().toISOString()}.`,
        "# Group ids are kept so that the first `pulumi up` adopts these assignments and changes nothing.",
        "policies:",
    ];
    const state: RenderState = { client, lists: new PolicyLists(client), groups: new Map(), used: new Set(), lines };
    let count = 0;
    for (const ref of options.policies) {
        if (!KINDS.includes(ref.kind)) throw new Error(`unknown kind ${ref.kind}; expected one of: ${KINDS.join(", ")}`);
        progress(`reading ${ref.kind} assignments of policy ${ref.policyId}`);
        count += await renderPolicy(state, ref);
    }
    const yaml = `${lines.join("\n")}\n`;
    if (options.outFile === undefined) return { yaml, assignments: count };
    mkdirSync(path.dirname(options.outFile), { recursive: true });
    writeFileSync(options.outFile, yaml);
    progress(`wrote ${count} assignment(s) to ${options.outFile}`);
    return { yaml, assignments: count, file: options.outFile };
}

export interface TenantExportOptions {
    readonly client: GraphClient;
    /** Kinds to export (default: every kind of the registry). */
    readonly kinds?: readonly Kind[];
    /** The repository folder: one `assignments/<Kind>.yaml` per kind that has policies. */
    readonly outDir: string;
    readonly onProgress?: (message: string) => void;
}

export interface TenantExportResult {
    readonly files: readonly string[];
    readonly policies: number;
    readonly assignments: number;
}

/**
 * The kinds to export: all (or the chosen) kinds, where two kinds read the same policy collection keeping the one whose
 * policy route is that collection's own (another kind reaches the same assignments through an older route, and two
 * resources must never manage one assignment).
 */
export function exportKinds(chosen?: readonly Kind[]): Kind[] {
    const kinds = chosen ?? KINDS;
    return kinds.filter((kind) => {
        const collection = policyCollectionOf(getDescription(kind));
        const own = (k: Kind) => getDescription(k).paths.parent === `${collection}/{policyId}`;
        const rivals = kinds.filter((k) => k !== kind && policyCollectionOf(getDescription(k)) === collection);
        return rivals.length === 0 || own(kind) || !rivals.some(own);
    });
}

/** `export --all`: every policy of every kind (every page), policies, groups and filters by name where unique. */
export async function exportTenant(options: TenantExportOptions): Promise<TenantExportResult> {
    const { client } = options;
    const progress = options.onProgress ?? (() => {});
    for (const kind of options.kinds ?? []) if (!KINDS.includes(kind)) throw new Error(`unknown kind ${kind}; expected one of: ${KINDS.join(", ")}`);
    const kinds = exportKinds(options.kinds);
    let filters: NameIndex | undefined;
    try {
        filters = new NameIndex(await listNamed(client, ASSIGNMENT_FILTERS_PATH));
    } catch (error) {
        if (!GraphError.isInstance(error) || error.status >= 500) throw error;
        progress(`assignment filters are kept by id: GET ${ASSIGNMENT_FILTERS_PATH} answered ${error.status}`);
    }
    const listed: { kind: Kind; policies: NamedObject[]; index: NameIndex }[] = [];
    for (const kind of kinds) {
        const policies = await listNamed(client, policyCollectionOf(getDescription(kind)));
        listed.push({ kind, policies, index: new NameIndex(policies) });
    }
    const total = listed.reduce((n, k) => n + k.policies.length, 0);
    const groups = new Map<string, string | undefined>();
    const groupMatches = new Map<string, NameMatch>();
    const used = new Set<string>();
    const files: string[] = [];
    let i = 0;
    let assignments = 0;
    for (const { kind, policies, index } of listed) {
        if (policies.length === 0) continue;
        const lines = [
            `# Exported by \`msgraph-assignments export --all\` on ${new Date().toISOString()}: every ${kind} policy of the tenant.`,
            "# Names that are unique in the tenant are written as names (ids as comments), the others as ids, saying why.",
            "policies:",
        ];
        const state: RenderState = { client, lists: new PolicyLists(client), groups, used, lines, naming: { policies: index, ...(filters ? { filters } : {}), groupMatches } };
        for (const policy of policies) {
            i += 1;
            progress(`[${i}/${total}] ${kind}: ${policy.displayName || policy.id}`);
            assignments += await renderPolicy(state, { kind, policyId: policy.id });
        }
        const file = path.join(options.outDir, "assignments", `${kind}.yaml`);
        mkdirSync(path.dirname(file), { recursive: true });
        writeFileSync(file, `${lines.join("\n")}\n`);
        files.push(file);
    }
    progress(`wrote ${assignments} assignment(s) of ${total} policies to ${files.length} file(s) in ${path.join(options.outDir, "assignments")}`);
    return { files, policies: total, assignments };
}
