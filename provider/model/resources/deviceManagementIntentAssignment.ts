import { defineResource } from "../description.js";
import { INTUNE_ASSIGNMENT_TARGET } from "../targets.js";
import { intunePaths, intuneTargetOnly } from "./intuneFamily.js";

const paths = intunePaths("intents");
const target = intuneTargetOnly(
    { ...INTUNE_ASSIGNMENT_TARGET, doc: "Who the intent is assigned to." },
    { type: "guid", doc: "Id of the endpoint security intent (deviceManagementIntent)." },
);

/**
 * Intune deviceManagementIntentAssignment (beta, legacy endpoint security intents), fact sheet §13.
 * Inputs: `policyId` (GUID of the deviceManagementIntent; changing it replaces) and `target` (updated in place with
 * PATCH). The entity is `id` and `target` only. Every item route is documented; `assign` (body key `assignments`)
 * answers 204, so the engine verifies the list by reading it again.
 */
export const deviceManagementIntentAssignment = defineResource({
    kind: "DeviceManagementIntentAssignment",
    paths,
    odataType: "#microsoft.graph.deviceManagementIntentAssignment",
    ...target,
    replaceOnChange: ["policyId"],
    serverManaged: ["id"],
    itemRoutes: { create: true, update: true, delete: true },
    assignList: { listPath: paths.collection, listShape: "collection", answer: "noContent", readOnly: [] },
    summary:
        "Assigns a legacy Intune endpoint security intent (deviceManagement/intents) to a group, an exclusion group, all devices, all licensed users or a Configuration Manager collection.",
    example: {
        inputs: { target: { "@odata.type": "#microsoft.graph.exclusionGroupAssignmentTarget", groupId: "0c9e8f7a-6b5d-4c3b-8a29-1e0f2d3c4b5a" } },
        update: { target: { "@odata.type": "#microsoft.graph.groupAssignmentTarget", groupId: "0c9e8f7a-6b5d-4c3b-8a29-1e0f2d3c4b5a" } },
    },
});
