/**
 * What the Intune device-management assignment families share: routes under `/deviceManagement/<collection>/{policyId}`,
 * a GUID policy id (changing it replaces), a deviceAndAppManagementAssignmentTarget and the one-assignment-per-target
 * slot, and the entity `@odata.type` in request bodies (Intune's documented PATCH examples carry it). Each family's
 * own description adds its properties, item routes and `assign` list (see the fact sheet section it cites).
 */
import type { ComplexSpec, ResourceDefinition, ResourcePaths, ValueAnnotations, ValueSpec } from "../types.js";
import { targetSlot } from "../targets.js";

/** The routes of an Intune family whose policies live at `/deviceManagement/<collection>`. */
export function intunePaths(collection: string): ResourcePaths {
    const policy = `/deviceManagement/${collection}/{policyId}`;
    return { parent: policy, collection: `${policy}/assignments`, item: `${policy}/assignments/{id}`, assign: `${policy}/assign` };
}

/**
 * The parts of a target-only Intune family's definition that do not vary (inputs `policyId` and `target`).
 * `policyId` is a GUID unless the family says otherwise (its own doc, or Intune's other id forms).
 */
export function intuneTargetOnly(target: ComplexSpec & ValueAnnotations, policyId: ValueSpec = { type: "guid" }): Pick<
    ResourceDefinition,
    "sendOdataType" | "properties" | "required" | "bodyProperties" | "pathProperties" | "matchKey"
> {
    return {
        sendOdataType: true,
        properties: { policyId, target },
        required: ["policyId", "target"],
        bodyProperties: ["target"],
        pathProperties: ["policyId"],
        matchKey: (body) => targetSlot(body.target),
    };
}

/** Placeholder group ids of the families' examples (an example names no real tenant's group). */
export const EXAMPLE_GROUP = "11111111-1111-4111-8111-111111111111";
export const EXAMPLE_OTHER_GROUP = "22222222-2222-4222-8222-222222222222";

/** A group target of the examples. */
export function exampleGroupTarget(groupId: string): Record<string, unknown> {
    return { "@odata.type": "#microsoft.graph.groupAssignmentTarget", groupId };
}
