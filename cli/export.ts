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
import { buildPath, fromGraphEntity, getDescription, ODATA_TYPE } from "../provider/model";
import { KINDS, type Kind, type TargetType } from "./configRepo";

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

const TYPES: Record<string, TargetType> = {
    "#microsoft.graph.groupAssignmentTarget": "group",
    "#microsoft.graph.exclusionGroupAssignmentTarget": "exclusionGroup",
    "#microsoft.graph.allDevicesAssignmentTarget": "allDevices",
    "#microsoft.graph.allLicensedUsersAssignmentTarget": "allLicensedUsers",
    "#microsoft.graph.configurationManagerCollectionAssignmentTarget": "configurationManagerCollection",
    "#microsoft.graph.cloudPcManagementGroupAssignmentTarget": "group",
};

/** Lowercase slug for resource names. */
function slug(text: string): string {
    return text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 40) || "x";
}

/** A YAML scalar: JSON strings are valid YAML and need no further escaping. */
function scalar(value: unknown): string {
    if (typeof value === "number" || typeof value === "boolean") return String(value);
    return JSON.stringify(String(value));
}

/** A comment: one line, printable. */
function comment(text: string): string {
    return text.replace(/[\r\n]+/g, " ").replace(/[^\u0020-\u007e\u00a0-\uffff]/g, "?");
}

async function listLive(client: GraphClient, ref: PolicyRef): Promise<{ policyName?: string; entities: Obj[] }> {
    const description = getDescription(ref.kind);
    const params = { policyId: ref.policyId };
    let policyName: string | undefined;
    if (ref.kind === "CloudPcProvisioningPolicyAssignment") {
        const parent = await client.get<Obj>(`${buildPath(description.paths.parent, params)}?$expand=assignments`);
        policyName = typeof parent.body?.displayName === "string" ? parent.body.displayName : undefined;
        return { policyName, entities: (parent.body?.assignments as Obj[] | undefined) ?? [] };
    }
    // The legacy Windows 365 route has no policy read; the current one names the same policy.
    const namePath =
        ref.kind === "ProvisioningPolicyAssignment" ? "/deviceManagement/virtualEndpoint/provisioningPolicies/{policyId}" : description.paths.parent;
    try {
        const parent = await client.get<Obj>(buildPath(namePath, params));
        policyName = typeof parent.body?.displayName === "string" ? parent.body.displayName : undefined;
    } catch (error) {
        if (!GraphError.isInstance(error) || (error.status !== 404 && error.status !== 400)) throw error; // the name is optional
    }
    const list = await client.get<{ value?: Obj[] }>(buildPath(description.paths.collection, params));
    return { policyName, entities: list.body?.value ?? [] };
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

/** Reads the policies' live assignments and renders (and optionally writes) the config-repository YAML. */
export async function exportAssignments(options: ExportOptions): Promise<ExportResult> {
    const { client } = options;
    const progress = options.onProgress ?? (() => {});
    const groups = new Map<string, string | undefined>();
    const used = new Set<string>();
    const lines = [
        `# Exported by \`msgraph-assignments export\` on ${new Date().toISOString()}.`,
        "# Group ids are kept so that the first `pulumi up` adopts these assignments and changes nothing.",
        "policies:",
    ];
    let count = 0;
    for (const ref of options.policies) {
        if (!(KINDS as readonly string[]).includes(ref.kind)) throw new Error(`unknown kind ${ref.kind}; expected one of: ${KINDS.join(", ")}`);
        progress(`reading ${ref.kind} assignments of policy ${ref.policyId}`);
        const description = getDescription(ref.kind);
        const { policyName, entities } = await listLive(client, ref);
        lines.push(`  - kind: ${ref.kind}`, `    policyId: ${scalar(ref.policyId.toLowerCase())}`);
        if (policyName !== undefined) lines.push(`    policyName: ${scalar(policyName)}`);
        if (entities.length === 0) {
            lines.push("    assignments: []");
            continue;
        }
        lines.push("    assignments:");
        const prefix = slug(policyName ?? ref.policyId.slice(0, 8));
        for (const entity of entities) {
            const inputs = fromGraphEntity(description, entity, { policyId: ref.policyId });
            const target: Obj =
                ref.kind === "ProvisioningPolicyAssignment"
                    ? { [ODATA_TYPE]: "#microsoft.graph.cloudPcManagementGroupAssignmentTarget", groupId: inputs.groupId }
                    : ((inputs.target as Obj | undefined) ?? {});
            const type = TYPES[String(target[ODATA_TYPE])];
            if (type === undefined) {
                lines.push(`      # skipped assignment ${comment(String(entity.id))}: target type ${comment(String(target[ODATA_TYPE]))} is not supported`);
                continue;
            }
            const groupId = typeof target.groupId === "string" ? target.groupId : undefined;
            const display = groupId !== undefined ? await groupName(client, groups, groupId) : undefined;
            const detail = display ?? (typeof target.collectionId === "string" ? target.collectionId : groupId?.slice(0, 8)) ?? type;
            let name = `${prefix}-${type === "exclusionGroup" ? "exclude-" : ""}${slug(detail)}`;
            for (let n = 2; used.has(name); n++) name = `${prefix}-${slug(detail)}-${n}`;
            used.add(name);
            lines.push(`      - name: ${name}`, `        # live assignment id: ${comment(String(entity.id))}`, "        target:", `          type: ${type}`);
            if (groupId !== undefined) lines.push(`          groupId: ${scalar(groupId)}${display !== undefined ? `  # ${comment(display)}` : ""}`);
            if (typeof target.collectionId === "string") lines.push(`          collectionId: ${scalar(target.collectionId)}`);
            const filterType = target.deviceAndAppManagementAssignmentFilterType;
            if (typeof target.deviceAndAppManagementAssignmentFilterId === "string" && (filterType === "include" || filterType === "exclude")) {
                lines.push(`          filter: { id: ${scalar(target.deviceAndAppManagementAssignmentFilterId)}, type: ${filterType} }`);
            }
            for (const key of ["servicePlanId", "allotmentDisplayName", "allotmentLicensesCount"]) {
                if (target[key] !== undefined && target[key] !== null) lines.push(`          ${key}: ${scalar(target[key])}`);
            }
            count += 1;
        }
    }
    const yaml = `${lines.join("\n")}\n`;
    if (options.outFile === undefined) return { yaml, assignments: count };
    mkdirSync(path.dirname(options.outFile), { recursive: true });
    writeFileSync(options.outFile, yaml);
    progress(`wrote ${count} assignment(s) to ${options.outFile}`);
    return { yaml, assignments: count, file: options.outFile };
}
