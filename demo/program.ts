/**
 * The demo's Pulumi program: the assignments a tenant admin would declare. `npm run demo` runs it against the local
 * Graph emulator (scripts/demo.ts); pointed at a real tenant (msgraph:* config) it would do the same there.
 */
import { GroupPolicyConfigurationAssignment, ProvisioningPolicyAssignment, targets } from "../sdk";

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
