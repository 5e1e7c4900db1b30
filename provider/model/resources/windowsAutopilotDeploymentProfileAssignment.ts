import { defineResource } from "../description.js";
import { intuneTargetWithoutFilters } from "../targets.js";
import { EXAMPLE_GROUP, EXAMPLE_OTHER_GROUP, exampleGroupTarget, intuneTargetOnly } from "./intuneFamily.js";

const PROFILE = "/deviceManagement/windowsAutopilotDeploymentProfiles/{policyId}";

/**
 * Intune windowsAutopilotDeploymentProfileAssignment (beta; fact sheet section 7).
 * Inputs: `policyId` (GUID of the Windows Autopilot deployment profile) and `target`; changing EITHER replaces.
 *
 * Routes, chosen conservatively:
 * - The profile's `assign` action takes device ids, not assignments, so there is no `assign` write strategy: writes
 *   are item routes only (default write strategy `item`).
 * - The docs place the item routes under `/windowsAutopilotDeviceIdentities/{id}/deploymentProfile/assignments`, which
 *   reaches a profile only through one of its devices. The profile's own `/assignments` collection (GET, POST; item
 *   GET, PATCH, DELETE) is what the SDK generates and the only route that addresses a profile's group assignments, so
 *   it is used: list, POST to create, DELETE to remove.
 * - PATCH of an assignment on that route is not documented (service behaviour not confirmed): it is never sent. A
 *   target change replaces the assignment instead (a new group is created before the old one is deleted; the same group
 *   switched between include and exclude is deleted first, Graph holding one assignment per target).
 * - Whether Autopilot applies assignment filters is not confirmed (fact sheet section 1): a target carrying one is
 *   refused in check rather than possibly ignored by the service.
 * `source` and `sourceId` are Graph's: never compared, never sent.
 */
export const windowsAutopilotDeploymentProfileAssignment = defineResource({
    kind: "WindowsAutopilotDeploymentProfileAssignment",
    paths: { parent: PROFILE, collection: `${PROFILE}/assignments`, item: `${PROFILE}/assignments/{id}` },
    odataType: "#microsoft.graph.windowsAutopilotDeploymentProfileAssignment",
    ...intuneTargetOnly(intuneTargetWithoutFilters("assignment filters are not confirmed for Autopilot deployment profiles, so none is sent")),
    replaceOnChange: ["policyId", "target"],
    serverManaged: ["id", "source", "sourceId"],
    itemRoutes: { create: true, update: false, delete: true },
    summary:
        "Assigns a Windows Autopilot deployment profile to a group, all devices, all licensed users or a Configuration Manager collection, or excludes a group from it, through the profile's assignments collection. Graph's assign action of a profile takes device ids, so these assignments are written one at a time, and a change of target replaces the assignment.",
    example: {
        inputs: { target: exampleGroupTarget(EXAMPLE_GROUP) },
        // No in-place change exists for this kind (no PATCH): a new target replaces the assignment.
        update: { target: exampleGroupTarget(EXAMPLE_OTHER_GROUP) },
    },
});
