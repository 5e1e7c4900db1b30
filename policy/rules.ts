/**
 * The policies' logic as pure functions over {@link AssignmentView}s: each returns the violations it finds, one per
 * offending resource (its URN and a message naming the resource, its Graph policy and what to change). The Pulumi
 * policy objects in ./pack only wire these to the framework.
 */
import { describe, type AssignmentView } from "./assignments.js";

export interface Violation {
    readonly urn: string;
    readonly message: string;
}

/** A broad (all devices / all licensed users) target without an assignment filter, or undefined. */
export function broadTargetWithoutFilter(view: AssignmentView): Violation | undefined {
    if (view.broadTarget === undefined || view.hasFilter) return undefined;
    const intent = view.intent !== undefined ? ` with intent "${view.intent}"` : "";
    return {
        urn: view.urn,
        message:
            `${describe(view)} assigns to ${view.broadTarget}${intent} without an assignment filter: set ` +
            "target.deviceAndAppManagementAssignmentFilterId and target.deviceAndAppManagementAssignmentFilterType " +
            "(include or exclude) to narrow it, or assign to a group instead.",
    };
}

/** Whether the app-style `intent` input says the assignment installs without asking (required). */
export function hasRequiredIntent(view: AssignmentView): boolean {
    return view.intent?.toLowerCase() === "required";
}

function groupBy<T>(items: readonly T[], key: (item: T) => string | undefined): T[][] {
    const groups = new Map<string, T[]>();
    for (const item of items) {
        const k = key(item);
        if (k !== undefined) groups.set(k, [...(groups.get(k) ?? []), item]);
    }
    return [...groups.values()];
}

const names = (views: readonly AssignmentView[]) => views.map((v) => `"${v.name}"`).join(", ");

/** A group included by some resources and excluded by others on the same policy. */
export function groupsIncludedAndExcluded(views: readonly AssignmentView[]): Violation[] {
    const byGroup = groupBy(views, (v) => (v.listKey !== undefined && v.groupId !== undefined ? `${v.listKey}|${v.groupId}` : undefined));
    return byGroup.flatMap((group) => {
        const includes = group.filter((v) => !v.excludes);
        const excludes = group.filter((v) => v.excludes);
        if (includes.length === 0 || excludes.length === 0) return [];
        return group.map((v) => ({
            urn: v.urn,
            message:
                `${describe(v)} ${v.excludes ? "excludes" : "includes"} group ${v.groupId} that ` +
                `${names(v.excludes ? includes : excludes)} ${v.excludes ? "include" : "exclude"} on the same policy: ` +
                "Graph holds one assignment per group, so keep either the include or the exclusion and remove the other resource.",
        }));
    });
}

/** Two or more resources for the same target of one policy (include/exclude pairs are the rule above). */
export function duplicateTargets(views: readonly AssignmentView[]): Violation[] {
    const bySlot = groupBy(views, (v) => (v.listKey !== undefined && v.slot !== undefined ? `${v.listKey}|${v.slot}|${v.excludes}` : undefined));
    return bySlot
        .filter((group) => group.length > 1)
        .flatMap((group) =>
            group.map((v) => ({
                urn: v.urn,
                message:
                    `${describe(v)} has the same target (${v.slot}) as ${names(group.filter((o) => o !== v))}: Graph keeps one ` +
                    "assignment per target of a policy, so these resources would overwrite each other on every update; keep one of them.",
            })),
        );
}

/** Policies whose only assignments in the stack are exclusions (assigned to nobody through this stack). */
export function exclusionsOnly(views: readonly AssignmentView[]): Violation[] {
    return groupBy(views, (v) => v.listKey)
        .filter((group) => group.every((v) => v.excludes))
        .flatMap((group) =>
            group.map((v) => ({
                urn: v.urn,
                message:
                    `${describe(v)} excludes group ${v.groupId ?? "?"}, but the stack has no include assignment for this policy: ` +
                    "an exclusion only narrows includes, so add the group or all-* assignment it should narrow (or remove the exclusion " +
                    "if the policy is assigned elsewhere on purpose).",
            })),
        );
}

/** Lower-cased, de-duplicated ids from the pack config and the stack config. */
export function protectedGroupSet(...lists: readonly (readonly string[] | undefined)[]): Set<string> {
    return new Set(lists.flatMap((l) => l ?? []).map((id) => id.trim().toLowerCase()).filter((id) => id !== ""));
}

/** An include of a protected group, or undefined. */
export function protectedGroupIncluded(view: AssignmentView, protectedGroups: ReadonlySet<string>): Violation | undefined {
    if (view.excludes || view.groupId === undefined || !protectedGroups.has(view.groupId)) return undefined;
    return {
        urn: view.urn,
        message:
            `${describe(view)} includes protected group ${view.groupId} (listed in protectedGroupIds): assign the policy to ` +
            "another group, or exclude this group with an exclusion target instead.",
    };
}

/**
 * `msgraph:protectedGroupIds` from the stack's config as the engine hands it to a policy pack (PULUMI_CONFIG, a JSON
 * object of string values): a JSON array of ids or a comma-separated list.
 * @throws Error naming the key when the value is neither.
 */
export function protectedGroupsFromStackConfig(pulumiConfig: string | undefined): string[] {
    if (pulumiConfig === undefined || pulumiConfig === "") return [];
    const config = JSON.parse(pulumiConfig) as Record<string, unknown>;
    const raw = config["msgraph:protectedGroupIds"];
    if (raw === undefined) return [];
    if (typeof raw !== "string") throw new Error("msgraph:protectedGroupIds must be a JSON array of group ids or a comma-separated list");
    const trimmed = raw.trim();
    if (trimmed.startsWith("[")) {
        const parsed: unknown = JSON.parse(trimmed);
        if (!Array.isArray(parsed) || parsed.some((id) => typeof id !== "string")) {
            throw new Error("msgraph:protectedGroupIds must be a JSON array of group id strings");
        }
        return parsed as string[];
    }
    return trimmed.split(",");
}
