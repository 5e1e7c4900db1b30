/**
 * `pulumi up` in the repository root as a user with a regular Pulumi installation runs it: the root Pulumi.yaml's
 * program (`main: dist/demo/index.js`) started by the real CLI through the Node.js language host, against the
 * emulator. The project folder is the root's Pulumi.yaml and package.json with dist/ and node_modules/ linked, in a
 * state folder, so the stack's config file and state stay out of the working tree.
 */
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, rmSync, symlinkSync } from "node:fs";
import path from "node:path";
import { DEMO_IDS, DEMO_SEED } from "../../demo/program";
import { isBatchEnvelope, startEmulator, type RunningEmulator } from "../../emulator";
import { newStateDir, providerConfigFor, pulumiEnvironment, repoRoot } from "../../scripts/pulumiEnvironment";
import { stepTimings } from "../support/timings";
import { initCliProject, skipWithoutLanguageHost, type CliProject } from "./cliProject";

describe("pulumi up / preview / refresh / destroy in the repository root with the CLI and its language host", function () {
    this.timeout(600_000);
    let stateDir: string | undefined;
    let emulator: RunningEmulator | undefined;
    let project: CliProject;
    const { timed, summary: timingSummary } = stepTimings();

    before(async function () {
        skipWithoutLanguageHost(this);
        stateDir = newStateDir("root-cli");
        const dir = path.join(stateDir, "project");
        mkdirSync(dir);
        for (const file of ["Pulumi.yaml", "package.json"]) copyFileSync(path.join(repoRoot, file), path.join(dir, file));
        for (const folder of ["dist", "node_modules"]) symlinkSync(path.join(repoRoot, folder), path.join(dir, folder));
        emulator = await startEmulator({
            faults: { rateLimit: false },
            seed: DEMO_SEED,
        });
        project = await initCliProject(dir, "dev", pulumiEnvironment(stateDir), providerConfigFor(emulator));
    });

    after(async () => {
        if (timingSummary()) console.log(`      timings: ${timingSummary()}`);
        await emulator?.stop();
        if (stateDir) rmSync(stateDir, { recursive: true, force: true });
    });

    const pulumi = (args: string[]) => timed(args[0]!, () => project.pulumi(args));
    const graph = () => emulator!.log().filter((entry) => entry.path.startsWith("/beta/"));
    /** Graph writes since the last clearLog as "METHOD path", sorted (the engine runs the resources in parallel). */
    const writes = () => graph().filter((entry) => entry.method !== "GET" && !isBatchEnvelope(entry)).map((entry) => `${entry.method} ${entry.path}`).sort();
    const baselineRoute = `/beta/deviceManagement/groupPolicyConfigurations/${DEMO_IDS.baselinePolicy}/assignments`;
    const cloudPcRoute = `/beta/provisioningPolicies/${DEMO_IDS.cloudPcPolicy}/assignments`;
    const cloudPcPolicyRead = `/beta/deviceManagement/virtualEndpoint/provisioningPolicies/${DEMO_IDS.cloudPcPolicy}`;
    const wifiRoute = `/beta/deviceManagement/deviceConfigurations/${DEMO_IDS.wifiProfile}/assignments`;
    const complianceRoute = `/beta/deviceManagement/deviceCompliancePolicies/${DEMO_IDS.compliancePolicy}`;
    const remediationRoute = `/beta/deviceManagement/deviceHealthScripts/${DEMO_IDS.remediationScript}`;
    const baseline = () => emulator!.admin.listAssignments("groupPolicyConfigurations", DEMO_IDS.baselinePolicy);
    const others = () => [
        ...emulator!.admin.listAssignments("deviceConfigurations", DEMO_IDS.wifiProfile),
        ...emulator!.admin.listAssignments("deviceCompliancePolicies", DEMO_IDS.compliancePolicy),
        ...emulator!.admin.listAssignments("deviceHealthScripts", DEMO_IDS.remediationScript),
    ];
    const cloudPc = () => emulator!.admin.listAssignments("provisioningPolicies", DEMO_IDS.cloudPcPolicy);

    it("pulumi up runs dist/demo/index.js and creates the demo's six assignments of five kinds in Graph", async () => {
        emulator!.admin.clearLog();
        const { stdout } = await pulumi(["up", "--yes", "--skip-preview"]);
        assert.match(stdout, /\+ 7 created/, stdout); // 6 assignments + the stack
        assert.deepEqual(baseline().map((a) => a.target.groupId).sort(), [DEMO_IDS.pilot, DEMO_IDS.contractors].sort());
        assert.deepEqual(cloudPc().map((a) => a.target.groupId), [DEMO_IDS.engineers]);
        assert.equal(others().length, 3);
        assert.deepEqual(writes(), [
            `POST ${cloudPcRoute}`, `POST ${baselineRoute}`, `POST ${baselineRoute}`, `POST ${wifiRoute}`,
            `POST ${complianceRoute}/assign`, `POST ${remediationRoute}/assign`,
        ].sort());
    });

    it("pulumi preview --diff reports no changes and sends no write", async () => {
        emulator!.admin.clearLog();
        const { stdout } = await pulumi(["preview", "--diff", "--expect-no-changes"]);
        assert.match(stdout, /7 unchanged/, stdout);
        assert.deepEqual(writes(), []);
    });

    it("pulumi refresh reads every assignment back from its policy's list, once per policy, and changes nothing", async () => {
        emulator!.admin.clearLog();
        const { stdout } = await pulumi(["refresh", "--yes", "--skip-preview", "--expect-no-changes"]);
        assert.match(stdout, /7 unchanged/, stdout);
        // Both baseline assignments come from one listing of their policy; the Cloud PC one from its policy ($expand).
        const reads = graph().filter((entry) => entry.method === "GET").map((entry) => entry.path);
        assert.deepEqual(reads.sort(), [baselineRoute, cloudPcPolicyRead, wifiRoute, `${complianceRoute}/assignments`, `${remediationRoute}/assignments`].sort(), reads.join("\n"));
        assert.deepEqual(writes(), []);
    });

    it("pulumi destroy deletes the six assignments", async () => {
        const expected = [
            ...baseline().map((a) => `DELETE ${baselineRoute}/${a.id}`),
            ...cloudPc().map((a) => `DELETE ${cloudPcRoute}/${a.id}`),
            ...emulator!.admin.listAssignments("deviceConfigurations", DEMO_IDS.wifiProfile).map((a) => `DELETE ${wifiRoute}/${a.id}`),
            `POST ${complianceRoute}/assign`,
            `POST ${remediationRoute}/assign`,
        ].sort();
        assert.equal(expected.length, 6);
        emulator!.admin.clearLog();
        const { stdout } = await pulumi(["destroy", "--yes", "--skip-preview"]);
        assert.match(stdout, /- 7 deleted/, stdout);
        assert.deepEqual(writes(), expected);
        assert.deepEqual(baseline(), []);
        assert.deepEqual(cloudPc(), []);
        assert.deepEqual(others(), []);
    });
});
