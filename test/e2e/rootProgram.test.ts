import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import yaml from "js-yaml";
import type { PulumiFn } from "@pulumi/pulumi/automation";
import { DEMO_IDS, DEMO_SEED } from "../../demo/program";
import { repoRoot } from "../../scripts/pulumiEnvironment";
import { startE2eWorld, type E2eWorld } from "./harness";

/** What `pulumi up` in the repository root loads: Pulumi.yaml's `main`, required as the nodejs language host does. */
function rootProgram(): { main: string; program: PulumiFn } {
    const project = yaml.load(readFileSync(path.join(repoRoot, "Pulumi.yaml"), "utf8")) as { runtime: string; main?: string };
    assert.equal(project.runtime, "nodejs");
    assert.ok(project.main, "Pulumi.yaml names the program (main)");
    const exported = require(path.join(repoRoot, project.main)) as unknown;
    assert.equal(typeof exported, "function", "the program exports a function, which the language host runs");
    return { main: project.main, program: exported as PulumiFn };
}

describe("the root Pulumi.yaml program (pulumi up in the repository root)", function () {
    this.timeout(600_000);
    let world: E2eWorld;
    before(async () => {
        world = await startE2eWorld("root-program", {
            faults: { rateLimit: false },
            seed: DEMO_SEED,
        });
    });
    after(async () => world?.dispose());

    it("creates the demo's assignments with the seeded ids, then honours demo:* config (edited → one PATCH)", async () => {
        const { main, program } = rootProgram();
        console.log(`      Pulumi.yaml main: ${main}`);
        const stack = await world.stack(program, { stackName: "root" });
        const up = await stack.up();
        assert.equal(up.summary.resourceChanges?.create, 7, up.stdout); // 6 assignments of five kinds + the stack
        const baseline = world.emulator.admin.listAssignments("groupPolicyConfigurations", DEMO_IDS.baselinePolicy);
        assert.deepEqual(baseline.map((a) => a.target.groupId).sort(), [DEMO_IDS.pilot, DEMO_IDS.contractors].sort());
        const cloudPc = world.emulator.admin.listAssignments("provisioningPolicies", DEMO_IDS.cloudPcPolicy);
        assert.deepEqual(cloudPc.map((a) => a.target.groupId), [DEMO_IDS.engineers]);
        assert.deepEqual(world.emulator.admin.listAssignments("deviceConfigurations", DEMO_IDS.wifiProfile).map((a) => a.target.groupId), [DEMO_IDS.engineers]);
        assert.equal(world.emulator.admin.listAssignments("deviceCompliancePolicies", DEMO_IDS.compliancePolicy).length, 1);
        assert.deepEqual(world.emulator.admin.listAssignments("deviceHealthScripts", DEMO_IDS.remediationScript).map((a) => a.target.groupId), [DEMO_IDS.pilot]);

        await stack.setConfig("demo:edited", { value: "true" });
        world.emulator.admin.clearLog();
        const edited = await stack.up();
        assert.deepEqual(edited.summary.resourceChanges, { same: 6, update: 1 });
        assert.deepEqual(world.writes().map((w) => w.method), ["PATCH"]);
        await stack.destroy();
    });
});
