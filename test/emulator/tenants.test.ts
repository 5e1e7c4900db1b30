import assert from "node:assert/strict";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { call, getToken, GPC, GROUP_A } from "./helpers";

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

  it("keeps fault switches per tenant: throttling, 5xx, resets and refused item routes set on one tenant leave the other alone", async () => {
    const testToken = await getToken(emu);
    const prodApp = emu.tenant(PROD);
    const prodToken = await getToken(emu, prodApp.clientId, prodApp.clientSecret, PROD);
    const testPolicy = emu.admin.seedPolicy("groupPolicyConfigurations", { displayName: "Per-tenant faults" }).id;
    const prodPolicy = prodApp.admin.seedPolicy("groupPolicyConfigurations", { displayName: "Per-tenant faults" }).id;
    const assign = (token: string, policyId: string, groupId: string) =>
      call(emu, "POST", `${GPC}/${policyId}/assignments`, { token, body: { target: { "@odata.type": "#microsoft.graph.groupAssignmentTarget", groupId } } });
    try {
      // The production tenant answers every request 503/504, and refuses item routes; the default tenant has no fault.
      prodApp.admin.setFaults({ rateLimit: false, serverErrorRate: 1, seed: 3 });
      emu.admin.setFaults({ rateLimit: false });
      assert.deepEqual(emu.admin.getFaults(), { rateLimit: false });
      assert.equal(prodApp.admin.getFaults().serverErrorRate, 1);
      for (let i = 0; i < 3; i++) {
        assert.ok([503, 504].includes((await call(emu, "GET", GPC, { token: prodToken })).status));
        assert.equal((await call(emu, "GET", GPC, { token: testToken })).status, 200);
      }
      // Refused item routes and a batch reset on the default tenant only.
      prodApp.admin.setFaults({ rateLimit: false });
      emu.admin.setFaults({ rateLimit: false, refuseItemRoutes: { groupPolicyConfigurations: true } });
      assert.equal((await assign(testToken, testPolicy, GROUP_A)).status, 400);
      assert.equal((await assign(prodToken, prodPolicy, GROUP_A)).status, 201);
      emu.admin.setFaults({ rateLimit: false, resetRate: 1 });
      const batch = { requests: [{ id: "1", method: "GET", url: "/deviceManagement/groupPolicyConfigurations" }] };
      await assert.rejects(call(emu, "POST", "/beta/$batch", { token: testToken, body: batch }), /socket hang up|ECONNRESET/);
      const prodBatch = await call(emu, "POST", "/beta/$batch", { token: prodToken, body: batch });
      assert.equal(prodBatch.status, 200);
      assert.equal(prodBatch.body.responses[0].status, 200);
      // Throttling switched on for one tenant: the other, with rateLimit off, is never throttled.
      emu.admin.setFaults({ rateLimit: false });
      prodApp.admin.setFaults({ rateLimit: { windowSeconds: 60, requestsPerWindow: 1 } });
      const prodStatuses = [];
      for (let i = 0; i < 3; i++) prodStatuses.push((await call(emu, "GET", GPC, { token: prodToken })).status);
      assert.deepEqual(prodStatuses, [200, 429, 429]);
      for (let i = 0; i < 3; i++) assert.equal((await call(emu, "GET", GPC, { token: testToken })).status, 200);
    } finally {
      emu.admin.setFaults({ rateLimit: false });
      prodApp.admin.setFaults({ rateLimit: false });
    }
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

  it("sets a tenant's fault switches over HTTP under /_emulator/tenants/{tenantId}/faults, that tenant's alone", async () => {
    const https = await import("node:https");
    const request = (method: string, path: string, body?: unknown) =>
      new Promise<{ status: number; body: any }>((resolve, reject) => {
        const req = https.request(`${emu.adminUrl}${path}`, { method, ca: emu.caCertPem, headers: { "content-type": "application/json" } }, (res) => {
          let text = "";
          res.on("data", (c: Buffer) => (text += c.toString()));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined }));
        });
        req.on("error", reject);
        req.end(body === undefined ? undefined : JSON.stringify(body));
      });
    emu.admin.setFaults({ rateLimit: false });
    assert.ok((await request("PUT", `/tenants/${PROD}/faults`, { rateLimit: false, listPageSize: 1 })).status < 300);
    assert.deepEqual((await request("GET", `/tenants/${PROD}/faults`)).body, { rateLimit: false, listPageSize: 1 });
    assert.deepEqual((await request("GET", "/faults")).body, { rateLimit: false });
    const prodApp = emu.tenant(PROD);
    const prodToken = await getToken(emu, prodApp.clientId, prodApp.clientSecret, PROD);
    const testToken = await getToken(emu);
    const prodPage = await call(emu, "GET", GPC, { token: prodToken });
    const testPage = await call(emu, "GET", GPC, { token: testToken });
    assert.ok(prodApp.admin.state().groupPolicyConfigurations.length > 1 && emu.admin.state().groupPolicyConfigurations.length > 1);
    assert.equal(prodPage.body.value.length, 1, "the production tenant pages by 1");
    assert.ok(typeof prodPage.body["@odata.nextLink"] === "string");
    assert.equal(testPage.body.value.length, emu.admin.state().groupPolicyConfigurations.length, "the default tenant still pages by 100");
    prodApp.admin.setFaults({ rateLimit: false });
  });
});

describe("multi-tenant emulator: a tenant's own fault switches at start", () => {
  const STAGING = "5e4d3c2b-1a09-4f8e-9d7c-6b5a49382716";
  let emu: RunningEmulator;
  before(async () => {
    emu = await startEmulator({
      port: 0,
      tenants: [{ tenantId: PROD, faults: { refuseItemRoutes: { groupPolicyConfigurations: true } } }, { tenantId: STAGING }],
      faults: { rateLimit: false, listPageSize: 2 },
    });
  });
  after(() => emu.stop());

  it("merges a tenant's start faults over the emulator's, which the other tenants keep; reset restores the tenant's own", async () => {
    assert.deepEqual(emu.admin.getFaults(), { rateLimit: false, listPageSize: 2 });
    assert.deepEqual(emu.tenant(STAGING).admin.getFaults(), { rateLimit: false, listPageSize: 2 });
    assert.deepEqual(emu.tenant(PROD).admin.getFaults(), { rateLimit: false, listPageSize: 2, refuseItemRoutes: { groupPolicyConfigurations: true }, refuseItemReads: {} });
    const post = async (tenantId: string) => {
      const tenant = emu.tenant(tenantId);
      const token = await getToken(emu, tenant.clientId, tenant.clientSecret, tenantId);
      const policyId = tenant.admin.seedPolicy("groupPolicyConfigurations", { displayName: "Start faults" }).id;
      return (await call(emu, "POST", `${GPC}/${policyId}/assignments`, { token, body: { target: { "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget" } } })).status;
    };
    assert.equal(await post(PROD), 400);
    assert.equal(await post(STAGING), 201);
    assert.equal(await post(emu.tenantId), 201);
    emu.tenant(PROD).admin.setFaults({ rateLimit: false });
    assert.equal(await post(PROD), 201);
    emu.tenant(PROD).admin.reset();
    assert.equal(emu.tenant(PROD).admin.getFaults().refuseItemRoutes?.groupPolicyConfigurations, true, "reset restores the tenant's start faults");
    assert.equal(await post(PROD), 400);
  });
});
