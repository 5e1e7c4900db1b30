import * as pulumi from "@pulumi/pulumi";
import type { AdoptionOption } from "./adoptionOption";
import { DynamicAssignmentResource } from "./dynamicAssignmentResource";
import type { AssignmentTarget } from "./targets";

/** Inputs of {@link DeviceManagementScriptAssignment}. */
export interface DeviceManagementScriptAssignmentArgs extends AdoptionOption {
    /** Id (GUID) of the Intune deviceManagementScript (PowerShell script for Windows). Changing it REPLACES the assignment. */
    readonly policyId: pulumi.Input<string>;
    /**
     * Who the script is assigned to (build one with `targets.*`; filters are refused: Intune applies none to PowerShell scripts). Updated in place: the PATCH (or, under
     * `assign`, the posted list) carries the whole target with its `@odata.type`. Graph holds one assignment per target
     * of a script.
     */
    readonly target: pulumi.Input<AssignmentTarget>;
    /**
     * How writes reach Graph: `item` (POST/PATCH/DELETE per assignment), `assign` (read the script's list, change
     * only this entry, post the list to its `assign` action; other assignments are preserved) or `auto` (item routes
     * until Graph refuses them, then assign). Default: `msgraph:writeStrategy`, else `auto`. Not stored as an input:
     * changing it never replaces the assignment.
     */
    readonly writeStrategy?: "item" | "assign" | "auto";
}

/** An Intune PowerShell script assignment for Windows (`deviceManagementScriptAssignment`, Graph beta). */
export class DeviceManagementScriptAssignment extends DynamicAssignmentResource {
    /** The script id, as given. */
    declare public readonly policyId: pulumi.Output<string>;
    /** The target as Graph holds it (canonical form: lower-case GUIDs, `@odata.type` with '#'). */
    declare public readonly target: pulumi.Output<AssignmentTarget>;
    /** Graph's id of the assignment (server-managed). */
    declare public readonly assignmentId: pulumi.Output<string>;

    constructor(name: string, args: DeviceManagementScriptAssignmentArgs, opts?: pulumi.CustomResourceOptions) {
        const { writeStrategy, adoptExisting, ...inputs } = args;
        super("DeviceManagementScriptAssignment", name, { ...inputs, assignmentId: undefined }, opts, { writeStrategy, adoptExisting });
    }
}
