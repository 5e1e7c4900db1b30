import { defineResource } from "../description.js";
import { intuneTargetWithoutFilters } from "../targets.js";
import { EXAMPLE_GROUP, EXAMPLE_OTHER_GROUP, exampleGroupTarget, intunePaths, intuneTargetOnly } from "./intuneFamily.js";

/**
 * Intune windowsFeatureUpdateProfileAssignment (beta; fact sheet section 8).
 * Inputs: `policyId` (GUID of the windowsFeatureUpdateProfile; changing it replaces) and `target` (updated in place with
 * PATCH). Intune applies no assignment filter to feature updates for Windows (fact sheet section 1, memdocs
 * filters-supported-workloads), so a target carrying one is refused in check rather than silently ignored.
 * All five item methods are documented and none is reported refused: the default write strategy is `auto`. `assign`
 * takes the list as `assignments` and answers 204. The docs do not mark the id read-only, so ids are posted back to
 * `assign` (unchanged entries keep theirs).
 */
export const windowsFeatureUpdateProfileAssignment = defineResource({
    kind: "WindowsFeatureUpdateProfileAssignment",
    paths: intunePaths("windowsFeatureUpdateProfiles"),
    odataType: "#microsoft.graph.windowsFeatureUpdateProfileAssignment",
    ...intuneTargetOnly(intuneTargetWithoutFilters("Intune applies no assignment filter to feature update profiles")),
    replaceOnChange: ["policyId"],
    serverManaged: ["id"],
    itemRoutes: { create: true, update: true, delete: true },
    assignList: {
        listPath: "/deviceManagement/windowsFeatureUpdateProfiles/{policyId}/assignments",
        listShape: "collection",
        answer: "noContent",
        readOnly: [],
    },
    summary:
        "Assigns an Intune feature update profile for Windows (windowsFeatureUpdateProfiles: the Windows version devices move to) to a group, all devices, all licensed users or a Configuration Manager collection, or excludes a group from it. Intune applies no assignment filter to feature updates, so targets take none.",
    example: {
        inputs: { target: exampleGroupTarget(EXAMPLE_GROUP) },
        update: { target: exampleGroupTarget(EXAMPLE_OTHER_GROUP) },
    },
});
