import * as pulumi from "@pulumi/pulumi";
import type { AdoptionOption } from "./adoptionOption";
import { DynamicAssignmentResource } from "./dynamicAssignmentResource";
import type { AssignmentTarget } from "./targets";

/** Inputs of {@link WindowsAutopilotDeploymentProfileAssignment}. */
export interface WindowsAutopilotDeploymentProfileAssignmentArgs extends AdoptionOption {
    /** Id (GUID) of the Windows Autopilot deployment profile. Changing it REPLACES the assignment. */
    readonly policyId: pulumi.Input<string>;
    /**
     * Who the profile is assigned to (build one with `targets.*`; filters are refused: filter support for Autopilot
     * is not confirmed). Changing it REPLACES the assignment (no PATCH is documented for it): a new group is assigned
     * before the old assignment is deleted.
     */
    readonly target: pulumi.Input<AssignmentTarget>;
    /**
     * Always item routes on the profile's assignments collection: the profile's `assign` action takes device ids,
     * not assignments, so `assign` is refused. Not stored as an input.
     */
    readonly writeStrategy?: "item" | "auto";
}

/** An Intune Windows Autopilot deployment profile assignment (`windowsAutopilotDeploymentProfileAssignment`, Graph beta). */
export class WindowsAutopilotDeploymentProfileAssignment extends DynamicAssignmentResource {
    /** The profile id, as given. */
    declare public readonly policyId: pulumi.Output<string>;
    /** The target as Graph holds it (canonical form: lower-case GUIDs, `@odata.type` with '#'). */
    declare public readonly target: pulumi.Output<AssignmentTarget>;
    /** Graph's id of the assignment (server-managed). */
    declare public readonly assignmentId: pulumi.Output<string>;

    constructor(name: string, args: WindowsAutopilotDeploymentProfileAssignmentArgs, opts?: pulumi.CustomResourceOptions) {
        const { writeStrategy, adoptExisting, ...inputs } = args;
        super("WindowsAutopilotDeploymentProfileAssignment", name, { ...inputs, assignmentId: undefined }, opts, { writeStrategy, adoptExisting });
    }
}
