import { defineResource } from "../description.js";
import { INTUNE_ASSIGNMENT_TARGET } from "../targets.js";
import { EXAMPLE_GROUP, exampleGroupTarget, intuneTargetOnly } from "./intuneFamily.js";

const CONFIGURATION = "/deviceAppManagement/mobileAppConfigurations/{policyId}";
const target = intuneTargetOnly(INTUNE_ASSIGNMENT_TARGET);

/**
 * Intune managedDeviceMobileAppConfigurationAssignment: an app configuration policy for managed devices assigned to a
 * target (beta; fact sheet section 10). Inputs: `policyId` (GUID of the managedDeviceMobileAppConfiguration; changing
 * it replaces) and `target` (updated in place; filters are supported for managed-device app configuration).
 *
 * Routes: item POST is documented but reported refused ("No OData route", section 10 (e)), so the default strategy is
 * `assign`; and the documented `…/{id}/assign` is itself reported refused while the same action answers under the cast
 * segment `…/{id}/microsoft.graph.managedDeviceMobileAppConfiguration/assign` (204, body key `assignments`): that is
 * the path written to. The list is read from `…/{id}/assignments`. PATCH and DELETE are documented and not reported
 * refused; they run only under an explicit `writeStrategy: auto`.
 */
export const managedDeviceMobileAppConfigurationAssignment = defineResource({
    kind: "ManagedDeviceMobileAppConfigurationAssignment",
    paths: {
        parent: CONFIGURATION,
        collection: `${CONFIGURATION}/assignments`,
        item: `${CONFIGURATION}/assignments/{id}`,
        assign: `${CONFIGURATION}/microsoft.graph.managedDeviceMobileAppConfiguration/assign`,
    },
    odataType: "#microsoft.graph.managedDeviceMobileAppConfigurationAssignment",
    ...target,
    properties: {
        policyId: { type: "guid", doc: "Id of the app configuration policy for managed devices (managedDeviceMobileAppConfiguration)." },
        target: { ...INTUNE_ASSIGNMENT_TARGET, doc: "Who the app configuration is assigned to; filters are allowed on include targets." },
    },
    replaceOnChange: ["policyId"],
    serverManaged: ["id"],
    itemRoutes: { create: false, update: true, delete: true },
    assignList: { listPath: `${CONFIGURATION}/assignments`, listShape: "collection", answer: "noContent", readOnly: [] },
    summary:
        "Assigns an Intune app configuration policy for managed devices (deviceAppManagement/mobileAppConfigurations: iOS/iPadOS and Android Enterprise) to a target, optionally with an assignment filter. Written through the policy's assign action under its cast segment, because Graph is reported to refuse both the item create and the documented assign path.",
    example: {
        inputs: { target: exampleGroupTarget(EXAMPLE_GROUP) },
        update: {
            target: {
                ...exampleGroupTarget(EXAMPLE_GROUP),
                deviceAndAppManagementAssignmentFilterId: "9d8c7b6a-5f4e-4d3c-8b2a-190817263544",
                deviceAndAppManagementAssignmentFilterType: "include",
            },
        },
    },
});
