import { defineResource } from "../description.js";
import { INTUNE_ASSIGNMENT_TARGET } from "../targets.js";
import { intunePaths, intuneTargetOnly } from "./intuneFamily.js";

const paths = intunePaths("deviceConfigurations");
const target = intuneTargetOnly(
    { ...INTUNE_ASSIGNMENT_TARGET, doc: "Who the profile is assigned to (a group, an exclusion, all devices, all licensed users, a Configuration Manager collection)." },
    { type: "guid", doc: "Id of the Intune deviceConfiguration (device configuration profile)." },
);

/**
 * Intune deviceConfigurationAssignment (beta), fact sheet §2.
 * Inputs: `policyId` (GUID of the deviceConfiguration; changing it replaces), `target` (updated in place with PATCH)
 * and `intent` (`apply` or `remove`; Graph's default `apply`, so leaving it out never diffs). `source` and `sourceId`
 * are documented read-only: never compared, never sent, never posted back through `assign`.
 * Every item route is documented (POST 201, PATCH 200, DELETE 204) and `assign` answers 200 with the list; its legacy
 * `deviceConfigurationGroupAssignments` parameter is never sent.
 */
export const deviceConfigurationAssignment = defineResource({
    kind: "DeviceConfigurationAssignment",
    paths,
    odataType: "#microsoft.graph.deviceConfigurationAssignment",
    ...target,
    properties: {
        ...target.properties,
        intent: { type: "enum", values: ["apply", "remove"], default: "apply", doc: "Whether the profile is applied to or removed from the target (Graph's default: apply)." },
    },
    replaceOnChange: ["policyId"],
    serverManaged: ["id", "source", "sourceId"],
    bodyProperties: ["target", "intent"],
    itemRoutes: { create: true, update: true, delete: true },
    assignList: { listPath: paths.collection, listShape: "collection", answer: "list", readOnly: ["source", "sourceId"] },
    summary:
        "Assigns an Intune device configuration profile (deviceManagement/deviceConfigurations) to a group, an exclusion group, all devices, all licensed users or a Configuration Manager collection, optionally with an assignment filter; `intent: remove` removes the profile's settings from the target instead.",
    example: {
        inputs: {
            target: {
                "@odata.type": "#microsoft.graph.groupAssignmentTarget",
                groupId: "6f1b1a59-2b1f-4a8e-9a8e-0b2a1d3c4e5f",
                deviceAndAppManagementAssignmentFilterId: "9d8c7b6a-5f4e-4d3c-8b2a-190817263544",
                deviceAndAppManagementAssignmentFilterType: "include",
            },
            intent: "apply",
        },
        update: { intent: "remove" },
    },
});
