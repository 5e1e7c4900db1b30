import * as pulumi from "@pulumi/pulumi";
import type { AdoptionOption } from "./adoptionOption";
import { DynamicAssignmentResource } from "./dynamicAssignmentResource";
import type { AssignmentTarget } from "./targets";

/** Inputs of {@link WindowsFeatureUpdateProfileAssignment}. */
export interface WindowsFeatureUpdateProfileAssignmentArgs extends AdoptionOption {
    /** Id (GUID) of the Intune windowsFeatureUpdateProfile. Changing it REPLACES the assignment. */
    readonly policyId: pulumi.Input<string>;
    /**
     * Who the profile is assigned to (build one with `targets.*`; filters are refused: Intune applies none to feature updates). Updated in place: the PATCH (or, under
     * `assign`, the posted list) carries the whole target with its `@odata.type`. Graph holds one assignment per target
     * of a profile.
     */
    readonly target: pulumi.Input<AssignmentTarget>;
    /**
     * How writes reach Graph: `item` (POST/PATCH/DELETE per assignment), `assign` (read the profile's list, change
     * only this entry, post the list to its `assign` action; other assignments are preserved) or `auto` (item routes
     * until Graph refuses them, then assign). Default: `msgraph:writeStrategy`, else `auto`. Not stored as an input:
     * changing it never replaces the assignment.
     */
    readonly writeStrategy?: "item" | "assign" | "auto";
}

/** An Intune Windows feature update profile assignment (`windowsFeatureUpdateProfileAssignment`, Graph beta). */
export class WindowsFeatureUpdateProfileAssignment extends DynamicAssignmentResource {
    /** The profile id, as given. */
    declare public readonly policyId: pulumi.Output<string>;
    /** The target as Graph holds it (canonical form: lower-case GUIDs, `@odata.type` with '#'). */
    declare public readonly target: pulumi.Output<AssignmentTarget>;
    /** Graph's id of the assignment (server-managed). */
    declare public readonly assignmentId: pulumi.Output<string>;

    constructor(name: string, args: WindowsFeatureUpdateProfileAssignmentArgs, opts?: pulumi.CustomResourceOptions) {
        const { writeStrategy, adoptExisting, ...inputs } = args;
        super("WindowsFeatureUpdateProfileAssignment", name, { ...inputs, assignmentId: undefined }, opts, { writeStrategy, adoptExisting });
    }
}
