import { defineResource } from "../description.js";
import { intuneTargetWithoutFilters } from "../targets.js";
import { EXAMPLE_GROUP, EXAMPLE_OTHER_GROUP, exampleGroupTarget, intunePaths, intuneTargetOnly } from "./intuneFamily.js";

/**
 * Intune windowsDriverUpdateProfileAssignment (beta; fact sheet section 8).
 * Inputs: `policyId` (GUID of the windowsDriverUpdateProfile; changing it replaces) and `target` (updated in place with
 * PATCH). Whether Intune applies assignment filters to driver update profiles is not confirmed (fact sheet
 * sections 1 and 8): conservatively, a target carrying one is refused in check, since a filter the service ignored
 * would widen the assignment unnoticed; allowing filters later loosens check without changing any state.
 * All five item methods are documented and none is reported refused: the default write strategy is `auto`. `assign`
 * takes the list as `assignments` and answers 204. The docs do not mark the id read-only, so ids are posted back to
 * `assign` (unchanged entries keep theirs).
 */
export const windowsDriverUpdateProfileAssignment = defineResource({
    kind: "WindowsDriverUpdateProfileAssignment",
    paths: intunePaths("windowsDriverUpdateProfiles"),
    odataType: "#microsoft.graph.windowsDriverUpdateProfileAssignment",
    ...intuneTargetOnly(intuneTargetWithoutFilters("assignment filters are not confirmed for driver update profiles, so none is sent")),
    replaceOnChange: ["policyId"],
    serverManaged: ["id"],
    itemRoutes: { create: true, update: true, delete: true },
    assignList: {
        listPath: "/deviceManagement/windowsDriverUpdateProfiles/{policyId}/assignments",
        listShape: "collection",
        answer: "noContent",
        readOnly: [],
    },
    summary:
        "Assigns an Intune driver update profile for Windows (windowsDriverUpdateProfiles: which driver and firmware updates devices get) to a group, all devices, all licensed users or a Configuration Manager collection, or excludes a group from it. Targets take no assignment filter (filter support for driver updates is not confirmed).",
    example: {
        inputs: { target: exampleGroupTarget(EXAMPLE_GROUP) },
        update: { target: exampleGroupTarget(EXAMPLE_OTHER_GROUP) },
    },
});
