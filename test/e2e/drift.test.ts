import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { configRepoProgram } from "../../cli/configRepo";
import { GroupPolicyConfigurationAssignment, targets } from "../../sdk";
import { detectDrift, renderTable, type DriftReport } from "../../cli/drift";
import { repoRoot } from "../../scripts/pulumiEnvironment";
import { startE2eWorld, type E2eWorld } from "./harness";
import { exampleAssignmentCount, exampleRepo, seedExampleTenant } from "./configRepoSeed";
import { runProcess } from "../support/runProcess";


const ENGINEERS = "6f1b1a59-2b1f-4a8e-9a8e-0b2a1d3c4e5f";

describe("drift detection (cli/drift detectDrift) against the emulator", function () {
    this.timeout(600_000);
    let world: E2eWorld;
    let seed: ReturnType<typeof seedExampleTenant>;
    let reportDir: string;
    const stack = () => world.stack(configRepoProgram(exampleRepo));

    before(async () => {
        world = await startE2eWorld("drift");
        seed = seedExampleTenant(world.emulator);
        reportDir = mkdtempSync(path.join(os.tmpdir(), "drift-report-"));
        await (await stack()).up();
    });
    after(async () => {
        rmSync(reportDir, { recursive: true, force: true });
        await world?.dispose();
    });

    it("exits 0 and writes clean reports when Graph matches the state, sending no writes", async () => {
        world.emulator.admin.clearLog();
        const messages: string[] = [];
        const result = await detectDrift({ stack: await stack(), reportDir, onProgress: (m) => messages.push(m) });
        assert.equal(result.exitCode, 0, result.error);
        const count = exampleAssignmentCount();
        assert.equal(result.report?.checked, count);
        assert.deepEqual(result.report?.drifted, []);
        assert.ok(messages.some((m) => m.startsWith(`[${count}/${count}]`)), messages.join("\n"));
        assert.ok(existsSync(path.join(reportDir, "drift-report.json")));
        assert.match(readFileSync(path.join(reportDir, "drift-report.md"), "utf8"), /No drift/);
        assert.deepEqual(world.writes(), []);
    });

    it("exits 2 naming the changed property (before/after) and the deleted assignment", async () => {
        const gpc = seed.policies[0]!.id;
        const w365 = seed.policies[1]!.id;
        const engineers = world.emulator.admin.listAssignments("groupPolicyConfigurations", gpc).find((a) => a.target.groupId === ENGINEERS)!;
        world.emulator.admin.mutateAssignment("groupPolicyConfigurations", gpc, engineers.id, {
            target: { deviceAndAppManagementAssignmentFilterType: "exclude" },
        });
        const [w365Assignment] = world.emulator.admin.listAssignments("provisioningPolicies", w365);
        world.emulator.admin.deleteAssignment("provisioningPolicies", w365, w365Assignment!.id);
        world.emulator.admin.clearLog();

        const result = await detectDrift({ stack: await stack(), reportDir });
        assert.equal(result.exitCode, 2, result.error);
        const report = JSON.parse(readFileSync(result.files!.json, "utf8")) as DriftReport;
        assert.equal(report.drifted.length, 2, JSON.stringify(report, null, 2));
        const changed = report.drifted.find((d) => d.name === "baseline-engineers")!;
        assert.equal(changed.status, "changed");
        assert.deepEqual(changed.changes, [
            { property: "target.deviceAndAppManagementAssignmentFilterType", before: "include", after: "exclude" },
        ]);
        const deleted = report.drifted.find((d) => d.name === "w365-engineers")!;
        assert.equal(deleted.status, "deleted");
        const markdown = readFileSync(result.files!.markdown, "utf8");
        assert.match(markdown, /\| baseline-engineers \| GroupPolicyConfigurationAssignment \| changed \| `target\.deviceAndAppManagementAssignmentFilterType` \| `include` \| `exclude` \|/);
        assert.match(markdown, /w365-engineers .*deleted/);
        assert.match(renderTable(report), /target\.deviceAndAppManagementAssignmentFilterType\s+include\s+exclude/);
        assert.deepEqual(world.writes(), [], "drift detection never writes");
    });

    const run = (args: string[]) => runProcess(process.execPath, args, { env: { ...process.env, ...world.environment.envVars } });

    it("the msgraph-assignments drift command prints the table, writes the reports and exits 2", async () => {
        const stateDir = path.dirname(new URL(world.environment.backendUrl).pathname);
        const cliDir = mkdtempSync(path.join(os.tmpdir(), "drift-cli-"));
        // Asynchronous: the emulator serves from this process, so a synchronous spawn would deadlock.
        const child = await run(
            [path.join(repoRoot, "dist", "cli", "main.js"), "drift", "--stack", "dev", "--work-dir", path.join(stateDir, "work"), "--report-dir", cliDir],
        );
        try {
            assert.equal(child.status, 2, child.stderr);
            const count = exampleAssignmentCount();
            assert.match(child.stdout, new RegExp(`2 of ${count} assignment\\(s\\) drifted`));
            assert.match(child.stdout, /baseline-engineers.*target\.deviceAndAppManagementAssignmentFilterType\s+include\s+exclude/);
            assert.match(child.stderr, new RegExp(`\\[${count}/${count}\\] checked`), "progress on stderr");
            assert.ok(existsSync(path.join(cliDir, "drift-report.md")));
            const bad = await run(
                [path.join(repoRoot, "dist", "cli", "main.js"), "drift", "--stack", "dev", "--work-dir", path.join(stateDir, "work"), "--config", "msgraph:clientSecret=wrong-secret-value", "--quiet"],
            );
            assert.equal(bad.status, 1, bad.stderr);
            assert.match(bad.stderr, /msgraph-assignments drift: /);
        } finally {
            rmSync(cliDir, { recursive: true, force: true });
        }
    });

    it("reads each resource with the write strategy stored in its provider module, as refresh would, not the stack's", async () => {
        // The stack says item; the resource says assign. A tenant that refuses item reads tells which one drift used.
        const gpc = seed.policies[0]!.id;
        const own = await world.stack(async () => {
            new GroupPolicyConfigurationAssignment("own-strategy", { policyId: gpc, target: targets.allLicensedUsers(), writeStrategy: "assign" });
        }, { stackName: "own-strategy", config: { "msgraph:writeStrategy": "item" } });
        await own.up();
        world.emulator.admin.setFaults({ refuseItemReads: { groupPolicyConfigurations: true } }, true);
        try {
            world.emulator.admin.clearLog();
            const result = await detectDrift({ stack: own });
            assert.equal(result.exitCode, 0, result.error);
            assert.equal(result.report?.checked, 1);
            const reads = world.emulator.log().filter((e) => e.method === "GET" && e.path.includes(gpc));
            assert.ok(reads.length > 0 && reads.every((e) => e.path.split("?")[0]!.endsWith("/assignments")), JSON.stringify(reads.map((e) => e.path)));
        } finally {
            world.emulator.admin.setFaults({ refuseItemReads: { groupPolicyConfigurations: false } }, true);
            await own.destroy();
        }
    });

    it("exits 1 with a message when the credentials are wrong", async () => {
        const result = await detectDrift({ stack: await stack(), config: { "msgraph:clientSecret": "definitely-wrong-secret" } });
        assert.equal(result.exitCode, 1);
        assert.ok(result.error && result.error.length > 0);
        assert.ok(!result.error.includes("definitely-wrong-secret"), "the secret is not echoed");
    });
});
