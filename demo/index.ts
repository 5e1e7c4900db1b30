/**
 * The program of the root `Pulumi.yaml` (`main: dist/demo/index.js`), for `pulumi up` with a normal Pulumi
 * install: the demo's assignments, with ids from stack config (`demo:*`) defaulting to the ids `npm run demo` seeds
 * in the emulator. Point `msgraph:*` at the emulator (`npm run emulator` prints the values) or at a tenant.
 *
 *   pulumi config set demo:baselinePolicyId <groupPolicyConfiguration id>     (and cloudPcPolicyId, wifiProfileId,
 *   compliancePolicyId, remediationScriptId, pilotGroupId, contractorsGroupId, engineersGroupId, filterId;
 *   `demo:edited true` flips the pilot filter to exclude)
 */
import * as pulumi from "@pulumi/pulumi";
import { DEMO_IDS, demoProgram } from "./program";

export = async () => {
    const config = new pulumi.Config("demo");
    return demoProgram({
        baselinePolicyId: config.get("baselinePolicyId") ?? DEMO_IDS.baselinePolicy,
        cloudPcPolicyId: config.get("cloudPcPolicyId") ?? DEMO_IDS.cloudPcPolicy,
        wifiProfileId: config.get("wifiProfileId") ?? DEMO_IDS.wifiProfile,
        compliancePolicyId: config.get("compliancePolicyId") ?? DEMO_IDS.compliancePolicy,
        remediationScriptId: config.get("remediationScriptId") ?? DEMO_IDS.remediationScript,
        groups: {
            pilot: config.get("pilotGroupId") ?? DEMO_IDS.pilot,
            contractors: config.get("contractorsGroupId") ?? DEMO_IDS.contractors,
            engineers: config.get("engineersGroupId") ?? DEMO_IDS.engineers,
        },
        filterId: config.get("filterId") ?? DEMO_IDS.filter,
        edited: config.getBoolean("edited") ?? false,
    })();
};
