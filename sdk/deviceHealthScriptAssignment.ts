import * as pulumi from "@pulumi/pulumi";
import type { AdoptionOption } from "./adoptionOption";
import { DynamicAssignmentResource } from "./dynamicAssignmentResource";
import type { RunSchedule } from "./schedules";
import type { AssignmentTarget } from "./targets";

/** Inputs of {@link DeviceHealthScriptAssignment}. */
export interface DeviceHealthScriptAssignmentArgs extends AdoptionOption {
    /** Id (GUID) of the Intune deviceHealthScript (Remediations script). Changing it REPLACES the assignment. */
    readonly policyId: pulumi.Input<string>;
    /**
     * Who the script is assigned to (build one with `targets.*`; assignment filters are allowed on include targets).
     * Updated in place. Graph holds one assignment per target of a script.
     */
    readonly target: pulumi.Input<AssignmentTarget>;
    /**
     * Run the remediation script too (true), or only the detection script (false). Updated in place. Default false:
     * the docs state no default; false is taken as Graph's (an unset boolean), and leaving it out equals false.
     */
    readonly runRemediationScript?: pulumi.Input<boolean>;
    /**
     * When the script runs (build one with `schedules.hourly`, `schedules.daily` or `schedules.once`). Updated in
     * place; sent whole with its `@odata.type`. No default.
     */
    readonly runSchedule?: pulumi.Input<RunSchedule>;
    /**
     * How writes reach Graph. Default `assign` (read the script's list, change only this entry, post the list to its
     * `assign` action; other assignments are preserved): Graph is reported to refuse creating single assignments.
     * `auto` tries the item routes first. `item` is refused (no item create). Not stored as an input.
     */
    readonly writeStrategy?: "assign" | "auto";
}

/** An Intune Remediations script assignment (`deviceHealthScriptAssignment`, Graph beta), written through `assign`. */
export class DeviceHealthScriptAssignment extends DynamicAssignmentResource {
    /** The script id, as given. */
    declare public readonly policyId: pulumi.Output<string>;
    /** The target as Graph holds it (canonical form: lower-case GUIDs, `@odata.type` with '#'). */
    declare public readonly target: pulumi.Output<AssignmentTarget>;
    /** Whether the remediation script runs (absent when it equals Graph's default, false). */
    declare public readonly runRemediationScript: pulumi.Output<boolean | undefined>;
    /** The run schedule as Graph holds it (times as "HH:MM:SS"). */
    declare public readonly runSchedule: pulumi.Output<RunSchedule | undefined>;
    /** Graph's id of the assignment (server-managed). */
    declare public readonly assignmentId: pulumi.Output<string>;

    constructor(name: string, args: DeviceHealthScriptAssignmentArgs, opts?: pulumi.CustomResourceOptions) {
        const { writeStrategy, adoptExisting, ...inputs } = args;
        super("DeviceHealthScriptAssignment", name, { ...inputs, assignmentId: undefined }, opts, { writeStrategy, adoptExisting });
    }
}
