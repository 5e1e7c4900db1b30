import assert from "node:assert/strict";
import { cpSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { PassThrough } from "node:stream";
import { main } from "../../cli/main";
import type { EmulatorAdmin, EmulatorTenant } from "../../emulator";
import { repoRoot } from "../../scripts/pulumiEnvironment";
import { startE2eWorld, type E2eWorld } from "./harness";

const EXAMPLE = path.join(repoRoot, "examples", "multi-tenant");
const PRODUCTION_TENANT = "8a7b6c5d-4e3f-4a2b-9c1d-0e9f8a7b6c5d";

interface Seed {
    groups: string[];
    filters: string[];
    policies: { kind: "groupPolicyConfigurations"; displayName: string }[];
}

/** Seeds a tenant with the example's names; every id is the tenant's own. Returns the policy's id. */
function seedTenant(admin: EmulatorAdmin): string {
    const seed = JSON.parse(readFileSync(path.join(EXAMPLE, "emulator-seed.json"), "utf8")) as Seed;
    for (const displayName of seed.groups) admin.seedGroup({ displayName });
    for (const displayName of seed.filters) admin.seedFilter({ displayName });
    return seed.policies.map(({ kind, displayName }) => admin.seedPolicy(kind, { displayName }).id)[0]!;
}

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

describe("one configuration repository, two tenants (examples/multi-tenant) under msgraph-assignments and the real Pulumi CLI", function () {
    this.timeout(600_000);
    let world: E2eWorld;
    let dir: string;
    const tenants: Record<string, { tenant: EmulatorTenant; policyId: string }> = {};

    before(async () => {
        world = await startE2eWorld("multitenant", { tenants: [{ tenantId: PRODUCTION_TENANT }] });
        Object.assign(process.env, world.environment.envVars);
        tenants.test = { tenant: world.emulator.tenant(world.emulator.tenantId), policyId: seedTenant(world.emulator.admin) };
        const production = world.emulator.tenant(PRODUCTION_TENANT);
        tenants.production = { tenant: production, policyId: seedTenant(production.admin) };
        // Inside the throw-away state folder (under this repository), so the dynamic provider resolves this package.
        dir = path.join(path.dirname(new URL(world.environment.backendUrl).pathname), "multi-tenant");
        cpSync(EXAMPLE, dir, { recursive: true });
    });
    after(async () => {
        rmSync(dir, { recursive: true, force: true });
        await world?.dispose();
    });

    const stackArgs = (stack: string) => {
        const { tenant } = tenants[stack]!;
        const e = world.emulator;
        return [
            "--stack", stack, "--work-dir", dir, "--quiet",
            "--config", `tenantId=${tenant.tenantId}`, "--config", `clientId=${tenant.clientId}`, "--config", `clientSecret=${tenant.clientSecret}`,
            "--config", `graphBaseUrl=${e.graphBaseUrl}`, "--config", `authorityHost=${e.authorityHost}`, "--config", `caCertPath=${e.caCertPath}`,
        ];
    };

    it("the same repository converges in both tenants, each with its own ids", async () => {
        for (const stack of ["test", "production"]) {
            const result = await run(["up", ...stackArgs(stack)]);
            assert.equal(result.code, 0, `${stack}: ${result.err}${result.out}`);
            const { tenant, policyId } = tenants[stack]!;
            const live = tenant.admin.listAssignments("groupPolicyConfigurations", policyId);
            // The pilot entry has `tenants: { production: { skip: true } }`.
            assert.equal(live.length, stack === "test" ? 4 : 3, `${stack}: ${JSON.stringify(live)}`);
            const groups = new Map(tenant.admin.state().groups.map((g) => [g.id, g.displayName]));
            const filter = tenant.admin.state().filters[0]!;
            const engineers = live.find((a) => groups.get(String(a.target.groupId)) === "Engineers");
            assert.equal(engineers?.target.deviceAndAppManagementAssignmentFilterId, filter.id, "the filter named O'Brien devices of this tenant");
        }
        assert.notEqual(tenants.test!.policyId, tenants.production!.policyId);
        assert.equal(world.emulator.admin.listAssignments("groupPolicyConfigurations", tenants.test!.policyId).length, 4, "production's up left test alone");
    });

    it("a second up in each tenant changes nothing", async () => {
        world.emulator.admin.clearLog();
        for (const stack of ["test", "production"]) {
            const result = await run(["up", ...stackArgs(stack)]);
            assert.equal(result.code, 0, result.err);
            assert.match(result.out, /no changes|0 created/i, result.out);
        }
        assert.deepEqual(world.writes(), []);
    });

    it("a drift in the production tenant is reported for production only", async () => {
        const { tenant, policyId } = tenants.production!;
        const all = tenant.admin.listAssignments("groupPolicyConfigurations", policyId);
        const allDevices = all.find((a) => a.target["@odata.type"] === "#microsoft.graph.allDevicesAssignmentTarget")!;
        tenant.admin.deleteAssignment("groupPolicyConfigurations", policyId, allDevices.id);
        const drift = (stack: string) => run(["drift", "--stack", stack, "--work-dir", dir, "--quiet"]);
        const production = await drift("production");
        assert.equal(production.code, 2, production.err + production.out);
        assert.match(production.out, /baseline-all-devices/);
        const test = await drift("test");
        assert.equal(test.code, 0, test.err + test.out);
    });
});
