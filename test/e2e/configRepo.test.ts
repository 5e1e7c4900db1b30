import assert from "node:assert/strict";
import { configRepoProgram } from "../../cli/configRepo";
import { startE2eWorld, type E2eWorld } from "./harness";
import { allAssignments, exampleRepo, seedExampleTenant } from "./configRepoSeed";

describe("config repo: examples/config-repo under the real Pulumi CLI against the emulator", function () {
    this.timeout(600_000);
    let world: E2eWorld;
    let seed: ReturnType<typeof seedExampleTenant>;

    before(async () => {
        world = await startE2eWorld("configrepo");
        seed = seedExampleTenant(world.emulator);
    });
    after(async () => world?.dispose());

    it("creates every assignment of the example, resolving group display names through Graph", async () => {
        world.emulator.admin.clearLog();
        const stack = await world.stack(configRepoProgram(exampleRepo));
        const result = await stack.up();
        assert.equal(result.summary.resourceChanges?.create, 6, result.stdout); // 5 assignments + the stack
        const live = allAssignments(world.emulator, seed);
        assert.equal(live.length, 5, JSON.stringify(live));
        const engineers = "6f1b1a59-2b1f-4a8e-9a8e-0b2a1d3c4e5f";
        const baseline = world.emulator.admin.listAssignments("groupPolicyConfigurations", seed.policies[0]!.id);
        const byName = baseline.find((a) => a.target.groupId === engineers);
        assert.ok(byName, "the group named Engineers was resolved to its id");
        assert.equal(byName.target.deviceAndAppManagementAssignmentFilterType, "include");
        assert.ok(world.emulator.log().some((e) => e.method === "GET" && e.path.includes("/groups")), "display names were looked up");
        const ids = result.outputs.assignments?.value as Record<string, string>;
        assert.equal(Object.keys(ids).length, 5);
    });

    it("changes nothing on a second up", async () => {
        world.emulator.admin.clearLog();
        const result = await (await world.stack(configRepoProgram(exampleRepo))).up();
        assert.deepEqual(result.summary.resourceChanges, { same: 6 });
        assert.deepEqual(world.writes(), []);
    });

    it("fails preview with the loader's message when the repository is invalid", async () => {
        const { mkdtempSync, writeFileSync, mkdirSync, rmSync } = await import("node:fs");
        const os = await import("node:os");
        const path = await import("node:path");
        const dir = mkdtempSync(path.join(os.tmpdir(), "bad-repo-"));
        mkdirSync(path.join(dir, "assignments"));
        writeFileSync(
            path.join(dir, "assignments", "team.yaml"),
            `policies:\n  - kind: GroupPolicyConfigurationAssignment\n    policyId: ${seed.policies[0]!.id}\n    assignments:\n      - name: bad\n        target: { type: group, groupId: nope }\n`,
        );
        try {
            const stack = await world.stack(configRepoProgram(dir), { stackName: "bad" });
            await assert.rejects(stack.preview(), (error: Error) => {
                assert.match(error.message, /team\.yaml/);
                assert.match(error.message, /"bad"/);
                assert.match(error.message, /target\.groupId/);
                return true;
            });
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });
});
