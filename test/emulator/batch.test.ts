import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { countGraphRequests, countGraphRoundTrips, isBatchEnvelope, Roles, startEmulator, type RunningEmulator } from "../../emulator";
import { call, getToken, GROUP_A, GROUP_B, groupTarget, useSeededEmulator, VE } from "./helpers";

const JSON_HEADERS = { "Content-Type": "application/json" };
const MISSING = "99999999-9999-4999-8999-999999999999";

/** Posts a batch body to /{version}/$batch. */
function batch(emu: RunningEmulator, token: string | undefined, requests: unknown, version = "beta") {
  return call(emu, "POST", `/${version}/$batch`, { token, body: { requests } });
}

/** `count` GETs of `url`, ids "1".."count". */
function gets(url: string, count: number): { id: string; method: string; url: string }[] {
  return Array.from({ length: count }, (_, i) => ({ id: String(i + 1), method: "GET", url }));
}

describe("JSON batching ($batch)", () => {
  const seeded = useSeededEmulator("groupPolicyConfigurations", "P");
  const list = () => `/deviceManagement/groupPolicyConfigurations/${seeded.policyId}/assignments`;

  it("runs each request and answers 200 with per-request status, headers and body, in request order", async () => {
    const { emu, token } = seeded;
    const existing = emu.admin.addAssignment("groupPolicyConfigurations", seeded.policyId, groupTarget(GROUP_A));
    const reply = await batch(emu, token, [
      { id: "create", method: "POST", url: list(), headers: JSON_HEADERS, body: { target: groupTarget(GROUP_B) } },
      { id: "list", method: "GET", url: list().slice(1) /* without the leading slash */ },
      { id: "patch", method: "PATCH", url: `${list()}/${existing.id}`, headers: { "content-type": "application/json" }, body: { target: groupTarget(GROUP_A, { deviceAndAppManagementAssignmentFilterType: "none" }) } },
      { id: "missing", method: "GET", url: `/deviceManagement/groupPolicyConfigurations/${MISSING}/assignments` },
      { id: "delete", method: "DELETE", url: `${list()}/${existing.id}` },
    ]);
    assert.equal(reply.status, 200);
    const responses = reply.body.responses as { id: string; status: number; headers: Record<string, string>; body?: any }[];
    assert.deepEqual(responses.map((r) => [r.id, r.status]), [["create", 201], ["list", 200], ["patch", 200], ["missing", 404], ["delete", 204]]);
    const [create, listed, , missing, deleted] = responses;
    assert.equal(create.body.target.groupId, GROUP_B);
    assert.match(create.headers.Location, /assignments\('/);
    assert.match(create.headers["Content-Type"], /^application\/json/);
    assert.equal(listed.body.value.length, 2, "requests without dependsOn may run in any order; this one ran after the create");
    assert.equal(missing.body.error.code, "ResourceNotFound");
    assert.match(missing.body.error.message, /groupPolicyConfiguration/);
    assert.ok(missing.body.error.innerError["request-id"]);
    assert.equal(deleted.body, undefined);
    assert.deepEqual(emu.admin.listAssignments("groupPolicyConfigurations", seeded.policyId).map((a) => a.target.groupId), [GROUP_B]);
  });

  it("serves v1.0 batches with v1.0 routes", async () => {
    const { emu, token } = seeded;
    const cpc = emu.admin.seedPolicy("provisioningPolicies", { displayName: "C" }).id;
    const reply = await batch(emu, token, [
      { id: "1", method: "GET", url: `/deviceManagement/virtualEndpoint/provisioningPolicies/${cpc}?$expand=assignments` },
      { id: "2", method: "GET", url: list() },
    ], "v1.0");
    assert.equal(reply.status, 200);
    assert.equal(reply.body.responses[0].status, 200);
    assert.deepEqual(reply.body.responses[0].body.assignments, []);
    assert.equal(reply.body.responses[1].status, 400, "groupPolicyConfigurations is beta only");
    assert.match(reply.body.responses[1].body.error.message, /segment 'groupPolicyConfigurations'/);
  });

  it("refuses a batch of 21 requests as a whole with 400 and runs none of them", async () => {
    const { emu, token } = seeded;
    emu.admin.clearLog();
    const reply = await batch(emu, token, gets(list(), 21));
    assert.equal(reply.status, 400);
    assert.equal(reply.body.error.code, "BadRequest");
    assert.match(reply.body.error.message, /21 requests; a batch may contain at most 20/);
    assert.equal(emu.log().length, 1, "only the envelope is logged");
    assert.equal((await batch(emu, token, gets(list(), 20))).status, 200, "20 is allowed");
  });

  it("refuses duplicate ids (ignoring case) as a whole with 400", async () => {
    const { emu, token } = seeded;
    const reply = await batch(emu, token, [{ id: "a", method: "GET", url: list() }, { id: "A", method: "GET", url: list() }]);
    assert.equal(reply.status, 400);
    assert.match(reply.body.error.message, /request id 'A' is used more than once/);
  });

  it("refuses malformed batches with 400 naming the problem", async () => {
    const { emu, token } = seeded;
    const cases: [unknown, RegExp][] = [
      [undefined, /'requests' must be an array/],
      [[], /at least one request/],
      [["x"], /requests\[0\] must be an object/],
      [[{ method: "GET", url: list() }], /requests\[0\] needs an 'id'/],
      [[{ id: "1", url: list() }], /request '1' needs a 'method'/],
      [[{ id: "1", method: "FETCH", url: list() }], /request '1' needs a 'method' \(one of GET/],
      [[{ id: "1", method: "GET" }], /request '1' needs a 'url'/],
      [[{ id: "1", method: "GET", url: `https://graph.microsoft.com/beta${list()}` }], /request '1' has an absolute 'url'/],
      [[{ id: "1", method: "POST", url: list(), body: {} }], /request '1' has a 'body' but no Content-Type header/],
      [[{ id: "1", method: "GET", url: list(), headers: { "x-a": 1 } }], /header 'x-a' whose value is not a string/],
      [[{ id: "1", method: "GET", url: list(), dependsOn: "2" }], /'dependsOn' that is not an array/],
      [[{ id: "1", method: "GET", url: list(), dependsOn: ["9"] }], /dependsOn '9', which is not a request of this batch/],
      [[{ id: "1", method: "GET", url: list(), dependsOn: ["2"] }, { id: "2", method: "GET", url: list(), dependsOn: ["1"] }], /form a cycle/],
    ];
    for (const [requests, message] of cases) {
      const reply = await call(emu, "POST", "/beta/$batch", { token, body: requests === undefined ? {} : { requests } });
      assert.equal(reply.status, 400, JSON.stringify(requests));
      assert.match(reply.body.error.message, message);
      assert.ok(reply.body.error.innerError["request-id"]);
    }
    const notJson = await call(emu, "POST", "/beta/$batch", { token, raw: "{" });
    assert.equal(notJson.status, 400);
    assert.equal((await call(emu, "GET", "/beta/$batch", { token })).status, 405);
  });

  it("answers 424 for requests whose dependency failed and runs the others after their dependencies", async () => {
    const { emu, token } = seeded;
    const reply = await batch(emu, token, [
      { id: "missing", method: "GET", url: `/deviceManagement/groupPolicyConfigurations/${MISSING}/assignments` },
      { id: "afterMissing", method: "POST", url: list(), headers: JSON_HEADERS, body: { target: groupTarget(GROUP_A) }, dependsOn: ["missing"] },
      { id: "afterSkipped", method: "GET", url: list(), dependsOn: ["afterMissing"] },
      { id: "create", method: "POST", url: list(), headers: JSON_HEADERS, body: { target: groupTarget(GROUP_B) } },
      { id: "afterCreate", method: "GET", url: list(), dependsOn: ["CREATE"] },
    ]);
    assert.equal(reply.status, 200);
    const byId = Object.fromEntries(reply.body.responses.map((r: { id: string }) => [r.id, r]));
    assert.equal(byId.missing.status, 404);
    assert.equal(byId.afterMissing.status, 424);
    assert.equal(byId.afterMissing.body.error.code, "FailedDependency");
    assert.match(byId.afterMissing.body.error.message, /'missing'/);
    assert.equal(byId.afterSkipped.status, 424);
    assert.equal(byId.create.status, 201);
    assert.deepEqual(byId.afterCreate.body.value.map((a: any) => a.target.groupId), [GROUP_B], "ran after its dependency");
    assert.deepEqual(emu.admin.listAssignments("groupPolicyConfigurations", seeded.policyId).map((a) => a.target.groupId), [GROUP_B], "a skipped write is not applied");
  });

  it("counts every request in a batch against the read budget and answers 429 with Retry-After per request", async () => {
    const { emu, token } = seeded;
    emu.admin.setFaults({ rateLimit: { requestsPerWindow: 3, windowSeconds: 20 } });
    const reply = await batch(emu, token, gets(list(), 5));
    assert.equal(reply.status, 200, "the batch itself is not throttled");
    const responses = reply.body.responses as { status: number; headers: Record<string, string>; body: any }[];
    assert.deepEqual(responses.map((r) => r.status), [200, 200, 200, 429, 429]);
    for (const throttled of responses.slice(3)) {
      assert.match(throttled.headers["Retry-After"], /^\d+(\.\d{1,3})?$/);
      assert.ok(Number(throttled.headers["Retry-After"]) > 0);
      assert.equal(throttled.body.error.code, "TooManyRequests");
    }
    assert.equal((await call(emu, "GET", `/beta${list()}`, { token })).status, 429, "standalone requests share the budget");
  });

  it("counts writes in a batch against the write budget", async () => {
    const { emu, token } = seeded;
    emu.admin.setFaults({ rateLimit: { writesPerWindow: 1, requestsPerWindow: 100, windowSeconds: 20 } });
    const reply = await batch(emu, token, [
      { id: "1", method: "POST", url: list(), headers: JSON_HEADERS, body: { target: groupTarget(GROUP_A) } },
      { id: "2", method: "POST", url: list(), headers: JSON_HEADERS, body: { target: groupTarget(GROUP_B) } },
      { id: "3", method: "GET", url: list() },
    ]);
    assert.deepEqual(reply.body.responses.map((r: { status: number }) => r.status), [201, 429, 200]);
  });

  it("logs each batched request as its own entry with the batch it came in; requests and round trips can be counted", async () => {
    const { emu, token } = seeded;
    emu.admin.clearLog();
    await call(emu, "GET", `/beta${list()}`, { token });
    const reply = await batch(emu, token, [
      { id: "1", method: "GET", url: `${list()}?$top=5`, headers: { "client-request-id": "item-1" } },
      { id: "2", method: "POST", url: list(), headers: JSON_HEADERS, body: { target: groupTarget(GROUP_A) } },
    ]);
    const log = emu.log();
    assert.equal(log.length, 4);
    const [standalone, envelope, first, second] = log;
    assert.equal(standalone.batchId, undefined);
    assert.ok(isBatchEnvelope(envelope));
    assert.equal(envelope.path, "/beta/$batch");
    assert.equal(envelope.batchSize, 2);
    assert.equal(envelope.status, 200);
    assert.equal(envelope.requestId, reply.headers["request-id"]);
    assert.deepEqual([first.batchId, second.batchId], [envelope.requestId, envelope.requestId]);
    assert.deepEqual([first.batchRequestId, second.batchRequestId], ["1", "2"]);
    assert.equal(first.path, `/beta${list()}`);
    assert.deepEqual(first.query, { $top: "5" });
    assert.equal(first.clientRequestId, "item-1");
    assert.notEqual(first.requestId, envelope.requestId);
    assert.equal(second.method, "POST");
    assert.deepEqual(second.body, { target: groupTarget(GROUP_A) });
    assert.equal(second.status, 201);
    assert.equal(countGraphRequests(log), 3, "standalone + 2 batched");
    assert.equal(countGraphRoundTrips(log), 2, "standalone + envelope");
    await getToken(emu);
    assert.equal(countGraphRequests(emu.log()), 3, "token requests are not Graph requests");
    assert.equal(countGraphRoundTrips(emu.log()), 2);
  });

  it("needs the envelope's token (401 as a whole) and checks permissions per request", async () => {
    const { emu } = seeded;
    emu.admin.clearLog();
    const unauthenticated = await batch(emu, undefined, gets(list(), 2));
    assert.equal(unauthenticated.status, 401);
    assert.equal(unauthenticated.body.error.code, "InvalidAuthenticationToken");
    assert.equal(emu.log().length, 1, "no request of the batch ran");
    await emu.stop();
    const reader = { tenantId: emu.tenantId, clientId: randomUUID(), clientSecret: "reader~secret", roles: [Roles.CloudPcRead] };
    seeded.emu = await startEmulator({ port: 0, apps: [reader] });
    const token = await getToken(seeded.emu, reader.clientId, reader.clientSecret);
    const cpc = seeded.emu.admin.seedPolicy("provisioningPolicies", { displayName: "C" }).id;
    const policy = seeded.emu.admin.seedPolicy("groupPolicyConfigurations", { displayName: "P" }).id;
    const reply = await batch(seeded.emu, token, [
      { id: "cloudPc", method: "GET", url: `/deviceManagement/virtualEndpoint/provisioningPolicies/${cpc}/assignments` },
      { id: "intune", method: "GET", url: `/deviceManagement/groupPolicyConfigurations/${policy}/assignments` },
      { id: "write", method: "POST", url: `/deviceManagement/virtualEndpoint/provisioningPolicies/${cpc}/assign`, headers: JSON_HEADERS, body: { assignments: [] } },
    ]);
    assert.equal(reply.status, 200);
    assert.deepEqual(reply.body.responses.map((r: { status: number }) => r.status), [200, 403, 403]);
  });

  it("answers 503/504 per request at serverErrorRate, inside a 200 batch", async () => {
    const { emu, token } = seeded;
    emu.admin.setFaults({ serverErrorRate: 1, seed: 1 });
    const reply = await batch(emu, token, gets(list(), 8));
    assert.equal(reply.status, 200);
    const statuses = new Set<number>(reply.body.responses.map((r: { status: number }) => r.status));
    assert.deepEqual([...statuses].sort(), [503, 504]);
  });

  it("resets the envelope's connection, or answers a batched request 503 (not applied), at resetRate", async () => {
    const { emu, token } = seeded;
    emu.admin.setFaults({ resetRate: 0.3, rateLimit: false, seed: 11 });
    let envelopeResets = 0;
    for (let i = 0; i < 12; i++) {
      const requests = [1, 2, 3].map((n) => ({ id: String(n), method: "POST", url: list(), headers: JSON_HEADERS, body: { target: groupTarget(randomUUID()) } }));
      try {
        const reply = await batch(emu, token, requests);
        assert.equal(reply.status, 200);
        for (const r of reply.body.responses as { status: number }[]) assert.ok(r.status === 201 || r.status === 503, String(r.status));
      } catch {
        envelopeResets++;
      }
    }
    const log = emu.log();
    const itemResets = log.filter((e) => e.batchId !== undefined && e.fault === "reset");
    assert.ok(envelopeResets > 0 && itemResets.length > 0, `seed 11 gives both kinds (${envelopeResets} envelopes, ${itemResets.length} items)`);
    assert.equal(log.filter((e) => isBatchEnvelope(e) && e.fault === "reset").length, envelopeResets);
    for (const e of itemResets) assert.equal(e.status, 503);
    const applied = emu.admin.listAssignments("groupPolicyConfigurations", seeded.policyId).map((a) => a.target.groupId);
    const answered201 = log.filter((e) => e.batchId !== undefined && e.status === 201).map((e) => (e.body as any).target.groupId);
    assert.deepEqual(applied.sort(), answered201.sort(), "only the requests answered 201 were applied");
  });

  it("applies a batched write whose answer is lost and answers it 504; a lost batch answer after applied writes drops the connection", async () => {
    const { emu, token } = seeded;
    emu.admin.setFaults({ dropAfterCommitRate: 0.4, rateLimit: false, seed: 5 });
    let envelopeDrops = 0;
    for (let i = 0; i < 12; i++) {
      const requests = [1, 2].map((n) => ({ id: String(n), method: "POST", url: list(), headers: JSON_HEADERS, body: { target: groupTarget(randomUUID()) } }));
      try {
        const reply = await batch(emu, token, requests);
        for (const r of reply.body.responses as { status: number }[]) assert.ok(r.status === 201 || r.status === 504, String(r.status));
      } catch {
        envelopeDrops++;
      }
    }
    const log = emu.log();
    const itemDrops = log.filter((e) => e.batchId !== undefined && e.fault === "dropped");
    assert.ok(envelopeDrops > 0 && itemDrops.length > 0, `seed 5 gives both kinds (${envelopeDrops} envelopes, ${itemDrops.length} items)`);
    for (const e of itemDrops) assert.equal(e.status, 504);
    assert.equal(log.filter((e) => isBatchEnvelope(e) && e.fault === "dropped").length, envelopeDrops);
    const applied = emu.admin.listAssignments("groupPolicyConfigurations", seeded.policyId).length;
    assert.equal(applied, 24, "every write was applied, whatever its answer");
  });

  it("adds latency per batched request", async () => {
    const { emu, token } = seeded;
    emu.admin.setFaults({ latency: 60 });
    emu.admin.clearLog();
    await batch(emu, token, gets(list(), 2));
    const items = emu.log().filter((e) => e.batchId !== undefined);
    assert.equal(items.length, 2);
    for (const e of items) assert.ok(e.durationMs >= 55, String(e.durationMs));
  });

  it("refuses item reads and reaches paged lists inside a batch as standalone", async () => {
    const { emu, token } = seeded;
    const a = emu.admin.addAssignment("groupPolicyConfigurations", seeded.policyId, groupTarget(GROUP_A));
    emu.admin.addAssignment("groupPolicyConfigurations", seeded.policyId, groupTarget(GROUP_B));
    emu.admin.setFaults({ refuseItemReads: { groupPolicyConfigurations: true }, listPageSize: 1 });
    const groupC = randomUUID();
    const reply = await batch(emu, token, [
      { id: "item", method: "GET", url: `${list()}/${a.id}` },
      { id: "list", method: "GET", url: list() },
      { id: "base64", method: "POST", url: list(), headers: { "Content-Type": "application/octet-stream" }, body: Buffer.from(JSON.stringify({ target: groupTarget(groupC) })).toString("base64") },
    ]);
    const [item, page, base64] = reply.body.responses;
    assert.equal(item.status, 400);
    assert.match(item.body.error.message, /^No OData route exists .* with http verb GET /);
    assert.equal(page.body.value.length, 1);
    assert.match(page.body["@odata.nextLink"], new RegExp(`^${emu.graphBaseUrl}/beta/deviceManagement/groupPolicyConfigurations/`));
    assert.equal(base64.status, 201, "a base64 body is decoded as JSON");
    assert.equal(base64.body.target.groupId, groupC);
  });
});

describe("JSON batching with the Windows 365 routes", () => {
  const seeded = useSeededEmulator("provisioningPolicies", "C");

  it("reads several policies' lists with $expand in one round trip", async () => {
    const { emu, token } = seeded;
    const other = emu.admin.seedPolicy("provisioningPolicies", { displayName: "D" }).id;
    emu.admin.addAssignment("provisioningPolicies", other, { "@odata.type": "#microsoft.graph.cloudPcManagementGroupAssignmentTarget", groupId: GROUP_A }, `${other}_${GROUP_A}`);
    emu.admin.clearLog();
    const reply = await batch(emu, token, [seeded.policyId, other, MISSING].map((id, i) => ({ id: String(i), method: "GET", url: `${VE.slice("/beta".length)}/${id}?$expand=assignments` })));
    assert.deepEqual(reply.body.responses.map((r: { status: number }) => r.status), [200, 200, 404]);
    assert.deepEqual(reply.body.responses[1].body.assignments.map((a: { id: string }) => a.id), [`${other}_${GROUP_A}`]);
    assert.equal(countGraphRequests(emu.log()), 3);
    assert.equal(countGraphRoundTrips(emu.log()), 1);
  });
});

