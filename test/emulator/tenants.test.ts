import assert from "node:assert/strict";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { call, getToken, GPC } from "./helpers";

const PROD = "8a7b6c5d-4e3f-4a2b-9c1d-0e9f8a7b6c5d";

describe("multi-tenant emulator: a directory per tenant", () => {
  let emu: RunningEmulator;
  before(async () => {
    emu = await startEmulator({
      port: 0,
      tenants: [{ tenantId: PROD, seed: { groups: [{ displayName: "Engineers" }] } }],
      faults: { rateLimit: { windowSeconds: 60, requestsPerWindow: 3 } },
    });
  });
  after(() => emu.stop());

  it("hosts the default tenant first and the extra one with an app of its own", () => {
    assert.deepEqual(emu.tenants.map((t) => t.tenantId), [emu.tenantId, PROD]);
    assert.notEqual(emu.tenant(PROD).clientId, emu.clientId);
    assert.throws(() => emu.tenant("00000000-0000-4000-8000-00000000dead"), /hosts no tenant/);
  });

  it("serves each token the directory of its tid: policies, groups and filters are not shared", async () => {
    const test = emu.admin.seedPolicy("groupPolicyConfigurations", { displayName: "Baseline" });
    const prod = emu.tenant(PROD).admin.seedPolicy("groupPolicyConfigurations", { displayName: "Baseline" });
    emu.tenant(PROD).admin.seedFilter({ displayName: "O'Brien devices" });
    const prodApp = emu.tenant(PROD);
    const testToken = await getToken(emu);
    const prodToken = await getToken(emu, prodApp.clientId, prodApp.clientSecret, PROD);
    const testList = await call(emu, "GET", `${GPC}?$select=id,displayName`, { token: testToken });
    const prodList = await call(emu, "GET", `${GPC}?$select=id,displayName`, { token: prodToken });
    assert.deepEqual((testList.body as { value: { id: string }[] }).value.map((p) => p.id), [test.id]);
    assert.deepEqual((prodList.body as { value: { id: string }[] }).value.map((p) => p.id), [prod.id]);
    assert.deepEqual(Object.keys((prodList.body as { value: object[] }).value[0]!).sort(), ["@odata.type", "displayName", "id"]);
    assert.equal(emu.admin.state().groups.length, 0);
    assert.equal(emu.tenant(PROD).admin.state().groups.length, 1);
    assert.equal(emu.admin.state().filters.length, 0);
  });

  it("keeps a throttling budget per tenant: the default tenant's 429 leaves the other tenant's requests alone", async () => {
    emu.admin.setFaults({ rateLimit: { windowSeconds: 60, requestsPerWindow: 3 } });
    const testToken = await getToken(emu);
    const prodApp = emu.tenant(PROD);
    const prodToken = await getToken(emu, prodApp.clientId, prodApp.clientSecret, PROD);
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await call(emu, "GET", GPC, { token: testToken })).status);
    assert.equal(statuses.at(-1), 429, statuses.join(","));
    assert.equal((await call(emu, "GET", GPC, { token: prodToken })).status, 200);
  });

  it("scopes the admin HTTP API with /_emulator/tenants/{tenantId}/…", async () => {
    const https = await import("node:https");
    const post = (path: string, body: unknown) =>
      new Promise<number>((resolve, reject) => {
        const req = https.request(`${emu.adminUrl}${path}`, { method: "POST", ca: emu.caCertPem, headers: { "content-type": "application/json" } }, (res) => {
          res.resume();
          res.on("end", () => resolve(res.statusCode ?? 0));
        });
        req.on("error", reject);
        req.end(JSON.stringify(body));
      });
    assert.equal(await post(`/tenants/${PROD}/groups`, { displayName: "Contractors" }), 201);
    assert.deepEqual(emu.tenant(PROD).admin.state().groups.map((g) => g.displayName).sort(), ["Contractors", "Engineers"]);
    assert.equal(emu.admin.state().groups.length, 0);
    assert.equal(await post(`/tenants/00000000-0000-4000-8000-00000000dead/groups`, { displayName: "x" }), 404);
  });
});
