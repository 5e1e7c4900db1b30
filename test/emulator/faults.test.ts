import assert from "node:assert/strict";
import { startEmulator } from "../../emulator";
import { call, getToken, GPC, GROUP_A, groupTarget, useSeededEmulator } from "./helpers";

describe("Fault injection and throttling", () => {
  const seeded = useSeededEmulator("groupPolicyConfigurations", "P");

  const assignments = () => `${GPC}/${seeded.policyId}/assignments`;

  it("adds fixed latency to Graph requests", async () => {
    seeded.emu.admin.setFaults({ latency: 150 });
    const started = Date.now();
    assert.equal((await call(seeded.emu, "GET", assignments(), { token: seeded.token })).status, 200);
    assert.ok(Date.now() - started >= 140);
  });

  it("adds random latency within a range, taken from options at start", async () => {
    await seeded.emu.stop();
    seeded.emu = await startEmulator({ port: 0, latency: { minMs: 50, maxMs: 80 }, faults: { seed: 3 } });
    seeded.token = await getToken(seeded.emu);
    const started = Date.now();
    await call(seeded.emu, "GET", GPC, { token: seeded.token });
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 45 && elapsed < 1000, String(elapsed));
  });

  it("answers 429 TooManyRequests with a fractional Retry-After when the request bucket is empty", async () => {
    seeded.emu.admin.setFaults({ rateLimit: { requestsPerWindow: 2, windowSeconds: 3 } });
    assert.equal((await call(seeded.emu, "GET", assignments(), { token: seeded.token })).status, 200);
    assert.equal((await call(seeded.emu, "GET", assignments(), { token: seeded.token })).status, 200);
    const throttled = await call(seeded.emu, "GET", assignments(), { token: seeded.token });
    assert.equal(throttled.status, 429);
    assert.equal(throttled.body.error.code, "TooManyRequests");
    const retryAfter = String(throttled.headers["retry-after"]);
    assert.match(retryAfter, /^\d+(\.\d{1,3})?$/);
    assert.ok(Number(retryAfter) > 0 && Number(retryAfter) <= 1.5);
  });

  it("throttles writes separately from reads", async () => {
    seeded.emu.admin.setFaults({ rateLimit: { writesPerWindow: 1, requestsPerWindow: 100, windowSeconds: 20 } });
    assert.equal((await call(seeded.emu, "POST", assignments(), { token: seeded.token, body: { target: groupTarget(GROUP_A) } })).status, 201);
    assert.equal((await call(seeded.emu, "POST", assignments(), { token: seeded.token, body: { target: { "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget" } } })).status, 429);
    assert.equal((await call(seeded.emu, "GET", assignments(), { token: seeded.token })).status, 200);
  });

  it("answers 503 or 504 at the configured probability", async () => {
    seeded.emu.admin.setFaults({ serverErrorRate: 1, seed: 1 });
    const statuses = new Set<number>();
    for (let i = 0; i < 8; i++) {
      const reply = await call(seeded.emu, "GET", assignments(), { token: seeded.token });
      statuses.add(reply.status);
      assert.ok(["ServiceUnavailable", "GatewayTimeout"].includes(reply.body.error.code));
    }
    assert.deepEqual([...statuses].sort(), [503, 504]);
  });

  it("replays the same fault sequence for the same seed", async () => {
    const run = async () => {
      seeded.emu.admin.setFaults({ serverErrorRate: 0.5, seed: 42 });
      const out: number[] = [];
      for (let i = 0; i < 10; i++) out.push((await call(seeded.emu, "GET", assignments(), { token: seeded.token })).status);
      return out;
    };
    const first = await run();
    assert.deepEqual(await run(), first);
    assert.ok(first.includes(200) && first.some((s) => s >= 500));
  });

  it("resets the connection at the configured probability", async () => {
    seeded.emu.admin.setFaults({ resetRate: 1 });
    await assert.rejects(call(seeded.emu, "GET", assignments(), { token: seeded.token }), (err: NodeJS.ErrnoException) => err.code === "ECONNRESET" || /hang up/.test(err.message));
    assert.equal(seeded.emu.log().at(-1)?.fault, "reset");
  });

  it("commits a write and then drops the response; the write is visible afterwards", async () => {
    seeded.emu.admin.setFaults({ dropAfterCommitRate: 1 });
    await assert.rejects(call(seeded.emu, "POST", assignments(), { token: seeded.token, body: { target: groupTarget(GROUP_A) } }));
    const entry = seeded.emu.log().at(-1)!;
    assert.equal(entry.fault, "dropped");
    assert.equal(entry.status, 201);
    assert.equal((await call(seeded.emu, "GET", assignments(), { token: seeded.token })).body.value[0].target.groupId, GROUP_A, "reads are not dropped");
  });

  it("refuseItemRoutes makes item-level POST, PATCH and DELETE answer Intune's OData routing 400; assign still works", async () => {
    const existing = seeded.emu.admin.addAssignment("groupPolicyConfigurations", seeded.policyId, groupTarget(GROUP_A) as Record<string, unknown>);
    seeded.emu.admin.setFaults({ refuseItemRoutes: { groupPolicyConfigurations: true } });
    const post = await call(seeded.emu, "POST", assignments(), { token: seeded.token, body: { target: groupTarget(GROUP_A) } });
    assert.equal(post.status, 400);
    assert.equal(post.body.error.code, "BadRequest");
    assert.match(post.body.error.message, /^No OData route exists that match template ~\/singleton\/navigation\/key\/navigation with http verb POST for request \/DeviceConfiguration_\d+\/.*\/assignments\. No method match route template/);
    assert.equal((await call(seeded.emu, "PATCH", `${assignments()}/${existing.id}`, { token: seeded.token, body: {} })).status, 400);
    assert.equal((await call(seeded.emu, "DELETE", `${assignments()}/${existing.id}`, { token: seeded.token })).status, 400);
    assert.equal((await call(seeded.emu, "GET", `${assignments()}/${existing.id}`, { token: seeded.token })).status, 200);
    assert.equal((await call(seeded.emu, "POST", `${GPC}/${seeded.policyId}/assign`, { token: seeded.token, body: { assignments: [] } })).status, 200);
  });

  it("refuseItemRoutes is per policy kind", async () => {
    const cpc = seeded.emu.admin.seedPolicy("provisioningPolicies", { displayName: "C" }).id;
    seeded.emu.admin.setFaults({ refuseItemRoutes: { provisioningPolicies: true } });
    assert.equal((await call(seeded.emu, "POST", `/beta/provisioningPolicies/${cpc}/assignments`, { token: seeded.token, body: { groupId: GROUP_A } })).status, 400);
    assert.equal((await call(seeded.emu, "POST", assignments(), { token: seeded.token, body: { target: groupTarget(GROUP_A) } })).status, 201);
  });

  it("switches faults through the admin endpoint", async () => {
    const put = await call(seeded.emu, "PUT", "/_emulator/faults", { body: { serverErrorRate: 1, seed: 5 } });
    assert.equal(put.status, 200);
    assert.ok((await call(seeded.emu, "GET", assignments(), { token: seeded.token })).status >= 503);
    const patch = await call(seeded.emu, "PATCH", "/_emulator/faults", { body: { serverErrorRate: 0 } });
    assert.equal(patch.body.seed, 5, "PATCH merges");
    assert.equal((await call(seeded.emu, "GET", assignments(), { token: seeded.token })).status, 200);
  });

  it("acknowledges the next N assign actions without applying them (ignoreAssigns), then applies again", async () => {
    seeded.emu.admin.setFaults({ ignoreAssigns: 1 });
    const assign = (groupId: string) =>
      call(seeded.emu, "POST", `${GPC}/${seeded.policyId}/assign`, { token: seeded.token, body: { assignments: [{ target: groupTarget(groupId) }] } });
    const before = seeded.emu.admin.listAssignments("groupPolicyConfigurations", seeded.policyId);
    const ignored = await assign(GROUP_A);
    assert.equal(ignored.status, 200);
    assert.equal(ignored.body.value[0].target.groupId, GROUP_A, "answered as if applied");
    assert.deepEqual(seeded.emu.admin.listAssignments("groupPolicyConfigurations", seeded.policyId), before, "nothing changed");
    assert.equal(seeded.emu.admin.getFaults().ignoreAssigns, 0);
    assert.equal((await assign(GROUP_A)).status, 200);
    assert.deepEqual(seeded.emu.admin.listAssignments("groupPolicyConfigurations", seeded.policyId).map((a) => a.target.groupId), [GROUP_A]);
  });

  it("answers every Graph request 403 Forbidden while permissionsRevoked is on, and nothing is applied", async () => {
    seeded.emu.admin.setFaults({ permissionsRevoked: true });
    const read = await call(seeded.emu, "GET", assignments(), { token: seeded.token });
    assert.equal(read.status, 403);
    assert.equal(read.body.error.code, "Forbidden");
    assert.match(read.body.error.message, /Application is not authorized to perform this operation/);
    const write = await call(seeded.emu, "POST", assignments(), { token: seeded.token, body: { target: groupTarget(GROUP_A) } });
    assert.equal(write.status, 403);
    assert.deepEqual(seeded.emu.admin.listAssignments("groupPolicyConfigurations", seeded.policyId), []);
    seeded.emu.admin.setFaults({});
    assert.equal((await call(seeded.emu, "GET", assignments(), { token: seeded.token })).status, 200);
  });

  it("deletes a policy out of band with its assignments (admin deletePolicy)", async () => {
    seeded.emu.admin.addAssignment("groupPolicyConfigurations", seeded.policyId, groupTarget(GROUP_A));
    seeded.emu.admin.deletePolicy("groupPolicyConfigurations", seeded.policyId);
    assert.equal((await call(seeded.emu, "GET", assignments(), { token: seeded.token })).status, 404);
    assert.throws(() => seeded.emu.admin.deletePolicy("groupPolicyConfigurations", seeded.policyId));
  });
});
