import assert from "node:assert/strict";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { call, getToken, GROUP_A, GROUP_B, SERVICE_PLAN, useSeededEmulator, VE } from "./helpers";

const CPC_TARGET = "#microsoft.graph.cloudPcManagementGroupAssignmentTarget";

describe("Windows 365 provisioning policies and assignments", () => {
  const seeded = useSeededEmulator("provisioningPolicies", "Dedicated");

  const legacy = (id = seeded.policyId) => `/beta/provisioningPolicies/${id}/assignments`;

  it("creates, lists, gets and deletes a provisioning policy on beta and v1.0", async () => {
    const created = await call(seeded.emu, "POST", VE, { token: seeded.token, body: { displayName: "Frontline", provisioningType: "sharedByUser", imageId: "img" } });
    assert.equal(created.status, 201);
    assert.equal(created.body["@odata.type"], "#microsoft.graph.cloudPcProvisioningPolicy");
    assert.equal(created.body.imageId, "img");
    const v1 = await call(seeded.emu, "GET", `/v1.0/deviceManagement/virtualEndpoint/provisioningPolicies/${created.body.id}`, { token: seeded.token });
    assert.equal(v1.status, 200);
    assert.equal((await call(seeded.emu, "GET", VE, { token: seeded.token })).body.value.length, 2);
    assert.equal((await call(seeded.emu, "DELETE", `${VE}/${created.body.id}`, { token: seeded.token })).status, 204);
    assert.equal((await call(seeded.emu, "GET", `${VE}/${created.body.id}`, { token: seeded.token })).status, 404);
  });

  it("assign replaces the list, answers 204, and ids are {seeded.policyId}_{groupId}", async () => {
    const reply = await call(seeded.emu, "POST", `${VE}/${seeded.policyId}/assign`, {
      token: seeded.token, body: { assignments: [{ target: { "@odata.type": "microsoft.graph.cloudPcManagementGroupAssignmentTarget", groupId: GROUP_A } }] },
    });
    assert.equal(reply.status, 204);
    assert.equal(reply.text, "");
    const expanded = await call(seeded.emu, "GET", `${VE}/${seeded.policyId}?$expand=assignments`, { token: seeded.token });
    assert.equal(expanded.status, 200);
    assert.deepEqual(expanded.body.assignments, [{
      id: `${seeded.policyId}_${GROUP_A}`,
      target: { "@odata.type": CPC_TARGET, groupId: GROUP_A, servicePlanId: null, allotmentDisplayName: null, allotmentLicensesCount: null },
    }]);
    await call(seeded.emu, "POST", `${VE}/${seeded.policyId}/assign`, { token: seeded.token, body: { assignments: [{ target: { "@odata.type": CPC_TARGET, groupId: GROUP_B } }] } });
    const after = await call(seeded.emu, "GET", `${VE}/${seeded.policyId}/assignments`, { token: seeded.token });
    assert.deepEqual(after.body.value.map((a: any) => a.id), [`${seeded.policyId}_${GROUP_B}`]);
  });

  it("lists policies with $expand=assignments and omits assignments without it", async () => {
    await call(seeded.emu, "POST", `${VE}/${seeded.policyId}/assign`, { token: seeded.token, body: { assignments: [{ target: { "@odata.type": CPC_TARGET, groupId: GROUP_A } }] } });
    const plain = await call(seeded.emu, "GET", VE, { token: seeded.token });
    assert.equal(plain.body.value[0].assignments, undefined);
    const expanded = await call(seeded.emu, "GET", `${VE}?$expand=assignments`, { token: seeded.token });
    assert.equal(expanded.body.value[0].assignments.length, 1);
  });

  it("requires servicePlanId for Frontline policies and refuses it for dedicated ones", async () => {
    const frontline = seeded.emu.admin.seedPolicy("provisioningPolicies", { displayName: "FL", provisioningType: "sharedByUser" }).id;
    const missing = await call(seeded.emu, "POST", `${VE}/${frontline}/assign`, { token: seeded.token, body: { assignments: [{ target: { "@odata.type": CPC_TARGET, groupId: GROUP_A } }] } });
    assert.equal(missing.status, 400);
    assert.match(missing.body.error.message, /servicePlanId/);
    const ok = await call(seeded.emu, "POST", `${VE}/${frontline}/assign`, {
      token: seeded.token, body: { assignments: [{ target: { "@odata.type": CPC_TARGET, groupId: GROUP_A, servicePlanId: SERVICE_PLAN, allotmentDisplayName: "Shift A", allotmentLicensesCount: 5 } }] },
    });
    assert.equal(ok.status, 204);
    assert.equal(seeded.emu.admin.listAssignments("provisioningPolicies", frontline)[0].target.allotmentLicensesCount, 5);
    const dedicated = await call(seeded.emu, "POST", `${VE}/${seeded.policyId}/assign`, { token: seeded.token, body: { assignments: [{ target: { "@odata.type": CPC_TARGET, groupId: GROUP_A, servicePlanId: SERVICE_PLAN } }] } });
    assert.equal(dedicated.status, 400);
  });

  it("rejects bad targets in assign with 400 naming the property", async () => {
    const cases: [unknown, RegExp][] = [
      [{ "@odata.type": "#microsoft.graph.groupAssignmentTarget", groupId: GROUP_A }, /target\.@odata\.type/],
      [{ "@odata.type": CPC_TARGET, groupId: "nope" }, /target\.groupId/],
      [{ "@odata.type": CPC_TARGET, groupId: GROUP_A, color: "red" }, /'color'/],
      [{ "@odata.type": CPC_TARGET, groupId: GROUP_A, allotmentLicensesCount: "5" }, /allotmentLicensesCount/],
    ];
    for (const [target, pattern] of cases) {
      const reply = await call(seeded.emu, "POST", `${VE}/${seeded.policyId}/assign`, { token: seeded.token, body: { assignments: [{ target }] } });
      assert.equal(reply.status, 400);
      assert.match(reply.body.error.message, pattern);
    }
    const extra = await call(seeded.emu, "POST", `${VE}/${seeded.policyId}/assign`, { token: seeded.token, body: { assignments: [], force: true } });
    assert.equal(extra.status, 400);
  });

  it("item routes on the current path create, patch and delete assignments", async () => {
    const created = await call(seeded.emu, "POST", `${VE}/${seeded.policyId}/assignments`, { token: seeded.token, body: { target: { "@odata.type": CPC_TARGET, groupId: GROUP_A } } });
    assert.equal(created.status, 201);
    assert.equal(created.body.id, `${seeded.policyId}_${GROUP_A}`);
    const patched = await call(seeded.emu, "PATCH", `${VE}/${seeded.policyId}/assignments/${created.body.id}`, { token: seeded.token, body: { target: { "@odata.type": CPC_TARGET, groupId: GROUP_B } } });
    assert.equal(patched.status, 200);
    assert.equal(patched.body.target.groupId, GROUP_B);
    assert.equal(patched.body.id, created.body.id, "the key does not change on PATCH");
    assert.equal((await call(seeded.emu, "GET", `${VE}/${seeded.policyId}/assignments/${created.body.id}`, { token: seeded.token })).status, 200);
    assert.equal((await call(seeded.emu, "DELETE", `${VE}/${seeded.policyId}/assignments/${created.body.id}`, { token: seeded.token })).status, 204);
  });

  it("legacy /provisioningPolicies/{id}/assignments supports every verb over the same store", async () => {
    const created = await call(seeded.emu, "POST", legacy(), { token: seeded.token, body: { "@odata.type": "#microsoft.graph.ProvisionPolicyAssignmentItem", groupId: GROUP_A } });
    assert.equal(created.status, 201);
    assert.deepEqual({ id: created.body.id, groupId: created.body.groupId }, { id: `${seeded.policyId}_${GROUP_A}`, groupId: GROUP_A });
    const list = await call(seeded.emu, "GET", legacy(), { token: seeded.token });
    assert.deepEqual(list.body.value.map((i: any) => i.groupId), [GROUP_A]);
    const viaCurrent = await call(seeded.emu, "GET", `${VE}/${seeded.policyId}?$expand=assignments`, { token: seeded.token });
    assert.equal(viaCurrent.body.assignments[0].target.groupId, GROUP_A, "both routes share one list");
    const patched = await call(seeded.emu, "PATCH", `${legacy()}/${created.body.id}`, { token: seeded.token, body: { groupId: GROUP_B } });
    assert.equal(patched.status, 200);
    assert.equal(patched.body.groupId, GROUP_B);
    assert.equal((await call(seeded.emu, "GET", `${legacy()}/${created.body.id}`, { token: seeded.token })).body.groupId, GROUP_B);
    assert.equal((await call(seeded.emu, "DELETE", `${legacy()}/${created.body.id}`, { token: seeded.token })).status, 204);
    assert.equal((await call(seeded.emu, "GET", `${legacy()}/${created.body.id}`, { token: seeded.token })).status, 404);
  });

  it("legacy routes validate groupId and properties, and answer 404 for a missing policy", async () => {
    assert.equal((await call(seeded.emu, "POST", legacy(), { token: seeded.token, body: { groupId: "x" } })).status, 400);
    const unknown = await call(seeded.emu, "POST", legacy(), { token: seeded.token, body: { groupId: GROUP_A, name: "n" } });
    assert.equal(unknown.status, 400);
    assert.match(unknown.body.error.message, /'name'/);
    assert.equal((await call(seeded.emu, "GET", legacy("99999999-9999-4999-8999-999999999999"), { token: seeded.token })).status, 404);
  });

  it("answers 409 for a second assignment of the same group", async () => {
    await call(seeded.emu, "POST", legacy(), { token: seeded.token, body: { groupId: GROUP_A } });
    const again = await call(seeded.emu, "POST", `${VE}/${seeded.policyId}/assignments`, { token: seeded.token, body: { target: { "@odata.type": CPC_TARGET, groupId: GROUP_A } } });
    assert.equal(again.status, 409);
  });
});

describe("Directory groups", () => {
  let emu: RunningEmulator;
  beforeEach(async () => {
    emu = await startEmulator({ port: 0, seed: { groups: [{ displayName: "Pilot Users" }, { displayName: "O'Brien team" }] } });
  });
  afterEach(() => emu.stop());

  it("resolves a display name with $filter and reads a group by id", async () => {
    const token = await getToken(emu);
    const found = await call(emu, "GET", `/beta/groups?$filter=${encodeURIComponent("displayName eq 'pilot users'")}`, { token });
    assert.equal(found.status, 200);
    assert.equal(found.body.value.length, 1);
    assert.equal(found.body.value[0].displayName, "Pilot Users");
    const quoted = await call(emu, "GET", `/v1.0/groups?$filter=${encodeURIComponent("displayName eq 'O''Brien team'")}`, { token });
    assert.equal(quoted.body.value.length, 1);
    const byId = await call(emu, "GET", `/beta/groups/${found.body.value[0].id}`, { token });
    assert.equal(byId.body.displayName, "Pilot Users");
    const missing = await call(emu, "GET", `/beta/groups/${GROUP_A}`, { token });
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.code, "Request_ResourceNotFound");
  });
});
