import assert from "node:assert/strict";
import { call, FILTER_ID, GPC, GROUP_A, GROUP_B, groupTarget, useSeededEmulator } from "./helpers";

describe("Intune groupPolicyConfigurations and assignments", () => {
  const seeded = useSeededEmulator("groupPolicyConfigurations", "Baseline");

  const post = (body: unknown) => call(seeded.emu, "POST", `${GPC}/${seeded.policyId}/assignments`, { token: seeded.token, body });
  const messageOf = (reply: { body: any }) => String(reply.body.error.message);

  it("creates, lists, gets and deletes a policy", async () => {
    const created = await call(seeded.emu, "POST", GPC, { token: seeded.token, body: { displayName: "New policy", description: "d" } });
    assert.equal(created.status, 201);
    assert.equal(created.body["@odata.type"], "#microsoft.graph.groupPolicyConfiguration");
    const list = await call(seeded.emu, "GET", GPC, { token: seeded.token });
    assert.equal(list.status, 200);
    assert.match(list.body["@odata.context"], /\$metadata#deviceManagement\/groupPolicyConfigurations$/);
    assert.deepEqual(list.body.value.map((p: any) => p.displayName).sort(), ["Baseline", "New policy"]);
    assert.equal((await call(seeded.emu, "GET", `${GPC}/${created.body.id}`, { token: seeded.token })).body.displayName, "New policy");
    assert.equal((await call(seeded.emu, "DELETE", `${GPC}/${created.body.id}`, { token: seeded.token })).status, 204);
    assert.equal((await call(seeded.emu, "GET", `${GPC}/${created.body.id}`, { token: seeded.token })).status, 404);
  });

  it("POST creates an assignment with server-set id and timestamp and answers 201 with the entity", async () => {
    const reply = await post({ "@odata.type": "#microsoft.graph.groupPolicyConfigurationAssignment", target: groupTarget(GROUP_A) });
    assert.equal(reply.status, 201);
    assert.equal(reply.body["@odata.type"], "#microsoft.graph.groupPolicyConfigurationAssignment");
    assert.match(reply.body.id, /^[0-9a-f-]{36}$/);
    assert.ok(!Number.isNaN(Date.parse(reply.body.lastModifiedDateTime)));
    assert.deepEqual(reply.body.target, {
      "@odata.type": "#microsoft.graph.groupAssignmentTarget",
      deviceAndAppManagementAssignmentFilterId: null,
      deviceAndAppManagementAssignmentFilterType: "none",
      groupId: GROUP_A,
    });
    assert.ok(String(reply.headers.location).includes(reply.body.id));
  });

  it("lists and gets assignments with @odata.context", async () => {
    const created = (await post({ target: groupTarget(GROUP_A) })).body;
    const list = await call(seeded.emu, "GET", `${GPC}/${seeded.policyId}/assignments`, { token: seeded.token });
    assert.equal(list.status, 200);
    assert.match(list.body["@odata.context"], /assignments$/);
    assert.deepEqual(list.body.value.map((a: any) => a.id), [created.id]);
    const one = await call(seeded.emu, "GET", `${GPC}/${seeded.policyId}/assignments/${created.id}`, { token: seeded.token });
    assert.equal(one.status, 200);
    assert.equal(one.body.target.groupId, GROUP_A);
  });

  it("accepts every deviceAndAppManagementAssignmentTarget subtype, with and without '#'", async () => {
    const targets = [
      { "@odata.type": "#microsoft.graph.exclusionGroupAssignmentTarget", groupId: GROUP_B },
      { "@odata.type": "microsoft.graph.allDevicesAssignmentTarget", deviceAndAppManagementAssignmentFilterId: FILTER_ID, deviceAndAppManagementAssignmentFilterType: "include" },
      { "@odata.type": "#microsoft.graph.allLicensedUsersAssignmentTarget", deviceAndAppManagementAssignmentFilterType: "none" },
      { "@odata.type": "microsoft.graph.configurationManagerCollectionAssignmentTarget", collectionId: "SMS00001" },
      groupTarget(GROUP_A, { deviceAndAppManagementAssignmentFilterId: FILTER_ID, deviceAndAppManagementAssignmentFilterType: "exclude" }),
    ];
    for (const target of targets) {
      const reply = await post({ target });
      assert.equal(reply.status, 201, reply.text);
      assert.ok(String(reply.body.target["@odata.type"]).startsWith("#microsoft.graph."));
    }
    assert.equal(seeded.emu.admin.listAssignments("groupPolicyConfigurations", seeded.policyId).length, 5);
  });

  it("PATCH replaces the target as given, keeps the id and bumps lastModifiedDateTime", async () => {
    const created = (await post({ target: groupTarget(GROUP_A, { deviceAndAppManagementAssignmentFilterId: FILTER_ID, deviceAndAppManagementAssignmentFilterType: "include" }) })).body;
    const patched = await call(seeded.emu, "PATCH", `${GPC}/${seeded.policyId}/assignments/${created.id}`, {
      token: seeded.token, body: { "@odata.type": "#microsoft.graph.groupPolicyConfigurationAssignment", target: groupTarget(GROUP_B) },
    });
    assert.equal(patched.status, 200);
    assert.equal(patched.body.id, created.id);
    assert.equal(patched.body.target.groupId, GROUP_B);
    assert.equal(patched.body.target.deviceAndAppManagementAssignmentFilterType, "none", "target is replaced, not merged");
    assert.ok(patched.body.lastModifiedDateTime > created.lastModifiedDateTime);
  });

  it("PATCH without target leaves the target alone", async () => {
    const created = (await post({ target: groupTarget(GROUP_A) })).body;
    const patched = await call(seeded.emu, "PATCH", `${GPC}/${seeded.policyId}/assignments/${created.id}`, { token: seeded.token, body: {} });
    assert.equal(patched.status, 200);
    assert.deepEqual(patched.body.target, created.target);
  });

  it("DELETE answers 204 and the assignment is gone", async () => {
    const created = (await post({ target: groupTarget(GROUP_A) })).body;
    const deleted = await call(seeded.emu, "DELETE", `${GPC}/${seeded.policyId}/assignments/${created.id}`, { token: seeded.token });
    assert.equal(deleted.status, 204);
    assert.equal(deleted.text, "");
    assert.equal((await call(seeded.emu, "GET", `${GPC}/${seeded.policyId}/assignments/${created.id}`, { token: seeded.token })).status, 404);
  });

  it("assign replaces the whole list, keeps ids of unchanged targets and answers 200 with value", async () => {
    const kept = (await post({ target: groupTarget(GROUP_A) })).body;
    await post({ target: { "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget" } });
    const reply = await call(seeded.emu, "POST", `${GPC}/${seeded.policyId}/assign`, {
      token: seeded.token, body: { assignments: [{ target: groupTarget(GROUP_A) }, { target: { "@odata.type": "#microsoft.graph.exclusionGroupAssignmentTarget", groupId: GROUP_B } }] },
    });
    assert.equal(reply.status, 200);
    assert.equal(reply.body.value.length, 2);
    assert.equal(reply.body.value[0].id, kept.id);
    const types = seeded.emu.admin.listAssignments("groupPolicyConfigurations", seeded.policyId).map((a) => a.target["@odata.type"]);
    assert.deepEqual(types, ["#microsoft.graph.groupAssignmentTarget", "#microsoft.graph.exclusionGroupAssignmentTarget"]);
  });

  it("assign with an empty list removes every assignment", async () => {
    await post({ target: groupTarget(GROUP_A) });
    const reply = await call(seeded.emu, "POST", `${GPC}/${seeded.policyId}/assign`, { token: seeded.token, body: { assignments: [] } });
    assert.equal(reply.status, 200);
    assert.deepEqual(reply.body.value, []);
  });

  it("answers 404 ResourceNotFound when the policy or the assignment does not exist", async () => {
    const missing = "99999999-9999-4999-8999-999999999999";
    for (const [method, path] of [["GET", `${GPC}/${missing}/assignments`], ["POST", `${GPC}/${missing}/assignments`],
      ["POST", `${GPC}/${missing}/assign`], ["GET", `${GPC}/${seeded.policyId}/assignments/${missing}`],
      ["PATCH", `${GPC}/${seeded.policyId}/assignments/${missing}`], ["DELETE", `${GPC}/${seeded.policyId}/assignments/${missing}`]]) {
      const body = method === "GET" || method === "DELETE" ? undefined : path.endsWith("assign") ? { assignments: [] } : { target: groupTarget(GROUP_A) };
      const reply = await call(seeded.emu, method, path, { token: seeded.token, body });
      assert.equal(reply.status, 404, `${method} ${path}`);
      assert.equal(reply.body.error.code, "ResourceNotFound");
    }
  });

  it("rejects an unknown property with 400 naming it", async () => {
    const reply = await post({ target: groupTarget(GROUP_A), priority: 1 });
    assert.equal(reply.status, 400);
    assert.equal(reply.body.error.code, "BadRequest");
    assert.match(messageOf(reply), /'priority' does not exist on type 'microsoft\.graph\.groupPolicyConfigurationAssignment'/);
    const nested = await post({ target: groupTarget(GROUP_A, { groupName: "x" }) });
    assert.equal(nested.status, 400);
    assert.match(messageOf(nested), /'groupName'/);
  });

  it("rejects a malformed GUID with 400 naming the property", async () => {
    const reply = await post({ target: groupTarget("not-a-guid") });
    assert.equal(reply.status, 400);
    assert.match(messageOf(reply), /target\.groupId/);
    const filter = await post({ target: groupTarget(GROUP_A, { deviceAndAppManagementAssignmentFilterId: "zzz", deviceAndAppManagementAssignmentFilterType: "include" }) });
    assert.equal(filter.status, 400);
    assert.match(messageOf(filter), /deviceAndAppManagementAssignmentFilterId/);
  });

  it("rejects a bad enum value with 400 naming the property", async () => {
    const reply = await post({ target: groupTarget(GROUP_A, { deviceAndAppManagementAssignmentFilterType: "sometimes" }) });
    assert.equal(reply.status, 400);
    assert.match(messageOf(reply), /deviceAndAppManagementAssignmentFilterType/);
  });

  it("rejects wrong JSON types with 400 naming the property", async () => {
    const reply = await post({ target: groupTarget(GROUP_A, { deviceAndAppManagementAssignmentFilterId: 42 }) });
    assert.equal(reply.status, 400);
    assert.match(messageOf(reply), /deviceAndAppManagementAssignmentFilterId/);
    const target = await post({ target: "everyone" });
    assert.equal(target.status, 400);
    assert.match(messageOf(target), /'target'/);
  });

  it("rejects bad @odata.type values with and without '#'", async () => {
    for (const type of ["#microsoft.graph.nopeAssignmentTarget", "microsoft.graph.nopeAssignmentTarget", "#microsoft.graph.cloudPcManagementGroupAssignmentTarget", "groupAssignmentTarget"]) {
      const reply = await post({ target: { "@odata.type": type, groupId: GROUP_A } });
      assert.equal(reply.status, 400, type);
      assert.match(messageOf(reply), /target\.@odata\.type/, type);
    }
    const abstract = await post({ target: { groupId: GROUP_A } });
    assert.equal(abstract.status, 400);
    assert.match(messageOf(abstract), /abstract/);
    const entity = await post({ "@odata.type": "#microsoft.graph.deviceConfigurationAssignment", target: groupTarget(GROUP_A) });
    assert.equal(entity.status, 400);
  });

  it("rejects invalid JSON with 400", async () => {
    const reply = await call(seeded.emu, "POST", `${GPC}/${seeded.policyId}/assignments`, { token: seeded.token, raw: "{not json" });
    assert.equal(reply.status, 400);
    assert.equal(reply.body.error.code, "BadRequest");
  });

  it("answers 409 Conflict for a second assignment of the same target, naming the existing one", async () => {
    const first = (await post({ target: groupTarget(GROUP_A) })).body;
    const second = await post({ target: groupTarget(GROUP_A) });
    assert.equal(second.status, 409);
    assert.equal(second.body.error.code, "Conflict");
    assert.ok(messageOf(second).includes(first.id));
    const exclusion = await post({ target: { "@odata.type": "#microsoft.graph.exclusionGroupAssignmentTarget", groupId: GROUP_A } });
    assert.equal(exclusion.status, 201, "include and exclude of one group are different targets");
  });

  it("wraps Intune error messages in an escaped JSON document, as Intune does", async () => {
    const reply = await post({ target: groupTarget("bad") });
    const inner = JSON.parse(messageOf(reply));
    assert.equal(inner._version, 3);
    assert.match(inner.Message, /target\.groupId/);
  });
});
