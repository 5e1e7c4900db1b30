import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { PassThrough } from "node:stream";
import { loadConfigRepo } from "../../cli/configRepo";
import { main } from "../../cli/main";
import type { PolicyKind } from "../../emulator";
import { startE2eWorld, type E2eWorld } from "./harness";

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
    const out = new PassThrough();
    const err = new PassThrough();
    let o = "";
    let e = "";
    out.on("data", (c: Buffer) => (o += c.toString()));
    err.on("data", (c: Buffer) => (e += c.toString()));
    const code = await main(argv, out, err);
    return { code, out: o, err: e };
}

/** Three kinds, seven policies each, three assignments per policy (63). */
const KINDS: { kind: PolicyKind; properties?: Record<string, unknown> }[] = [
    { kind: "groupPolicyConfigurations" },
    { kind: "deviceConfigurations", properties: { intent: "apply" } },
    { kind: "configurationPolicies" },
];

describe("export --all of a whole tenant, then up of the export under msgraph-assignments and the real Pulumi CLI", function () {
    this.timeout(600_000);
    let world: E2eWorld;
    let dir: string;
    let seeded = 0;
    let config: string[];

    before(async () => {
        // Small pages: every listing (policies, filters, assignments) follows @odata.nextLink.
        world = await startE2eWorld("exporttenant", { faults: { listPageSize: 4 } });
        Object.assign(process.env, world.environment.envVars);
        const admin = world.emulator.admin;
        const engineers = admin.seedGroup({ displayName: "Engineers" }).id;
        const twinA = admin.seedGroup({ displayName: "Twins" }).id;
        admin.seedGroup({ displayName: "twins" });
        const obrien = admin.seedFilter({ displayName: "O'Brien devices" }).id;
        const shared = admin.seedFilter({ displayName: "Shared filter" }).id;
        admin.seedFilter({ displayName: "Shared filter" });
        for (const { kind, properties } of KINDS) {
            for (let i = 0; i < 7; i++) {
                // Two policies of each kind share a name: they must be exported by id.
                const displayName = i === 6 ? `${kind} 5` : `${kind} ${i}`;
                const id = admin.seedPolicy(kind, { displayName }).id;
                const filterId = i % 2 === 0 ? obrien : shared;
                admin.addAssignment(kind, id, { "@odata.type": "#microsoft.graph.groupAssignmentTarget", groupId: engineers, deviceAndAppManagementAssignmentFilterId: filterId, deviceAndAppManagementAssignmentFilterType: "include" }, undefined, properties);
                admin.addAssignment(kind, id, { "@odata.type": "#microsoft.graph.exclusionGroupAssignmentTarget", groupId: twinA }, undefined, properties);
                admin.addAssignment(kind, id, { "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget" }, undefined, properties);
                seeded += 3;
            }
        }
        dir = path.join(path.dirname(new URL(world.environment.backendUrl).pathname), "exported");
        mkdirSync(dir, { recursive: true });
        writeFileSync(path.join(dir, "Pulumi.yaml"), "name: exported-tenant\nruntime: nodejs\n");
        const e = world.emulator;
        config = [
            "--config", `tenantId=${e.tenantId}`, "--config", `clientId=${e.clientId}`, "--config", `clientSecret=${e.clientSecret}`,
            "--config", `graphBaseUrl=${e.graphBaseUrl}`, "--config", `authorityHost=${e.authorityHost}`, "--config", `caCertPath=${e.caCertPath}`,
        ];
    });
    after(async () => world?.dispose());

    it("writes one file per kind, names where unique (ids as comments), ids with the reason elsewhere, progress per policy", async () => {
        const result = await run(["export", "--all", "--out-dir", dir, ...config]);
        assert.equal(result.code, 0, result.err);
        assert.equal((result.err.match(/^\[\d+\/21\] /gm) ?? []).length, 21, result.err);
        assert.match(result.err, /^\[1\/21\] GroupPolicyConfigurationAssignment: groupPolicyConfigurations 0$/m);
        const text = readFileSync(path.join(dir, "assignments", "GroupPolicyConfigurationAssignment.yaml"), "utf8");
        assert.match(text, /policy: "groupPolicyConfigurations 0"  # [0-9a-f-]{36}/);
        assert.match(text, /policyId: "[0-9a-f-]{36}"  # by id: 2 policies of this kind are named "groupPolicyConfigurations 5"/);
        assert.match(text, /group: "Engineers"  # /);
        assert.match(text, /groupId: "[0-9a-f-]{36}"  # Twins; by id: 2 groups are named so/);
        assert.match(text, /filter: \{ name: "O'Brien devices", type: include \}/);
        assert.match(text, /filter: \{ id: "[0-9a-f-]{36}", type: include \}  # by id: 2 filters are named "Shared filter"/);
        const repo = loadConfigRepo(dir);
        assert.deepEqual(repo.errors, []);
        assert.equal(repo.files.length, 3);
        assert.equal(repo.entries.length, seeded);
        assert.ok(seeded >= 60);
    });

    it("the first up adopts every assignment with 0 writes; the second reports no changes", async () => {
        world.emulator.admin.clearLog();
        const first = await run(["up", "--stack", "tenant", "--work-dir", dir, "--quiet", ...config]);
        assert.equal(first.code, 0, first.err + first.out);
        assert.match(first.out, new RegExp(`${seeded} created.*${seeded} existing assignments adopted`), first.out);
        // Each create finds its occupant on the policy's list, read once for all the creates of the policy: not one
        // POST, PATCH, DELETE or assign is sent (not even one Graph refuses), only GETs, plain or in JSON batches.
        assert.deepEqual(world.writes().map((entry) => `${entry.method} ${entry.path}`), [], "no Graph write sent");
        const listReads = world.emulator.log().filter((entry) => entry.method === "GET" && /\/assignments$/.test(entry.path));
        assert.ok(listReads.length > 0 && listReads.length < seeded, `the policy lists are read per policy, not per create: ${listReads.length} reads for ${seeded} creates`);
        assert.equal(world.emulator.admin.state().configurationPolicies.reduce((n, p) => n + p.assignments.length, 0), 21);
        world.emulator.admin.clearLog();
        const second = await run(["up", "--stack", "tenant", "--work-dir", dir, "--quiet"]);
        assert.equal(second.code, 0, second.err);
        assert.match(second.out, new RegExp(`0 created, 0 updated, 0 replaced, 0 deleted, ${seeded} unchanged`), second.out);
        assert.deepEqual(world.writes(), []);
    });
});
