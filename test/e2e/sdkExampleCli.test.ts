/**
 * examples/sdk-program run exactly as the README tells a user: the package packed and installed from the tarball
 * into a copy of the example, then `pulumi stack init`, `pulumi config set-all`, `pulumi up`, `preview --diff`,
 * `refresh` and `destroy` with the real CLI, which runs the example's index.ts (runtime nodejs, TypeScript) through
 * the Node.js language host, against the emulator.
 */
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { isBatchEnvelope, startEmulator, type RunningEmulator } from "../../emulator";
import { newStateDir, providerConfigFor, pulumiEnvironment } from "../../scripts/pulumiEnvironment";
import { stepTimings } from "../support/timings";
import { initCliProject, skipWithoutLanguageHost, type CliProject } from "./cliProject";
import { exampleIds as ids, exampleSeed, installExampleCopy } from "./sdkExampleCopy";

describe("examples/sdk-program from the tarball with pulumi up / preview / refresh / destroy and the language host", function () {
    this.timeout(600_000);
    let stateDir: string | undefined;
    let emulator: RunningEmulator | undefined;
    let project: CliProject;
    const { timed, summary: timingSummary } = stepTimings();

    before(async function () {
        skipWithoutLanguageHost(this);
        stateDir = newStateDir("sdk-example-cli");
        const installed = installExampleCopy(stateDir, { compile: false, timed });
        emulator = await startEmulator({ seed: exampleSeed });
        project = await initCliProject(installed.dir, "dev", pulumiEnvironment(stateDir), {
            ...providerConfigFor(emulator),
            // `pulumi config set baselinePolicyId …` as the README has it: keys in the project's namespace.
            ...Object.fromEntries(Object.entries(ids).map(([key, value]) => [key, { value }])),
        });
    });

    after(async () => {
        if (timingSummary()) console.log(`      timings: ${timingSummary()}`);
        await emulator?.stop();
        if (stateDir) rmSync(stateDir, { recursive: true, force: true });
    });

    const pulumi = (args: string[]) => timed(args.join(" ").replace(/ --.*/, ""), () => project.pulumi(args));
    const graph = () => emulator!.log().filter((entry) => entry.path.startsWith("/beta/"));
    /** Graph writes since the last clearLog as "METHOD path", sorted (the engine runs the three resources in parallel). */
    const writes = () => graph().filter((entry) => entry.method !== "GET" && !isBatchEnvelope(entry)).map((entry) => `${entry.method} ${entry.path}`).sort();
    const baselineRoute = `/beta/deviceManagement/groupPolicyConfigurations/${ids.baselinePolicyId}/assignments`;
    // CloudPcProvisioningPolicyAssignment writes through the policy's `assign` action (its default strategy) and reads the policy.
    const cloudPcPolicy = `/beta/deviceManagement/virtualEndpoint/provisioningPolicies/${ids.cloudPcPolicyId}`;
    const baseline = () => emulator!.admin.listAssignments("groupPolicyConfigurations", ids.baselinePolicyId);
    const cloudPcs = () => emulator!.admin.listAssignments("provisioningPolicies", ids.cloudPcPolicyId);

    it("pulumi up runs index.ts and creates the three assignments; the stack outputs are their Graph ids", async () => {
        emulator!.admin.clearLog();
        const { stdout } = await pulumi(["up", "--yes", "--skip-preview"]);
        assert.match(stdout, /\+ 4 created/, stdout); // 3 assignments + the stack
        assert.deepEqual(writes(), [`POST ${baselineRoute}`, `POST ${baselineRoute}`, `POST ${cloudPcPolicy}/assign`].sort());

        const pilot = baseline().find((a) => a.target["@odata.type"] === "#microsoft.graph.groupAssignmentTarget");
        assert.deepEqual(pilot?.target, {
            "@odata.type": "#microsoft.graph.groupAssignmentTarget",
            groupId: ids.pilotGroupId,
            deviceAndAppManagementAssignmentFilterId: ids.pilotFilterId,
            deviceAndAppManagementAssignmentFilterType: "include",
        });
        const excluded = baseline().find((a) => a.target["@odata.type"] === "#microsoft.graph.exclusionGroupAssignmentTarget");
        assert.equal(excluded?.target.groupId, ids.excludedGroupId);
        assert.equal(baseline().length, 2);
        assert.deepEqual(cloudPcs().map((a) => a.target.groupId), [ids.cloudPcGroupId]);

        const outputs = JSON.parse((await pulumi(["stack", "output", "--json"])).stdout) as Record<string, unknown>;
        assert.deepEqual(outputs, {
            baselinePilotAssignmentId: pilot?.id,
            baselineExcludedAssignmentId: excluded?.id,
            cloudPcAssignmentId: cloudPcs()[0]?.id,
        });
    });

    it("pulumi preview --diff reports no changes and sends no write", async () => {
        emulator!.admin.clearLog();
        const { stdout } = await pulumi(["preview", "--diff", "--expect-no-changes"]);
        assert.match(stdout, /4 unchanged/, stdout);
        assert.deepEqual(writes(), []);
    });

    it("pulumi refresh reads every assignment back from its policy's list, once per policy, and changes nothing", async () => {
        emulator!.admin.clearLog();
        const { stdout } = await pulumi(["refresh", "--yes", "--skip-preview", "--expect-no-changes"]);
        assert.match(stdout, /4 unchanged/, stdout);
        // Both baseline assignments come from one listing of their policy; the Cloud PC one from its policy ($expand).
        const reads = graph().filter((entry) => entry.method === "GET").map((entry) => entry.path);
        assert.deepEqual(reads.sort(), [baselineRoute, cloudPcPolicy].sort(), reads.join("\n"));
        assert.deepEqual(writes(), []);
    });

    it("pulumi destroy deletes the three assignments", async () => {
        const expected = [...baseline().map((a) => `DELETE ${baselineRoute}/${a.id}`), `POST ${cloudPcPolicy}/assign`].sort();
        assert.equal(expected.length, 3);
        emulator!.admin.clearLog();
        const { stdout } = await pulumi(["destroy", "--yes", "--skip-preview"]);
        assert.match(stdout, /- 4 deleted/, stdout);
        assert.deepEqual(writes(), expected);
        const unassign = emulator!.log().find((entry) => entry.path === `${cloudPcPolicy}/assign`);
        assert.deepEqual(unassign?.body, { assignments: [] }, "the Cloud PC assignment is removed by assigning the remaining (none)");
        assert.deepEqual(baseline(), []);
        assert.deepEqual(cloudPcs(), []);
    });
});
