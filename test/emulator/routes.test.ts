import assert from "node:assert/strict";
import { startEmulator } from "../../emulator";
import { call, getToken, GPC, GROUP_A, GROUP_B, groupTarget, useEmulator, VE } from "./helpers";

const CPC_TARGET = "#microsoft.graph.cloudPcManagementGroupAssignmentTarget";

describe("Route switches: refuseItemReads and draftProvisioningRoutes", () => {
  const session = useEmulator();

  describe("refuseItemReads", () => {
    it("answers GET on an Intune assignment item with the OData routing 400; the list still answers", async () => {
      const { emu, token } = session;
      const policy = emu.admin.seedPolicy("groupPolicyConfigurations", { displayName: "P" }).id;
      const a = emu.admin.addAssignment("groupPolicyConfigurations", policy, groupTarget(GROUP_A));
      emu.admin.setFaults({ refuseItemReads: { groupPolicyConfigurations: true } }, true);
      const item = await call(emu, "GET", `${GPC}/${policy}/assignments/${a.id}`, { token });
      assert.equal(item.status, 400);
      assert.equal(item.body.error.code, "BadRequest");
      assert.match(item.body.error.message,
        /^No OData route exists that match template ~\/singleton\/navigation\/key\/navigation\/key with http verb GET for request \/DeviceConfiguration_\d+\/.*\/assignments\('[^']+'\)\. No method match route template/);
      assert.equal(item.body.error.innerError["request-id"], item.headers["request-id"]);
      const list = await call(emu, "GET", `${GPC}/${policy}/assignments`, { token });
      assert.deepEqual(list.body.value.map((x: { id: string }) => x.id), [a.id]);
      // Item writes are governed by refuseItemRoutes alone.
      assert.equal((await call(emu, "PATCH", `${GPC}/${policy}/assignments/${a.id}`, { token, body: { target: groupTarget(GROUP_B) } })).status, 200);
    });

    it("is per kind and covers both Windows 365 item routes; $expand still works", async () => {
      const { emu, token } = session;
      const cpc = emu.admin.seedPolicy("provisioningPolicies", { displayName: "C" }).id;
      const a = emu.admin.addAssignment("provisioningPolicies", cpc, { "@odata.type": CPC_TARGET, groupId: GROUP_A }, `${cpc}_${GROUP_A}`);
      const gpc = emu.admin.seedPolicy("groupPolicyConfigurations", { displayName: "P" }).id;
      const g = emu.admin.addAssignment("groupPolicyConfigurations", gpc, groupTarget(GROUP_A));
      emu.admin.setFaults({ refuseItemReads: { provisioningPolicies: true } }, true);
      assert.equal((await call(emu, "GET", `${VE}/${cpc}/assignments/${a.id}`, { token })).status, 400);
      const legacy = await call(emu, "GET", `/beta/provisioningPolicies/${cpc}/assignments/${a.id}`, { token });
      assert.equal(legacy.status, 400);
      assert.match(legacy.body.error.message, /^No OData route exists .* with http verb GET /);
      assert.equal((await call(emu, "GET", `${VE}/${cpc}?$expand=assignments`, { token })).body.assignments[0].id, a.id);
      assert.equal((await call(emu, "GET", `${VE}/${cpc}/assignments`, { token })).body.value.length, 1);
      assert.equal((await call(emu, "GET", `${GPC}/${gpc}/assignments/${g.id}`, { token })).status, 200, "the other kind still serves items");
      // Merged per kind through the admin API, as refuseItemRoutes is.
      const merged = await call(emu, "PATCH", "/_emulator/faults", { body: { refuseItemReads: { groupPolicyConfigurations: true } } });
      assert.deepEqual(merged.body.refuseItemReads, { provisioningPolicies: true, groupPolicyConfigurations: true });
      assert.equal((await call(emu, "GET", `${GPC}/${gpc}/assignments/${g.id}`, { token })).status, 400);
    });
  });

  describe("draftProvisioningRoutes", () => {
    it("false removes the draft root: every verb answers 400 'Resource not found for the segment' with innerError", async () => {
      const { emu, token } = session;
      const cpc = emu.admin.seedPolicy("provisioningPolicies", { displayName: "C" }).id;
      emu.admin.setFaults({ draftProvisioningRoutes: false }, true);
      const requests: [string, string, unknown?][] = [
        ["GET", `/beta/provisioningPolicies/${cpc}/assignments`],
        ["POST", `/beta/provisioningPolicies/${cpc}/assignments`, { groupId: GROUP_A }],
        ["GET", `/beta/provisioningPolicies/${cpc}/assignments/${cpc}_${GROUP_A}`],
        ["PATCH", `/beta/provisioningPolicies/${cpc}/assignments/${cpc}_${GROUP_A}`, { groupId: GROUP_B }],
        ["DELETE", `/beta/provisioningPolicies/${cpc}/assignments/${cpc}_${GROUP_A}`],
      ];
      for (const [method, path, body] of requests) {
        const reply = await call(emu, method, path, { token, body, headers: { "client-request-id": "draft-1" } });
        assert.equal(reply.status, 400, `${method} ${path}`);
        assert.equal(reply.body.error.code, "BadRequest");
        assert.equal(reply.body.error.message, "Resource not found for the segment 'provisioningPolicies'.");
        assert.equal(reply.body.error.innerError["client-request-id"], "draft-1");
        assert.equal(reply.body.error.innerError["request-id"], reply.headers["request-id"]);
        assert.ok(reply.body.error.innerError.date);
      }
      assert.deepEqual(emu.admin.listAssignments("provisioningPolicies", cpc), [], "nothing was written");
      const current = await call(emu, "POST", `${VE}/${cpc}/assign`, { token, body: { assignments: [{ target: { "@odata.type": CPC_TARGET, groupId: GROUP_A } }] } });
      assert.equal(current.status, 204, "the documented virtualEndpoint route is unaffected");
    });

    it("is on by default, can be set at start and switched back at run time", async () => {
      const { token } = session;
      assert.equal((await call(session.emu, "GET", `/beta/provisioningPolicies/${GROUP_A}/assignments`, { token })).status, 404, "on by default: policy not found");
      await session.emu.stop();
      session.emu = await startEmulator({ port: 0, faults: { draftProvisioningRoutes: false } });
      const token2 = await getToken(session.emu);
      const cpc = session.emu.admin.seedPolicy("provisioningPolicies", { displayName: "C" }).id;
      assert.equal((await call(session.emu, "GET", `/beta/provisioningPolicies/${cpc}/assignments`, { token: token2 })).status, 400);
      await call(session.emu, "PATCH", "/_emulator/faults", { body: { draftProvisioningRoutes: true } });
      assert.equal((await call(session.emu, "GET", `/beta/provisioningPolicies/${cpc}/assignments`, { token: token2 })).status, 200);
      assert.equal((await call(session.emu, "PATCH", "/_emulator/faults", { body: { draftProvisioningRoutes: "no" } })).status, 400);
    });
  });

  it("names the first unknown segment of a path, as Graph does", async () => {
    const { emu, token } = session;
    const nope = await call(emu, "GET", "/beta/deviceManagement/nope/assignments", { token });
    assert.equal(nope.status, 400);
    assert.equal(nope.body.error.message, "Resource not found for the segment 'nope'.");
    const v1 = await call(emu, "GET", "/v1.0/deviceManagement/groupPolicyConfigurations", { token });
    assert.equal(v1.body.error.message, "Resource not found for the segment 'groupPolicyConfigurations'.", "beta-only collection on v1.0");
    assert.equal((await call(emu, "GET", "/v1.0/provisioningPolicies/x/assignments", { token })).body.error.message,
      "Resource not found for the segment 'provisioningPolicies'.");
  });
});
