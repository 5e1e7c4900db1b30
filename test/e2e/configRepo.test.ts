import assert from "node:assert/strict";
import { configRepoProgram } from "../../cli/configRepo";
import { startE2eWorld, type E2eWorld } from "./harness";
import { allAssignments, exampleAssignmentCount, exampleRepo, seedExampleTenant } from "./configRepoSeed";

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
        const count = exampleAssignmentCount();
        assert.ok(count >= 8, `the example declares ${count} assignments`);
        assert.equal(result.summary.resourceChanges?.create, count + 1, result.stdout); // the assignments + the stack
        const live = allAssignments(world.emulator, seed);
        assert.equal(live.length, count, JSON.stringify(live));
        const engineers = "6f1b1a59-2b1f-4a8e-9a8e-0b2a1d3c4e5f";
        const baseline = world.emulator.admin.listAssignments("groupPolicyConfigurations", seed.policies[0]!.id);
        const byName = baseline.find((a) => a.target.groupId === engineers);
        assert.ok(byName, "the group named Engineers was resolved to its id");
        assert.equal(byName.target.deviceAndAppManagementAssignmentFilterType, "include");
        assert.ok(world.emulator.log().some((e) => e.method === "GET" && e.path.includes("/groups")), "display names were looked up");
        const ids = result.outputs.assignments?.value as Record<string, string>;
        assert.equal(Object.keys(ids).length, count);
        // The app entries: intent and settings as the YAML says, the iOS protection through managedAppPolicies.
        const app = seed.policies.find((p) => p.kind === "mobileApps")!;
        const agent = world.emulator.admin.listAssignments("mobileApps", app.id).find((a) => a.target.groupId === engineers)!;
        assert.equal(agent.properties?.intent, "required");
        assert.equal((agent.properties?.settings as { notifications?: string }).notifications, "showReboot");
        const ios = seed.policies.find((p) => p.kind === "iosManagedAppProtections")!;
        assert.ok(world.emulator.log().some((e) => e.method === "POST" && e.path === `/beta/deviceAppManagement/managedAppPolicies/${ios.id}/assign`));
    });

    it("changes nothing on a second up", async () => {
        world.emulator.admin.clearLog();
        const result = await (await world.stack(configRepoProgram(exampleRepo))).up();
        assert.deepEqual(result.summary.resourceChanges, { same: exampleAssignmentCount() + 1 });
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
