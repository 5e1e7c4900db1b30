import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator } from "../../emulator";
import { call, getToken, GPC, GROUP_A, GROUP_B, groupTarget, useEmulator } from "./helpers";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe("Request ids and the request log", () => {
  const session = useEmulator();

  it("sends a GUID request-id on every answer and echoes client-request-id, also in innerError", async () => {
    const { emu, token } = session;
    const ok = await call(emu, "GET", GPC, { token, headers: { "client-request-id": "abc-123" } });
    assert.match(String(ok.headers["request-id"]), GUID);
    assert.equal(ok.headers["client-request-id"], "abc-123");
    const err = await call(emu, "GET", `${GPC}/nope`, { token, headers: { "client-request-id": "def-456" } });
    assert.equal(err.status, 404);
    assert.equal(err.body.error.innerError["client-request-id"], "def-456");
    assert.equal(err.body.error.innerError["request-id"], err.headers["request-id"]);
    assert.ok(err.body.error.innerError.date);
    const unauth = await call(emu, "GET", GPC);
    assert.match(String(unauth.headers["request-id"]), GUID);
  });

  it("records method, path, query, body, status and client-request-id in order, never the token or secret", async () => {
    const { emu, token } = session;
    emu.admin.clearLog();
    const policy = emu.admin.seedPolicy("groupPolicyConfigurations", { displayName: "P" });
    await call(emu, "POST", `${GPC}/${policy.id}/assignments`, { token, body: { target: groupTarget(GROUP_A) }, headers: { "client-request-id": "c1" } });
    await call(emu, "GET", `${GPC}/${policy.id}/assignments?$top=5`, { token });
    const log = emu.log();
    assert.equal(log.length, 2);
    assert.equal(log[0].method, "POST");
    assert.equal(log[0].path, `${GPC}/${policy.id}/assignments`);
    assert.deepEqual(log[0].body, { target: groupTarget(GROUP_A) });
    assert.equal(log[0].status, 201);
    assert.equal(log[0].clientRequestId, "c1");
    assert.deepEqual(log[1].query, { $top: "5" });
    assert.ok(!Number.isNaN(Date.parse(log[1].time)));
    await getToken(emu);
    const text = JSON.stringify(emu.log());
    assert.ok(!text.includes(token), "no bearer token");
    assert.ok(!text.includes(emu.clientSecret), "no client secret");
    const viaHttp = await call(emu, "GET", "/_emulator/log");
    assert.equal(viaHttp.body.value.length, 3);
    assert.equal((await call(emu, "DELETE", "/_emulator/log")).status, 204);
    assert.deepEqual(emu.log(), []);
  });
});

describe("Admin API", () => {
  const session = useEmulator();

  it("seeds groups and policies over HTTP without a token", async () => {
    const { emu, token } = session;
    const group = await call(emu, "POST", "/_emulator/groups", { body: { displayName: "Ring 0" } });
    assert.equal(group.status, 201);
    const policy = await call(emu, "POST", "/_emulator/policies/groupPolicyConfigurations", { body: { displayName: "Seeded" } });
    assert.equal(policy.status, 201);
    const found = await call(emu, "GET", `/beta/groups?$filter=${encodeURIComponent("displayName eq 'Ring 0'")}`, { token });
    assert.equal(found.body.value[0].id, group.body.id);
    assert.equal((await call(emu, "GET", `${GPC}/${policy.body.id}`, { token })).body.displayName, "Seeded");
    assert.equal((await call(emu, "POST", "/_emulator/policies/unknownKind", { body: {} })).status, 400);
    assert.equal((await call(emu, "GET", "/_emulator/nothing")).status, 404);
  });

  it("changes an assignment out of band (drift) over HTTP and in process", async () => {
    const { emu, token } = session;
    const policy = emu.admin.seedPolicy("groupPolicyConfigurations", { displayName: "P" });
    const created = (await call(emu, "POST", `${GPC}/${policy.id}/assignments`, { token, body: { target: groupTarget(GROUP_A) } })).body;
    const drift = await call(emu, "PATCH", `/_emulator/policies/groupPolicyConfigurations/${policy.id}/assignments/${created.id}`, { body: { target: { groupId: GROUP_B } } });
    assert.equal(drift.status, 200);
    const read = (await call(emu, "GET", `${GPC}/${policy.id}/assignments/${created.id}`, { token })).body;
    assert.equal(read.target.groupId, GROUP_B);
    assert.ok(read.lastModifiedDateTime > created.lastModifiedDateTime);
    emu.admin.mutateAssignment("groupPolicyConfigurations", policy.id, created.id, { target: { deviceAndAppManagementAssignmentFilterType: "include" } });
    assert.equal(emu.admin.listAssignments("groupPolicyConfigurations", policy.id)[0].target.deviceAndAppManagementAssignmentFilterType, "include");
    assert.equal((await call(emu, "DELETE", `/_emulator/policies/groupPolicyConfigurations/${policy.id}/assignments/${created.id}`)).status, 204);
    assert.equal((await call(emu, "GET", `${GPC}/${policy.id}/assignments/${created.id}`, { token })).status, 404);
  });

  it("deletes an assignment out of band in process, and lists state and resets over HTTP", async () => {
    const { emu, token } = session;
    const policy = emu.admin.seedPolicy("provisioningPolicies", { displayName: "C" });
    await call(emu, "POST", `/beta/provisioningPolicies/${policy.id}/assignments`, { token, body: { groupId: GROUP_A } });
    emu.admin.deleteAssignment("provisioningPolicies", policy.id, `${policy.id}_${GROUP_A}`);
    assert.deepEqual(emu.admin.listAssignments("provisioningPolicies", policy.id), []);
    const state = await call(emu, "GET", "/_emulator/state");
    assert.equal(state.body.provisioningPolicies.length, 1);
    assert.ok("faults" in state.body);
    assert.equal((await call(emu, "POST", "/_emulator/reset")).status, 204);
    assert.equal(emu.admin.state().provisioningPolicies.length, 0);
  });

  it("never serves the admin API under Graph paths", async () => {
    const { emu, token } = session;
    assert.equal((await call(emu, "GET", "/beta/_emulator/state", { token })).status, 400);
  });
});

describe("Persistence with dataFile", () => {
  it("keeps policies, assignments and groups across a restart, and tokens stay valid", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "emu-data-"));
    const dataFile = path.join(dir, "state.json");
    try {
      let emu = await startEmulator({ port: 0, dataFile, seed: { groups: [{ displayName: "Persisted group" }] } });
      const token = await getToken(emu);
      const policy = (await call(emu, "POST", GPC, { token, body: { displayName: "Durable" } })).body;
      const assignment = (await call(emu, "POST", `${GPC}/${policy.id}/assignments`, { token, body: { target: groupTarget(GROUP_A) } })).body;
      await emu.stop();
      assert.ok(JSON.parse(fs.readFileSync(dataFile, "utf8")).groupPolicyConfigurations.length === 1);
      assert.deepEqual(fs.readdirSync(dir), ["state.json"], "no temp files left behind");

      emu = await startEmulator({ port: 0, dataFile, seed: { groups: [{ displayName: "Persisted group" }] } });
      try {
        const read = await call(emu, "GET", `${GPC}/${policy.id}/assignments/${assignment.id}`, { token });
        assert.equal(read.status, 200, "the old token is still accepted: the signing key is kept in certDir");
        assert.deepEqual(read.body.target, assignment.target);
        assert.equal(read.body.lastModifiedDateTime, assignment.lastModifiedDateTime);
        assert.equal(emu.admin.state().groups.length, 1, "seed is not applied twice");
      } finally {
        await emu.stop();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
