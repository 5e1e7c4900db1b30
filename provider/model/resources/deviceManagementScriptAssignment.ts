import { defineResource } from "../description.js";
import { intuneTargetWithoutFilters } from "../targets.js";
import { EXAMPLE_GROUP, EXAMPLE_OTHER_GROUP, exampleGroupTarget, intunePaths, intuneTargetOnly } from "./intuneFamily.js";

/**
 * Intune deviceManagementScriptAssignment of a Windows PowerShell script (beta; fact sheet section 5).
 * Inputs: `policyId` (GUID of the deviceManagementScript; changing it replaces) and `target` (updated in place with
 * PATCH). The service applies no assignment filter to PowerShell scripts (fact sheet section 1, memdocs
 * filters-supported-workloads), so a target carrying one is refused in check rather than silently ignored by Intune.
 * All five item methods are documented and none is reported refused: the default write strategy is `auto`. `assign`
 * takes the list as `deviceManagementScriptAssignments` and answers 204; its legacy `deviceManagementScriptGroupAssignments`
 * parameter is never sent. The docs mark the assignment id read-only, so ids are not posted back to `assign`.
 */
export const deviceManagementScriptAssignment = defineResource({
    kind: "DeviceManagementScriptAssignment",
    paths: intunePaths("deviceManagementScripts"),
    odataType: "#microsoft.graph.deviceManagementScriptAssignment",
    ...intuneTargetOnly(intuneTargetWithoutFilters("Intune applies no assignment filter to PowerShell scripts")),
    replaceOnChange: ["policyId"],
    serverManaged: ["id"],
    itemRoutes: { create: true, update: true, delete: true },
    assignList: {
        listPath: "/deviceManagement/deviceManagementScripts/{policyId}/assignments",
        listShape: "collection",
        bodyKey: "deviceManagementScriptAssignments",
        answer: "noContent",
        readOnly: ["id"],
    },
    summary:
        "Assigns an Intune PowerShell script for Windows (deviceManagementScripts) to a group, all devices, all licensed users or a Configuration Manager collection, or excludes a group from it. Intune applies no assignment filter to PowerShell scripts, so targets take none.",
    example: {
        inputs: { target: exampleGroupTarget(EXAMPLE_GROUP) },
        update: { target: exampleGroupTarget(EXAMPLE_OTHER_GROUP) },
    },
});
