/**
 * Assignment target value specs shared by resource descriptions, and the slot identity used by their matchKey.
 */
import type { ComplexSpec } from "./types.js";
import { ODATA_TYPE } from "./schema.js";

/**
 * Intune's deviceAndAppManagementAssignmentTarget (abstract) and its concrete types, with the exact CSDL property
 * names. Exclusion targets cannot carry an assignment filter (Intune applies filters to included groups only).
 */
export const INTUNE_ASSIGNMENT_TARGET: ComplexSpec = {
    type: "complex",
    variants: {
        groupAssignmentTarget: { properties: { groupId: { type: "guid" } }, required: ["groupId"], filter: "allowed" },
        exclusionGroupAssignmentTarget: {
            properties: { groupId: { type: "guid" } },
            required: ["groupId"],
            filter: "forbidden",
        },
        allDevicesAssignmentTarget: { properties: {}, required: [], filter: "allowed" },
        allLicensedUsersAssignmentTarget: { properties: {}, required: [], filter: "allowed" },
        configurationManagerCollectionAssignmentTarget: {
            properties: { collectionId: { type: "collectionId" } },
            required: ["collectionId"],
            filter: "allowed",
        },
    },
};

/**
 * Intune's targets for a family whose assignments take no assignment filter (the service applies none, or support is
 * not confirmed): the same concrete types, with the filter pair refused on every one. `why` completes the error,
 * e.g. "Intune applies no assignment filter to PowerShell scripts".
 */
export function intuneTargetWithoutFilters(why: string): ComplexSpec {
    return {
        type: "complex",
        variants: Object.fromEntries(
            Object.entries(INTUNE_ASSIGNMENT_TARGET.variants).map(([name, variant]) => [name, { ...variant, filter: "forbidden" as const, filterRefusal: why }]),
        ),
    };
}

/**
 * Windows 365's cloudPcManagementAssignmentTarget (abstract); cloudPcManagementGroupAssignmentTarget is its only
 * concrete type. servicePlanId / allotment* describe a Frontline allotment; the allotment needs the service plan.
 */
export const CLOUD_PC_ASSIGNMENT_TARGET: ComplexSpec = {
    type: "complex",
    variants: {
        cloudPcManagementGroupAssignmentTarget: {
            properties: {
                groupId: { type: "guid" },
                servicePlanId: { type: "guid" },
                allotmentDisplayName: { type: "string", maxLength: 256 },
                allotmentLicensesCount: { type: "integer", minimum: 1, maximum: 2147483647 },
            },
            required: ["groupId"],
            dependentRequired: { allotmentDisplayName: ["servicePlanId"], allotmentLicensesCount: ["servicePlanId"] },
        },
    },
};

/**
 * Properties of a Windows 365 assignment entry Graph marks read-only (its id `{policyId}_{groupId}` included), never
 * posted back to `assign`.
 */
export const CLOUD_PC_ASSIGNMENT_READ_ONLY: readonly string[] = ["id", "assignedUsers", "userSettingsPersistenceDetail"];

/**
 * The slot a target occupies in its policy: `group:<id>` (include and exclusion alike: a group is assigned to a policy
 * once), `collection:<id>`, or `type:<@odata.type>` for all-devices / all-licensed-users. Filters are not part of the
 * slot. Expects a canonical target (see normalizeInputs).
 */
export function targetSlot(target: unknown): string {
    if (typeof target !== "object" || target === null) return "invalid";
    const t = target as Record<string, unknown>;
    if (typeof t.groupId === "string") return `group:${t.groupId.toLowerCase()}`;
    if (typeof t.collectionId === "string") return `collection:${t.collectionId.toUpperCase()}`;
    return `type:${String(t[ODATA_TYPE])}`;
}
