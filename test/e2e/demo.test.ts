import assert from "node:assert/strict";
import { readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { newStateDir, repoRoot } from "../../scripts/pulumiEnvironment";
import { runProcess } from "../support/runProcess";

interface DemoRun {
    code: number | null;
    stdout: string;
    stderr: string;
}

interface LastRun {
    firstRun: boolean;
    initialChanges: Record<string, number>;
    initialWrites: { method: string; path: string; status: number }[];
    editWrites: { method: string; path: string; status: number; body?: Record<string, unknown> }[];
    drift: { name: string; kind: "deleted" | "changed"; changes: string[] }[];
    planned: { name: string; op: string }[];
    repairWrites: { method: string; path: string; status: number; body?: Record<string, unknown> }[];
    repaired: boolean;
}

async function runDemo(args: string[]): Promise<DemoRun> {
    const { status, stdout, stderr } = await runProcess(process.execPath, [path.join(repoRoot, "dist", "scripts", "demo.js"), ...args], { cwd: repoRoot });
    return { code: status, stdout, stderr };
}

function checkRun(run: DemoRun, stateDir: string): LastRun {
    assert.equal(run.code, 0, `demo exited with ${run.code}\n${run.stdout}\n${run.stderr}`);
    const result = JSON.parse(readFileSync(path.join(stateDir, "last-run.json"), "utf8")) as LastRun;

    // Step 3: the edit is one PATCH whose body carries only the target (besides the entity's @odata.type).
    const patches = result.editWrites.filter((w) => w.method === "PATCH");
    assert.equal(result.editWrites.length, 1, JSON.stringify(result.editWrites));
    assert.equal(patches.length, 1);
    assert.deepEqual(Object.keys(patches[0]!.body ?? {}).filter((k) => !k.startsWith("@odata.")), ["target"]);
    assert.equal((patches[0]!.body!.target as Record<string, unknown>).deviceAndAppManagementAssignmentFilterType, "exclude");
    assert.match(run.stdout, /PATCH \/beta\/deviceManagement\/groupPolicyConfigurations\/[0-9a-f-]+\/assignments\/[0-9a-f-]+/);
    assert.match(run.stdout, /"deviceAndAppManagementAssignmentFilterType": "exclude"/);

    // Step 4: both out-of-band changes are found, nothing is written by the preview.
    assert.deepEqual(
        result.drift.map((d) => `${d.name} ${d.kind}`).sort(),
        ["baseline-exclude-contractors deleted", "baseline-pilot changed", "remediation-pilot changed"],
    );
    assert.ok(result.drift.find((d) => d.name === "remediation-pilot")!.changes.some((c) => c.startsWith("runSchedule.time")), JSON.stringify(result.drift));
    assert.ok(result.drift.find((d) => d.name === "baseline-pilot")!.changes.some((c) => c.includes("deviceAndAppManagementAssignmentFilterType")));
    assert.match(run.stdout, /Graph writes during preview: 0/);

    // Step 5: the repair is one PATCH, one POST and one assign of the Remediations script; the live data matches again.
    assert.deepEqual(result.repairWrites.map((w) => `${w.method} ${w.path.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, "{id}")}`).sort(), [
        "PATCH /beta/deviceManagement/groupPolicyConfigurations/{id}/assignments/{id}",
        "POST /beta/deviceManagement/deviceHealthScripts/{id}/assign",
        "POST /beta/deviceManagement/groupPolicyConfigurations/{id}/assignments",
    ]);
    assert.ok(result.repairWrites.every((w) => w.status >= 200 && w.status < 300));
    assert.equal(result.repaired, true);
    for (const step of ["1.", "2.", "3.", "4.", "5.", "6. Summary"]) assert.ok(run.stdout.includes(`== ${step}`), `step ${step} printed`);
    return result;
}

describe("npm run demo (compiled scripts/demo.ts, real CLI, emulator)", function () {
    this.timeout(180_000);
    let stateDir: string;

    before(() => {
        stateDir = newStateDir("demo-test");
    });
    after(() => rmSync(stateDir, { recursive: true, force: true }));

    it("runs end to end from scratch (--reset): creates, edits with a target-only PATCH, finds drift, repairs", async () => {
        const run = await runDemo(["--reset", "--state-dir", stateDir]);
        const result = checkRun(run, stateDir);
        assert.equal(result.firstRun, true);
        assert.equal(result.initialChanges.create, 7, "stack + 6 assignments of five kinds");
        // One write per assignment: item POSTs, and the compliance policy and Remediations script through `assign`.
        assert.deepEqual(result.initialWrites.map((w) => `${w.method} ${w.path.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, "{id}")}`).sort(), [
            "POST /beta/deviceManagement/deviceCompliancePolicies/{id}/assign",
            "POST /beta/deviceManagement/deviceConfigurations/{id}/assignments",
            "POST /beta/deviceManagement/deviceHealthScripts/{id}/assign",
            "POST /beta/deviceManagement/groupPolicyConfigurations/{id}/assignments",
            "POST /beta/deviceManagement/groupPolicyConfigurations/{id}/assignments",
            "POST /beta/provisioningPolicies/{id}/assignments",
        ]);
        assert.match(run.stdout, /Seeded \(first run\)/);
    });

    it("runs again on the kept state: reuses the seed, converges back to the initial state first", async () => {
        const run = await runDemo(["--state-dir", stateDir]);
        const result = checkRun(run, stateDir);
        assert.equal(result.firstRun, false);
        assert.equal(result.initialChanges.create ?? 0, 0, "nothing is created again");
        assert.equal(result.initialChanges.update, 1, "the edited filter goes back to include");
        assert.match(run.stdout, /Reusing the seeded data/);
    });
});
