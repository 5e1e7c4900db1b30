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
        ["baseline-exclude-contractors deleted", "baseline-pilot changed"],
    );
    assert.ok(result.drift.find((d) => d.kind === "changed")!.changes.some((c) => c.includes("deviceAndAppManagementAssignmentFilterType")));
    assert.match(run.stdout, /Graph writes during preview: 0/);

    // Step 5: the repair is one PATCH and one POST, and the live data matches the program again.
    assert.deepEqual(result.repairWrites.map((w) => w.method).sort(), ["PATCH", "POST"]);
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
        assert.equal(result.initialChanges.create, 4, "stack + 3 assignments");
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
