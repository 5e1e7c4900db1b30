/**
 * The demo's Pulumi program: the assignments a tenant admin would declare. `npm run demo` runs it against the local
 * Graph emulator (scripts/demo.ts); pointed at a real tenant (msgraph:* config) it would do the same there.
 */
import { GroupPolicyConfigurationAssignment, ProvisioningPolicyAssignment, targets } from "../sdk";

/**
 * The ids the demo seeds in the emulator (fixed, so a re-run finds them again: the emulator's seed skips existing
 * ids) and the root program's defaults.
 */
export const DEMO_IDS = {
    baselinePolicy: "5b0c6f2e-1d3a-4c5b-9e8f-7a6b5c4d3e2f",
    cloudPcPolicy: "8e7d6c5b-4a39-4281-b7c6-d5e4f3a2b1c0",
    pilot: "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
    contractors: "2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e",
    engineers: "3c4d5e6f-7a8b-4c9d-8e1f-2a3b4c5d6e7f",
    filter: "4d5e6f7a-8b9c-4d0e-9f2a-3b4c5d6e7f8a",
} as const;

/** Ids the program needs; the demo seeds these objects in the emulator. */
export interface DemoSettings {
    /** Intune groupPolicyConfiguration ("Security baseline"). */
    readonly baselinePolicyId: string;
    /** Windows 365 provisioning policy ("Engineering Cloud PCs"). */
    readonly cloudPcPolicyId: string;
    /** Entra groups. */
    readonly groups: { readonly pilot: string; readonly contractors: string; readonly engineers: string };
    /** Intune assignment filter ("Corporate-owned devices"). */
    readonly filterId: string;
    /** The "edited desired state": the pilot group's filter flips from include to exclude. */
    readonly edited?: boolean;
}

/** Declares three assignments and exports what the demo prints. */
export function demoProgram(settings: DemoSettings) {
    return async () => {
        const pilot = new GroupPolicyConfigurationAssignment("baseline-pilot", {
            policyId: settings.baselinePolicyId,
            target: targets.group(settings.groups.pilot, {
                filter: { id: settings.filterId, type: settings.edited ? "exclude" : "include" },
            }),
        });
        const contractors = new GroupPolicyConfigurationAssignment("baseline-exclude-contractors", {
            policyId: settings.baselinePolicyId,
            target: targets.exclusionGroup(settings.groups.contractors),
        });
        const engineers = new ProvisioningPolicyAssignment("cloudpc-engineers", {
            policyId: settings.cloudPcPolicyId,
            groupId: settings.groups.engineers,
        });
        return {
            assignments: {
                "baseline-pilot": { assignmentId: pilot.assignmentId, target: pilot.target },
                "baseline-exclude-contractors": { assignmentId: contractors.assignmentId, target: contractors.target },
                "cloudpc-engineers": { assignmentId: engineers.assignmentId, groupId: engineers.groupId },
            },
        };
    };
}
