/**
 * The assignments this stack owns. Kept apart from index.ts so the same declarations can run under `pulumi up`
 * (index.ts) or as an Automation API inline program (`LocalWorkspace.createOrSelectStack({ program })`).
 */
import * as pulumi from "@pulumi/pulumi";
import { CloudPcProvisioningPolicyAssignment, GroupPolicyConfigurationAssignment, targets } from "pulumi-msgraph-assignments";

/** The tenant's ids the program needs; every one is a GUID. */
export interface ExampleSettings {
    /** Intune groupPolicyConfiguration (administrative template) to assign. */
    readonly baselinePolicyId: string;
    /** Group that gets the baseline, narrowed by an assignment filter. */
    readonly pilotGroupId: string;
    /** Intune assignment filter (include) for the pilot group. */
    readonly pilotFilterId: string;
    /** Group excluded from the baseline. */
    readonly excludedGroupId: string;
    /** Windows 365 provisioning policy. */
    readonly cloudPcPolicyId: string;
    /** Group that gets Cloud PCs from that policy. */
    readonly cloudPcGroupId: string;
}

/** Reads the settings from the stack's config (`pulumi config set baselinePolicyId …`, in this project's namespace). */
export function readSettings(config: pulumi.Config = new pulumi.Config()): ExampleSettings {
    return {
        baselinePolicyId: config.require("baselinePolicyId"),
        pilotGroupId: config.require("pilotGroupId"),
        pilotFilterId: config.require("pilotFilterId"),
        excludedGroupId: config.require("excludedGroupId"),
        cloudPcPolicyId: config.require("cloudPcPolicyId"),
        cloudPcGroupId: config.require("cloudPcGroupId"),
    };
}

/** Declares the three assignments; returns the stack outputs (Graph's assignment ids). */
export function declareAssignments(settings: ExampleSettings) {
    const pilot = new GroupPolicyConfigurationAssignment("baseline-pilot", {
        policyId: settings.baselinePolicyId,
        target: targets.group(settings.pilotGroupId, { filter: { id: settings.pilotFilterId, type: "include" } }),
    });
    const excluded = new GroupPolicyConfigurationAssignment("baseline-excluded", {
        policyId: settings.baselinePolicyId,
        target: targets.exclusionGroup(settings.excludedGroupId),
    });
    const cloudPcs = new CloudPcProvisioningPolicyAssignment("cloudpc-engineers", {
        policyId: settings.cloudPcPolicyId,
        target: targets.cloudPcGroup(settings.cloudPcGroupId),
    });
    return {
        baselinePilotAssignmentId: pilot.assignmentId,
        baselineExcludedAssignmentId: excluded.assignmentId,
        cloudPcAssignmentId: cloudPcs.assignmentId,
    };
}

/** The whole program as an Automation API inline program: reads the config when it runs, then declares. */
export async function program() {
    return declareAssignments(readSettings());
}
