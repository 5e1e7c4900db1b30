import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { summaryLine } from "../../cli/changeSummary";
import { configRepoProgram, loadConfigRepo } from "../../cli/configRepo";
import { deploy } from "../../cli/deploy";
import { exportAssignments } from "../../cli/export";
import { main } from "../../cli/main";
import { PassThrough } from "node:stream";

function collect() {
    const stream = new PassThrough();
    let text = "";
    stream.on("data", (chunk: Buffer) => (text += chunk.toString()));
    return { stream, text: () => text };
}
import { startE2eWorld, type E2eWorld } from "./harness";
import { allAssignments, seedExampleTenant } from "./configRepoSeed";

const ENGINEERS = "6f1b1a59-2b1f-4a8e-9a8e-0b2a1d3c4e5f";
const CONTRACTORS = "0c9e8f7a-6b5d-4c3b-8a29-1e0f2d3c4b5a";
const SHIFT_A = "3a2b1c0d-9e8f-4a6b-8c4d-2e1f0a9b8c7d";
const UNNAMED = "7e6d5c4b-3a29-4180-9f7e-6d5c4b3a2918"; // a group id /groups does not know
const FILTER = "9d8c7b6a-5f4e-4d3c-8b2a-190817263544";
const PLAN = "057efbfe-a95d-4263-acb0-12b4a31fed8d";

describe("export: live assignments → config repo that adopts them", function () {
    this.timeout(600_000);
    let world: E2eWorld;
    let seed: ReturnType<typeof seedExampleTenant>;
    let dir: string;
    let seeded: { id: string; policy: string }[];

    before(async () => {
        world = await startE2eWorld("export");
        seed = seedExampleTenant(world.emulator);
        const [gpc, w365, cloudPc] = seed.policies.map((p) => p.id) as [string, string, string];
        const admin = world.emulator.admin;
        admin.addAssignment("groupPolicyConfigurations", gpc, {
            "@odata.type": "#microsoft.graph.groupAssignmentTarget",
            groupId: ENGINEERS,
            deviceAndAppManagementAssignmentFilterId: FILTER,
            deviceAndAppManagementAssignmentFilterType: "include",
        });
        admin.addAssignment("groupPolicyConfigurations", gpc, { "@odata.type": "#microsoft.graph.exclusionGroupAssignmentTarget", groupId: CONTRACTORS });
        admin.addAssignment("groupPolicyConfigurations", gpc, { "@odata.type": "#microsoft.graph.allLicensedUsersAssignmentTarget" });
        admin.addAssignment("groupPolicyConfigurations", gpc, { "@odata.type": "#microsoft.graph.groupAssignmentTarget", groupId: UNNAMED });
        // Windows 365 assignment ids are `{policyId}_{groupId}` in Graph.
        admin.addAssignment("provisioningPolicies", w365, { "@odata.type": "#microsoft.graph.cloudPcManagementGroupAssignmentTarget", groupId: ENGINEERS }, `${w365}_${ENGINEERS}`);
        admin.addAssignment("provisioningPolicies", cloudPc, {
            "@odata.type": "#microsoft.graph.cloudPcManagementGroupAssignmentTarget",
            groupId: SHIFT_A,
            servicePlanId: PLAN,
            allotmentDisplayName: "Shift A",
            allotmentLicensesCount: 4,
        }, `${cloudPc}_${SHIFT_A}`);
        seeded = allAssignments(world.emulator, seed);
        dir = mkdtempSync(path.join(os.tmpdir(), "exported-repo-"));
    });
    after(async () => {
        rmSync(dir, { recursive: true, force: true });
        await world?.dispose();
    });

    it("writes a valid config repo with group ids kept and display names as comments", async () => {
        const client = world.graphClient();
        const result = await exportAssignments({
            client,
            policies: [
                { kind: "GroupPolicyConfigurationAssignment", policyId: seed.policies[0]!.id },
                { kind: "ProvisioningPolicyAssignment", policyId: seed.policies[1]!.id },
                { kind: "CloudPcProvisioningPolicyAssignment", policyId: seed.policies[2]!.id },
            ],
            outFile: path.join(dir, "assignments", "exported.yaml"),
        });
        assert.equal(result.assignments, 6);
        const text = readFileSync(result.file!, "utf8");
        assert.match(text, new RegExp(`groupId: "${ENGINEERS}"  # Engineers`));
        assert.match(text, new RegExp(`groupId: "${CONTRACTORS}"  # Contractors`));
        assert.match(text, new RegExp(`groupId: "${UNNAMED}"\\n`));
        assert.match(text, /filter: \{ id: "9d8c7b6a-5f4e-4d3c-8b2a-190817263544", type: include \}/);
        assert.match(text, /allotmentLicensesCount: 4/);
        const repo = loadConfigRepo(dir);
        assert.deepEqual(repo.errors, [], text);
        assert.equal(repo.entries.length, 6);
    });

    it("first up adopts every assignment: no POST creates one, nothing is patched, the count is unchanged", async () => {
        world.emulator.admin.clearLog();
        // Through the same deploy the `msgraph-assignments up` command runs: its change summary names each adoption.
        let output = "";
        const result = await deploy({ stack: await world.stack(configRepoProgram(dir)), operation: "up", onOutput: (text) => (output += text) });
        assert.equal(result.exitCode, 0, `${result.summary.errors?.join("\n")}\n${output}`);
        assert.equal(result.summary.changes.filter((c) => c.change === "create").length, 6, output);
        const adopted = result.summary.changes.map((c) => c.adopted).filter((id): id is string => id !== undefined).sort();
        assert.deepEqual(adopted, seeded.map((a) => a.id).sort(), "every create reports the assignment it adopted");
        assert.match(summaryLine(result.summary), /^up of stack dev: 6 created, .*; 6 existing assignments adopted$/);
        const log = world.emulator.log().filter((entry) => entry.method !== "GET" && entry.path.startsWith("/beta/"));
        assert.deepEqual(log.filter((entry) => entry.method === "POST" && entry.status >= 200 && entry.status < 300 && entry.path.endsWith("/assignments")), [], "no POST created an assignment");
        assert.deepEqual(log.filter((entry) => entry.method === "PATCH" || entry.method === "DELETE"), []);
        // The assign strategy (CloudPc default) re-posts the policy's whole list on adoption: it must be the same list.
        for (const post of log.filter((entry) => entry.path.endsWith("/assign"))) {
            const policy = post.path.split("/").at(-2)!;
            const posted = ((post.body as { assignments: { target: { groupId?: string } }[] }).assignments ?? []).map((a) => a.target.groupId).sort();
            const existing = seeded.filter((a) => a.policy === policy).map((a) => (a as unknown as { target: { groupId?: string } }).target.groupId).sort();
            assert.deepEqual(posted, existing, "an assign re-post carries exactly the existing assignments");
        }
        const after = allAssignments(world.emulator, seed);
        assert.deepEqual(after.map((a) => a.id).sort(), seeded.map((a) => a.id).sort());
    });

    it("the msgraph-assignments export command writes the same assignments", async () => {
        const e = world.emulator;
        const out = path.join(dir, "cli", "exported.yaml");
        const stdout = collect();
        const stderr = collect();
        const code = await main(
            [
                "export",
                "--policy", `GroupPolicyConfigurationAssignment:${seed.policies[0]!.id}`,
                "--policy", `CloudPcProvisioningPolicyAssignment:${seed.policies[2]!.id}`,
                "--out", out,
                "--config", `tenantId=${e.tenantId}`,
                "--config", `clientId=${e.clientId}`,
                "--config", `clientSecret=${e.clientSecret}`,
                "--config", `graphBaseUrl=${e.graphBaseUrl}`,
                "--config", `authorityHost=${e.authorityHost}`,
                "--config", `caCertPath=${e.caCertPath}`,
            ],
            stdout.stream,
            stderr.stream,
        );
        assert.equal(code, 0, stderr.text());
        assert.match(stderr.text(), /wrote 5 assignment\(s\)/);
        const text = readFileSync(out, "utf8");
        assert.match(text, /policyName: "Windows baseline"/);
        assert.match(text, /allotmentDisplayName: "Shift A"/);
    });

    it("second up changes nothing", async () => {
        world.emulator.admin.clearLog();
        const result = await (await world.stack(configRepoProgram(dir))).up();
        assert.deepEqual(result.summary.resourceChanges, { same: 7 });
        assert.deepEqual(world.writes(), []);
    });
});
