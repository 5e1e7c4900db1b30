/**
 * The demo's Pulumi program: the assignments a tenant admin would declare. `npm run demo` runs it against the local
 * Graph emulator (scripts/demo.ts); pointed at a real tenant (msgraph:* config) it would do the same there.
 */
import {
    DeviceCompliancePolicyAssignment,
    DeviceConfigurationAssignment,
    DeviceHealthScriptAssignment,
    GroupPolicyConfigurationAssignment,
    ProvisioningPolicyAssignment,
    schedules,
    targets,
} from "../sdk";

/**
 * The ids the demo seeds in the emulator (fixed, so a re-run finds them again: the emulator's seed skips existing
 * ids) and the root program's defaults.
 */
export const DEMO_IDS = {
    baselinePolicy: "5b0c6f2e-1d3a-4c5b-9e8f-7a6b5c4d3e2f",
    cloudPcPolicy: "8e7d6c5b-4a39-4281-b7c6-d5e4f3a2b1c0",
    wifiProfile: "6a5b4c3d-2e1f-4a0b-9c8d-7e6f5a4b3c2d",
    compliancePolicy: "7b6c5d4e-3f2a-4b1c-8d9e-0f1a2b3c4d5e",
    remediationScript: "9c8d7e6f-5a4b-4c3d-8e2f-1a0b9c8d7e6f",
    pilot: "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
    contractors: "2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e",
    engineers: "3c4d5e6f-7a8b-4c9d-8e1f-2a3b4c5d6e7f",
    filter: "4d5e6f7a-8b9c-4d0e-9f2a-3b4c5d6e7f8a",
} as const;

/** Ids the program needs; the demo seeds these objects in the emulator. */
/** Display names of the demo's policies, groups and filter. */
export const DEMO_NAMES: Readonly<Record<string, string>> = {
    [DEMO_IDS.baselinePolicy]: "Security baseline",
    [DEMO_IDS.cloudPcPolicy]: "Engineering Cloud PCs",
    [DEMO_IDS.wifiProfile]: "Corporate Wi-Fi",
    [DEMO_IDS.compliancePolicy]: "Windows compliance",
    [DEMO_IDS.remediationScript]: "Restart stale services",
    [DEMO_IDS.pilot]: "Pilot devices",
    [DEMO_IDS.contractors]: "Contractors",
    [DEMO_IDS.engineers]: "Engineers",
    [DEMO_IDS.filter]: "Corporate-owned devices",
};

/** The emulator's seed for the demo (and the root program's tests): its five policy kinds, groups and filter. */
export const DEMO_SEED = {
    groupPolicyConfigurations: [{ id: DEMO_IDS.baselinePolicy, displayName: DEMO_NAMES[DEMO_IDS.baselinePolicy]! }],
    provisioningPolicies: [{ id: DEMO_IDS.cloudPcPolicy, displayName: DEMO_NAMES[DEMO_IDS.cloudPcPolicy]!, provisioningType: "dedicated" }],
    deviceConfigurations: [{ id: DEMO_IDS.wifiProfile, displayName: DEMO_NAMES[DEMO_IDS.wifiProfile]! }],
    deviceCompliancePolicies: [{ id: DEMO_IDS.compliancePolicy, displayName: DEMO_NAMES[DEMO_IDS.compliancePolicy]! }],
    deviceHealthScripts: [{ id: DEMO_IDS.remediationScript, displayName: DEMO_NAMES[DEMO_IDS.remediationScript]! }],
    groups: [DEMO_IDS.pilot, DEMO_IDS.contractors, DEMO_IDS.engineers].map((id) => ({ id, displayName: DEMO_NAMES[id]! })),
    filters: [{ id: DEMO_IDS.filter, displayName: DEMO_NAMES[DEMO_IDS.filter]!, platform: "windows10AndLater", rule: '(device.deviceOwnership -eq "Corporate")' }],
} as const;

export interface DemoSettings {
    /** Intune groupPolicyConfiguration ("Security baseline"). */
    readonly baselinePolicyId: string;
    /** Windows 365 provisioning policy ("Engineering Cloud PCs"). */
    readonly cloudPcPolicyId: string;
    /** Intune device configuration profile ("Corporate Wi-Fi"). */
    readonly wifiProfileId: string;
    /** Intune compliance policy ("Windows compliance"), written through its `assign` action. */
    readonly compliancePolicyId: string;
    /** Intune Remediations script ("Restart stale services"), written through its `assign` action. */
    readonly remediationScriptId: string;
    /** Entra groups. */
    readonly groups: { readonly pilot: string; readonly contractors: string; readonly engineers: string };
    /** Intune assignment filter ("Corporate-owned devices"). */
    readonly filterId: string;
    /** The "edited desired state": the pilot group's filter flips from include to exclude. */
    readonly edited?: boolean;
}

/** Declares six assignments of five kinds and exports what the demo prints. */
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
        const wifi = new DeviceConfigurationAssignment("wifi-engineers", {
            policyId: settings.wifiProfileId,
            target: targets.group(settings.groups.engineers),
            intent: "apply",
        });
        const compliance = new DeviceCompliancePolicyAssignment("compliance-all-devices", {
            policyId: settings.compliancePolicyId,
            target: targets.allDevices(),
        });
        const remediation = new DeviceHealthScriptAssignment("remediation-pilot", {
            policyId: settings.remediationScriptId,
            target: targets.group(settings.groups.pilot),
            runRemediationScript: true,
            runSchedule: schedules.daily({ time: "01:00" }),
        });
        return {
            assignments: {
                "wifi-engineers": { assignmentId: wifi.assignmentId, target: wifi.target },
                "compliance-all-devices": { assignmentId: compliance.assignmentId, target: compliance.target },
                "remediation-pilot": { assignmentId: remediation.assignmentId, target: remediation.target },
                "baseline-pilot": { assignmentId: pilot.assignmentId, target: pilot.target },
                "baseline-exclude-contractors": { assignmentId: contractors.assignmentId, target: contractors.target },
                "cloudpc-engineers": { assignmentId: engineers.assignmentId, groupId: engineers.groupId },
            },
        };
    };
}
