import assert from "node:assert/strict";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { call, getToken, GPC, GROUP_A, groupTarget } from "./helpers";

describe("Fault injection and throttling", () => {
  let emu: RunningEmulator;
  let token: string;
  let policyId: string;
  beforeEach(async () => {
    emu = await startEmulator({ port: 0 });
    token = await getToken(emu);
    policyId = emu.admin.seedPolicy("groupPolicyConfigurations", { displayName: "P" }).id;
  });
  afterEach(() => emu.stop());

  const assignments = () => `${GPC}/${policyId}/assignments`;

  it("adds fixed latency to Graph requests", async () => {
    emu.admin.setFaults({ latency: 150 });
    const started = Date.now();
    assert.equal((await call(emu, "GET", assignments(), { token })).status, 200);
    assert.ok(Date.now() - started >= 140);
  });

  it("adds random latency within a range, taken from options at start", async () => {
    await emu.stop();
    emu = await startEmulator({ port: 0, latency: { minMs: 50, maxMs: 80 }, faults: { seed: 3 } });
    token = await getToken(emu);
    const started = Date.now();
    await call(emu, "GET", GPC, { token });
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 45 && elapsed < 1000, String(elapsed));
  });

  it("answers 429 TooManyRequests with a fractional Retry-After when the request bucket is empty", async () => {
    emu.admin.setFaults({ rateLimit: { requestsPerWindow: 2, windowSeconds: 3 } });
    assert.equal((await call(emu, "GET", assignments(), { token })).status, 200);
    assert.equal((await call(emu, "GET", assignments(), { token })).status, 200);
    const throttled = await call(emu, "GET", assignments(), { token });
    assert.equal(throttled.status, 429);
    assert.equal(throttled.body.error.code, "TooManyRequests");
    const retryAfter = String(throttled.headers["retry-after"]);
    assert.match(retryAfter, /^\d+(\.\d{1,3})?$/);
    assert.ok(Number(retryAfter) > 0 && Number(retryAfter) <= 1.5);
  });

  it("throttles writes separately from reads", async () => {
    emu.admin.setFaults({ rateLimit: { writesPerWindow: 1, requestsPerWindow: 100, windowSeconds: 20 } });
    assert.equal((await call(emu, "POST", assignments(), { token, body: { target: groupTarget(GROUP_A) } })).status, 201);
    assert.equal((await call(emu, "POST", assignments(), { token, body: { target: { "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget" } } })).status, 429);
    assert.equal((await call(emu, "GET", assignments(), { token })).status, 200);
  });

  it("answers 503 or 504 at the configured probability", async () => {
    emu.admin.setFaults({ serverErrorRate: 1, seed: 1 });
    const statuses = new Set<number>();
    for (let i = 0; i < 8; i++) {
      const reply = await call(emu, "GET", assignments(), { token });
      statuses.add(reply.status);
      assert.ok(["ServiceUnavailable", "GatewayTimeout"].includes(reply.body.error.code));
    }
    assert.deepEqual([...statuses].sort(), [503, 504]);
  });

  it("replays the same fault sequence for the same seed", async () => {
    const run = async () => {
      emu.admin.setFaults({ serverErrorRate: 0.5, seed: 42 });
      const out: number[] = [];
      for (let i = 0; i < 10; i++) out.push((await call(emu, "GET", assignments(), { token })).status);
      return out;
    };
    const first = await run();
    assert.deepEqual(await run(), first);
    assert.ok(first.includes(200) && first.some((s) => s >= 500));
  });

  it("resets the connection at the configured probability", async () => {
    emu.admin.setFaults({ resetRate: 1 });
    await assert.rejects(call(emu, "GET", assignments(), { token }), (err: NodeJS.ErrnoException) => err.code === "ECONNRESET" || /hang up/.test(err.message));
    assert.equal(emu.log().at(-1)?.fault, "reset");
  });

  it("commits a write and then drops the response; the write is visible afterwards", async () => {
    emu.admin.setFaults({ dropAfterCommitRate: 1 });
    await assert.rejects(call(emu, "POST", assignments(), { token, body: { target: groupTarget(GROUP_A) } }));
    const entry = emu.log().at(-1)!;
    assert.equal(entry.fault, "dropped");
    assert.equal(entry.status, 201);
    assert.equal((await call(emu, "GET", assignments(), { token })).body.value[0].target.groupId, GROUP_A, "reads are not dropped");
  });

  it("refuseItemRoutes makes item-level POST, PATCH and DELETE answer Intune's OData routing 400; assign still works", async () => {
    const existing = emu.admin.addAssignment("groupPolicyConfigurations", policyId, groupTarget(GROUP_A) as Record<string, unknown>);
    emu.admin.setFaults({ refuseItemRoutes: { groupPolicyConfigurations: true } });
    const post = await call(emu, "POST", assignments(), { token, body: { target: groupTarget(GROUP_A) } });
    assert.equal(post.status, 400);
    assert.equal(post.body.error.code, "BadRequest");
    assert.match(post.body.error.message, /^No OData route exists that match template ~\/singleton\/navigation\/key\/navigation with http verb POST for request \/DeviceConfiguration_\d+\/.*\/assignments\. No method match route template/);
    assert.equal((await call(emu, "PATCH", `${assignments()}/${existing.id}`, { token, body: {} })).status, 400);
    assert.equal((await call(emu, "DELETE", `${assignments()}/${existing.id}`, { token })).status, 400);
    assert.equal((await call(emu, "GET", `${assignments()}/${existing.id}`, { token })).status, 200);
    assert.equal((await call(emu, "POST", `${GPC}/${policyId}/assign`, { token, body: { assignments: [] } })).status, 200);
  });

  it("refuseItemRoutes is per policy kind", async () => {
    const cpc = emu.admin.seedPolicy("provisioningPolicies", { displayName: "C" }).id;
    emu.admin.setFaults({ refuseItemRoutes: { provisioningPolicies: true } });
    assert.equal((await call(emu, "POST", `/beta/provisioningPolicies/${cpc}/assignments`, { token, body: { groupId: GROUP_A } })).status, 400);
    assert.equal((await call(emu, "POST", assignments(), { token, body: { target: groupTarget(GROUP_A) } })).status, 201);
  });

  it("switches faults through the admin endpoint", async () => {
    const put = await call(emu, "PUT", "/_emulator/faults", { body: { serverErrorRate: 1, seed: 5 } });
    assert.equal(put.status, 200);
    assert.ok((await call(emu, "GET", assignments(), { token })).status >= 503);
    const patch = await call(emu, "PATCH", "/_emulator/faults", { body: { serverErrorRate: 0 } });
    assert.equal(patch.body.seed, 5, "PATCH merges");
    assert.equal((await call(emu, "GET", assignments(), { token })).status, 200);
  });
});
