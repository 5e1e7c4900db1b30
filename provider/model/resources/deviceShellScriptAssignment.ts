import { defineResource } from "../description.js";
import { intuneTargetWithoutFilters } from "../targets.js";
import { EXAMPLE_GROUP, EXAMPLE_OTHER_GROUP, exampleGroupTarget, intunePaths, intuneTargetOnly } from "./intuneFamily.js";

/**
 * Intune assignment of a macOS shell script (beta; fact sheet section 5). Graph has no shell-script assignment type of
 * its own: the entity is a deviceManagementScriptAssignment, as for Windows PowerShell scripts.
 * Inputs: `policyId` (GUID of the deviceShellScript; changing it replaces) and `target` (updated in place with PATCH).
 * The service applies no assignment filter to shell scripts (fact sheet section 1), so a target carrying one is
 * refused in check. All five item methods are documented and none is reported refused: the default write strategy is
 * `auto`. `assign` takes the list as `deviceManagementScriptAssignments` and answers 204 (the legacy
 * `deviceManagementScriptGroupAssignments` parameter is never sent); ids are read-only and not posted back.
 */
export const deviceShellScriptAssignment = defineResource({
    kind: "DeviceShellScriptAssignment",
    paths: intunePaths("deviceShellScripts"),
    odataType: "#microsoft.graph.deviceManagementScriptAssignment",
    ...intuneTargetOnly(intuneTargetWithoutFilters("Intune applies no assignment filter to shell scripts")),
    replaceOnChange: ["policyId"],
    serverManaged: ["id"],
    itemRoutes: { create: true, update: true, delete: true },
    assignList: {
        listPath: "/deviceManagement/deviceShellScripts/{policyId}/assignments",
        listShape: "collection",
        bodyKey: "deviceManagementScriptAssignments",
        answer: "noContent",
        readOnly: ["id"],
    },
    summary:
        "Assigns an Intune shell script for macOS (deviceShellScripts) to a group, all devices, all licensed users or a Configuration Manager collection, or excludes a group from it. Intune applies no assignment filter to shell scripts, so targets take none.",
    example: {
        inputs: { target: exampleGroupTarget(EXAMPLE_GROUP) },
        update: { target: exampleGroupTarget(EXAMPLE_OTHER_GROUP) },
    },
});
