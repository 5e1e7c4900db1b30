/**
 * What the four targeted managed app policy families share (fact sheet section 11): the entity
 * targetedManagedAppPolicyAssignment (`id`, `target`, `source`, `sourceId`), no documented item create (writes go
 * through `assign`, body key `assignments`, answer 204), the list read from `…/{id}/assignments` without a cast segment,
 * and filters on include targets (a managed-apps workload). Each family says where its `assign` lives and whether item
 * PATCH/DELETE are documented for it.
 */
import type { ResourceDefinition } from "../types.js";
import { INTUNE_ASSIGNMENT_TARGET } from "../targets.js";
import { EXAMPLE_GROUP, exampleGroupTarget, intuneTargetOnly } from "./intuneFamily.js";

const DAM = "/deviceAppManagement";

export interface ManagedAppPolicyFamily {
    readonly kind: string;
    /** The policy collection under /deviceAppManagement. */
    readonly collection: string;
    /** What the policy is, for the docs ("iOS/iPadOS app protection policy"). */
    readonly what: string;
    /** `collection`: `…/{collection}/{id}/assign`; `managedAppPolicies`: only `/deviceAppManagement/managedAppPolicies/{id}/assign` is documented. */
    readonly assignUnder: "collection" | "managedAppPolicies";
    /** Whether item PATCH and DELETE are documented for the family's assignments. */
    readonly itemUpdates: boolean;
}

/** The definition of one targeted managed app policy family. */
export function managedAppPolicyDefinition(family: ManagedAppPolicyFamily): ResourceDefinition {
    const policy = `${DAM}/${family.collection}/{policyId}`;
    const assign = family.assignUnder === "collection" ? `${policy}/assign` : `${DAM}/managedAppPolicies/{policyId}/assign`;
    const target = intuneTargetOnly(INTUNE_ASSIGNMENT_TARGET);
    return {
        kind: family.kind,
        paths: { parent: policy, collection: `${policy}/assignments`, item: `${policy}/assignments/{id}`, assign },
        odataType: "#microsoft.graph.targetedManagedAppPolicyAssignment",
        ...target,
        properties: {
            policyId: { type: "guid", doc: `Id of the ${family.what}.` },
            target: { ...INTUNE_ASSIGNMENT_TARGET, doc: `Who the ${family.what} is assigned to; filters are allowed on include targets.` },
        },
        replaceOnChange: ["policyId"],
        serverManaged: ["id", "source", "sourceId"],
        itemRoutes: { create: false, update: family.itemUpdates, delete: family.itemUpdates },
        // source and sourceId are not documented read-only: posted back as read for every entry.
        assignList: { listPath: `${policy}/assignments`, listShape: "collection", answer: "noContent", readOnly: [] },
        summary:
            `Assigns an Intune ${family.what} (deviceAppManagement/${family.collection}) to a target, optionally with an assignment filter. ` +
            `Written through ${family.assignUnder === "collection" ? "the policy's assign action" : "the documented managedAppPolicies/{id}/assign action"}, because Graph documents no item create for it.`,
        example: {
            inputs: { target: exampleGroupTarget(EXAMPLE_GROUP) },
            update: { target: { "@odata.type": "#microsoft.graph.exclusionGroupAssignmentTarget", groupId: EXAMPLE_GROUP } },
        },
    };
}
