import * as pulumi from "@pulumi/pulumi";
import type { AdoptionOption } from "./adoptionOption";
import type { InstallIntent, MobileAppAssignmentSettings } from "./appSettings";
import { DynamicAssignmentResource } from "./dynamicAssignmentResource";
import type { AssignmentTarget } from "./targets";

/** Inputs of {@link MobileAppAssignment}. */
export interface MobileAppAssignmentArgs extends AdoptionOption {
    /** Id (GUID) of the Intune mobileApp. Changing it REPLACES the assignment. */
    readonly policyId: pulumi.Input<string>;
    /**
     * Who the app is assigned to (build one with `targets.*`; filters allowed on include targets). Updated in place.
     * Graph holds one assignment per target of an app: a group holds one intent per app.
     */
    readonly target: pulumi.Input<AssignmentTarget>;
    /** What happens to the app (see `intents`). Required: Graph documents no default. Updated in place. */
    readonly intent: pulumi.Input<InstallIntent>;
    /**
     * Settings of the app's type (build them with `appSettings.*`). Updated in place, sent whole with its
     * `@odata.type` and Graph's defaults written out; a setting left out is Graph's default and never diffs. Checked
     * against its type before any request; `isRemovable` only with `intent: "required"`. No default (absent: none).
     */
    readonly settings?: pulumi.Input<MobileAppAssignmentSettings>;
    /**
     * How writes reach Graph: `auto` (default: item routes, `assign` once Graph refuses them), `item`, or `assign`
     * (read the app's list, change only this entry, post the list to `assign` with `mobileAppAssignments`; entries of
     * other groups keep their intent and settings). Not stored as an input.
     */
    readonly writeStrategy?: "item" | "assign" | "auto";
}

/** An Intune app assignment (`mobileAppAssignment`, Graph beta): an app, a target, an install intent and settings. */
export class MobileAppAssignment extends DynamicAssignmentResource {
    /** The app id, as given. */
    declare public readonly policyId: pulumi.Output<string>;
    /** The target as Graph holds it (canonical form: lower-case GUIDs, `@odata.type` with '#'). */
    declare public readonly target: pulumi.Output<AssignmentTarget>;
    /** The install intent. */
    declare public readonly intent: pulumi.Output<InstallIntent>;
    /** The settings as Graph holds them, without the values equal to Graph's defaults. */
    declare public readonly settings: pulumi.Output<MobileAppAssignmentSettings | undefined>;
    /** Graph's id of the assignment (server-managed). */
    declare public readonly assignmentId: pulumi.Output<string>;

    constructor(name: string, args: MobileAppAssignmentArgs, opts?: pulumi.CustomResourceOptions) {
        const { writeStrategy, adoptExisting, ...inputs } = args;
        super("MobileAppAssignment", name, { ...inputs, assignmentId: undefined }, opts, { writeStrategy, adoptExisting });
    }
}
