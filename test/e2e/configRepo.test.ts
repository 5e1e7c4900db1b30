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

    describe("policies and filters by display name", () => {
        const { mkdtempSync, writeFileSync, mkdirSync, rmSync } = require("node:fs") as typeof import("node:fs");
        const os = require("node:os") as typeof import("node:os");
        const path = require("node:path") as typeof import("node:path");
        const dirs: string[] = [];
        const repoOf = (policy: string, filter: string) => {
            const dir = mkdtempSync(path.join(os.tmpdir(), "named-repo-"));
            dirs.push(dir);
            mkdirSync(path.join(dir, "assignments"));
            writeFileSync(
                path.join(dir, "assignments", "named.yaml"),
                `policies:\n  - kind: GroupPolicyConfigurationAssignment\n    policy: ${JSON.stringify(policy)}\n    assignments:\n` +
                    `      - name: named-all-devices\n        target: { type: allDevices, filter: { name: ${JSON.stringify(filter)}, type: exclude } }\n`,
            );
            return dir;
        };
        let policyId: string;
        let filterId: string;
        before(() => {
            policyId = world.emulator.admin.seedPolicy("groupPolicyConfigurations", { displayName: "Named baseline" }).id;
            filterId = world.emulator.admin.seedFilter({ displayName: "O'Brien devices" }).id;
        });
        after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

        it("resolves the names (a quote in a name included) and converges; a second up changes nothing", async () => {
            const dir = repoOf("Named baseline", "O'Brien devices");
            world.emulator.admin.clearLog();
            const first = await (await world.stack(configRepoProgram(dir), { stackName: "named" })).up();
            assert.equal(first.summary.resourceChanges?.create, 2, first.stdout);
            const live = world.emulator.admin.listAssignments("groupPolicyConfigurations", policyId);
            assert.equal(live.length, 1);
            assert.equal(live[0]!.target.deviceAndAppManagementAssignmentFilterId, filterId);
            const listings = world.emulator.log().filter((e) => e.method === "GET" && /\/(groupPolicyConfigurations|assignmentFilters)$/.test(e.path));
            assert.deepEqual(listings.map((e) => e.path).sort(), ["/beta/deviceManagement/assignmentFilters", "/beta/deviceManagement/groupPolicyConfigurations"]);
            world.emulator.admin.clearLog();
            const second = await (await world.stack(configRepoProgram(dir), { stackName: "named" })).up();
            assert.deepEqual(second.summary.resourceChanges, { same: 2 });
            assert.deepEqual(world.writes(), []);
        });

        const failsWith = async (dir: string, pattern: RegExp) => {
            world.emulator.admin.clearLog();
            const stack = await world.stack(configRepoProgram(dir), { stackName: "named" });
            await assert.rejects(stack.up(), (error: Error) => {
                assert.match(error.message, /named\.yaml/);
                assert.match(error.message, pattern);
                return true;
            });
            assert.deepEqual(world.writes(), [], "nothing was written");
            assert.equal(world.emulator.admin.listAssignments("groupPolicyConfigurations", policyId).length, 1, "the assignment is still there");
        };

        it("an unknown filter name fails with file, entry and name, and writes nothing", () =>
            failsWith(repoOf("Named baseline", "No such filter"), /policies\[0\]\.assignments\[0\] "named-all-devices": target\.filter\.name: assignment filter "No such filter" was not found/));

        it("an ambiguous policy name fails listing the matching ids, and writes nothing", async () => {
            const twin = world.emulator.admin.seedPolicy("groupPolicyConfigurations", { displayName: "Twin baseline" }).id;
            const other = world.emulator.admin.seedPolicy("groupPolicyConfigurations", { displayName: "twin BASELINE" }).id;
            await failsWith(repoOf("Twin baseline", "O'Brien devices"), new RegExp(`policies\\[0\\]: policy: policy "Twin baseline" is ambiguous: 2 .*${twin}, ${other}`));
        });

        it("a policy renamed in the portal fails to resolve: no delete, no replacement", async () => {
            world.emulator.admin.updatePolicy("groupPolicyConfigurations", policyId, { displayName: "Named baseline v2" });
            await failsWith(repoOf("Named baseline", "O'Brien devices"), /policy: policy "Named baseline" was not found in this tenant .*renamed/);
        });
    });
});
