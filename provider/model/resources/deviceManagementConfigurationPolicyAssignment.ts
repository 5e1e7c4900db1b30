import { defineResource } from "../description.js";
import { INTUNE_ASSIGNMENT_TARGET } from "../targets.js";
import { intunePaths, intuneTargetOnly } from "./intuneFamily.js";

const paths = intunePaths("configurationPolicies");
const target = intuneTargetOnly(
    { ...INTUNE_ASSIGNMENT_TARGET, doc: "Who the settings catalog policy is assigned to; filters are supported (Windows, macOS)." },
    { type: "guid", doc: "Id of the settings catalog policy (deviceManagementConfigurationPolicy)." },
);

/**
 * Intune deviceManagementConfigurationPolicyAssignment (beta, settings catalog), fact sheet §4.
 * Inputs: `policyId` (GUID of the configurationPolicy; changing it replaces) and `target` (updated in place with
 * PATCH). Every item route is documented; `assign` answers 200 with the list. Reads use the assignments collection,
 * never `$expand` (it is reported to return an empty list for one policy whose templateFamily is endpointSecurity…,
 * §4 (f)). `source` and `sourceId` are Graph's: never compared or sent for our entry, posted back as read otherwise.
 */
export const deviceManagementConfigurationPolicyAssignment = defineResource({
    kind: "DeviceManagementConfigurationPolicyAssignment",
    paths,
    odataType: "#microsoft.graph.deviceManagementConfigurationPolicyAssignment",
    ...target,
    replaceOnChange: ["policyId"],
    serverManaged: ["id", "source", "sourceId"],
    itemRoutes: { create: true, update: true, delete: true },
    assignList: { listPath: paths.collection, listShape: "collection", answer: "list", readOnly: [] },
    summary:
        "Assigns an Intune settings catalog policy (deviceManagement/configurationPolicies) to a group, an exclusion group, all devices, all licensed users or a Configuration Manager collection, optionally with an assignment filter.",
    example: {
        inputs: { target: { "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget" } },
        update: {
            target: {
                "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget",
                deviceAndAppManagementAssignmentFilterId: "9d8c7b6a-5f4e-4d3c-8b2a-190817263544",
                deviceAndAppManagementAssignmentFilterType: "include",
            },
        },
    },
});
