import { defineResource } from "../description.js";
import { INTUNE_ASSIGNMENT_TARGET } from "../targets.js";
import { intunePaths, intuneTargetOnly } from "./intuneFamily.js";

const paths = intunePaths("deviceEnrollmentConfigurations");
const target = intuneTargetOnly(
    { ...INTUNE_ASSIGNMENT_TARGET, doc: "Who the enrollment configuration is assigned to; filters only where Intune supports them (platform restrictions)." },
    { type: "intuneId", doc: "Id of the deviceEnrollmentConfiguration (may be `{guid}_{ConfigurationType}`)." },
);

/**
 * Intune enrollmentConfigurationAssignment (beta), fact sheet §12; the class is named after its parent,
 * deviceEnrollmentConfiguration.
 * Inputs: `policyId` (an Intune id, not always a plain GUID: e.g. `{guid}_Windows10EnrollmentCompletionPageConfiguration`;
 * changing it replaces) and `target`. Item POST is documented but reported refused (§12 (e)), so writes go through
 * `assign` by default, with body key `enrollmentConfigurationAssignments` and a 204 answer (the engine verifies by
 * reading the list again). Filters: the service supports them on enrollment device platform restrictions; for the
 * other configuration types support is not confirmed (❓) — they are accepted here and Graph's own answer decides,
 * since the assignment does not say which type its policy is. `source` and `sourceId` are Graph's: never compared or
 * sent for our entry, posted back as read otherwise.
 */
export const deviceEnrollmentConfigurationAssignment = defineResource({
    kind: "DeviceEnrollmentConfigurationAssignment",
    paths,
    odataType: "#microsoft.graph.enrollmentConfigurationAssignment",
    ...target,
    replaceOnChange: ["policyId"],
    serverManaged: ["id", "source", "sourceId"],
    // PATCH and DELETE are documented and not reported refused; POST is reported refused: `assign` by default.
    itemRoutes: { create: false, update: true, delete: true },
    assignList: {
        listPath: paths.collection,
        listShape: "collection",
        bodyKey: "enrollmentConfigurationAssignments",
        answer: "noContent",
        readOnly: [],
    },
    summary:
        "Assigns an Intune enrollment configuration (deviceManagement/deviceEnrollmentConfigurations: enrollment status page, enrollment limits, platform restrictions, Windows Hello for Business) to a group, an exclusion group, all devices or all licensed users. Written through the configuration's `assign` action, because Graph refuses item creates for this type.",
    example: {
        inputs: { target: { "@odata.type": "#microsoft.graph.groupAssignmentTarget", groupId: "6f1b1a59-2b1f-4a8e-9a8e-0b2a1d3c4e5f" } },
        update: { target: { "@odata.type": "#microsoft.graph.exclusionGroupAssignmentTarget", groupId: "6f1b1a59-2b1f-4a8e-9a8e-0b2a1d3c4e5f" } },
    },
});
