import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import type { PolicyKind, RunningEmulator } from "../../emulator";
import { call, GPC, groupTarget, useEmulator, VE } from "./helpers";

const CPC_TARGET = "#microsoft.graph.cloudPcManagementGroupAssignmentTarget";

/** Adds `count` group assignments out of band and returns their ids in list order. */
function addAssignments(emu: RunningEmulator, kind: PolicyKind, policyId: string, count: number): string[] {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const groupId = randomUUID();
    const target = kind === "groupPolicyConfigurations" ? groupTarget(groupId) : { "@odata.type": CPC_TARGET, groupId };
    ids.push(emu.admin.addAssignment(kind, policyId, target).id);
  }
  return ids;
}

/** Path and query of an absolute nextLink, after checking it points back at this emulator. */
function relative(emu: RunningEmulator, nextLink: string): string {
  assert.ok(nextLink.startsWith(`${emu.graphBaseUrl}/`), nextLink);
  const url = new URL(nextLink);
  return `${url.pathname}${url.search}`;
}

/** Follows @odata.nextLink from `path` to the end; returns every page's ids. */
async function allPages(emu: RunningEmulator, token: string, path: string): Promise<string[][]> {
  const pages: string[][] = [];
  let next: string | undefined = path;
  while (next !== undefined) {
    const reply = await call(emu, "GET", next, { token });
    assert.equal(reply.status, 200, reply.text);
    pages.push(reply.body.value.map((e: { id: string }) => e.id));
    const link = reply.body["@odata.nextLink"] as string | undefined;
    next = link === undefined ? undefined : relative(emu, link);
    assert.ok(pages.length < 100, "nextLink must end");
  }
  return pages;
}

describe("Collection paging (listPageSize, @odata.nextLink, $top)", () => {
  const session = useEmulator();

  it("pages an Intune assignments list of 35 by 10 and ends without nextLink", async () => {
    const { emu, token } = session;
    emu.admin.setFaults({ listPageSize: 10 }, true);
    const policy = emu.admin.seedPolicy("groupPolicyConfigurations", { displayName: "P" }).id;
    const ids = addAssignments(emu, "groupPolicyConfigurations", policy, 35);
    const first = await call(emu, "GET", `${GPC}/${policy}/assignments`, { token });
    assert.equal(first.body.value.length, 10);
    assert.match(first.body["@odata.nextLink"], /^https:\/\/127\.0\.0\.1:\d+\/beta\/deviceManagement\/groupPolicyConfigurations\/[^?]+\/assignments\?\$skiptoken=[A-Za-z0-9_-]+$/);
    const pages = await allPages(emu, token, `${GPC}/${policy}/assignments`);
    assert.deepEqual(pages.map((p) => p.length), [10, 10, 10, 5]);
    assert.deepEqual(pages.flat(), ids);
  });

  it("pages the Windows 365 lists on both routes and returns the whole list under $expand=assignments", async () => {
    const { emu, token } = session;
    emu.admin.setFaults({ listPageSize: 10 }, true);
    const policy = emu.admin.seedPolicy("provisioningPolicies", { displayName: "C" }).id;
    const ids = addAssignments(emu, "provisioningPolicies", policy, 35);
    assert.deepEqual((await allPages(emu, token, `${VE}/${policy}/assignments`)).flat(), ids);
    assert.deepEqual((await allPages(emu, token, `/beta/provisioningPolicies/${policy}/assignments`)).map((p) => p.length), [10, 10, 10, 5]);
    const expanded = await call(emu, "GET", `${VE}/${policy}?$expand=assignments`, { token });
    assert.equal(expanded.body.assignments.length, 35);
    assert.equal(expanded.body["@odata.nextLink"], undefined);
    assert.equal(expanded.body["assignments@odata.nextLink"], undefined);
  });

  it("pages policy collections and keeps $expand in the nextLink", async () => {
    const { emu, token } = session;
    emu.admin.setFaults({ listPageSize: 2 }, true);
    const policies = [1, 2, 3, 4, 5].map((i) => emu.admin.seedPolicy("provisioningPolicies", { displayName: `C${i}` }).id);
    addAssignments(emu, "provisioningPolicies", policies[4], 3);
    const first = await call(emu, "GET", `${VE}?$expand=assignments`, { token });
    assert.match(first.body["@odata.nextLink"], /\?\$expand=assignments&\$skiptoken=/);
    const pages = await allPages(emu, token, `${VE}?$expand=assignments`);
    assert.deepEqual(pages, [policies.slice(0, 2), policies.slice(2, 4), policies.slice(4)]);
    const last = await call(emu, "GET", relative(emu, (await call(emu, "GET", relative(emu, first.body["@odata.nextLink"]), { token })).body["@odata.nextLink"]), { token });
    assert.equal(last.body.value[0].assignments.length, 3, "expanded lists are whole");
    const gpcs = [1, 2, 3].map((i) => emu.admin.seedPolicy("groupPolicyConfigurations", { displayName: `G${i}` }).id);
    assert.deepEqual(await allPages(emu, token, GPC), [gpcs.slice(0, 2), gpcs.slice(2)]);
  });

  it("uses 100 entries per page by default", async () => {
    const { emu, token } = session;
    const policy = emu.admin.seedPolicy("groupPolicyConfigurations", { displayName: "P" }).id;
    addAssignments(emu, "groupPolicyConfigurations", policy, 101);
    assert.deepEqual((await allPages(emu, token, `${GPC}/${policy}/assignments`)).map((p) => p.length), [100, 1]);
    assert.equal(emu.admin.getFaults().listPageSize, undefined);
  });

  it("honours $top as a smaller page size and keeps it in the nextLink", async () => {
    const { emu, token } = session;
    emu.admin.setFaults({ listPageSize: 10 }, true);
    const policy = emu.admin.seedPolicy("groupPolicyConfigurations", { displayName: "P" }).id;
    const ids = addAssignments(emu, "groupPolicyConfigurations", policy, 7);
    const pages = await allPages(emu, token, `${GPC}/${policy}/assignments?$top=3`);
    assert.deepEqual(pages.map((p) => p.length), [3, 3, 1]);
    assert.deepEqual(pages.flat(), ids);
    assert.deepEqual((await allPages(emu, token, `${GPC}/${policy}/assignments?$top=50`)).map((p) => p.length), [7], "$top above the page size is capped by it");
    const bad = await call(emu, "GET", `${GPC}/${policy}/assignments?$top=-1`, { token });
    assert.equal(bad.status, 400);
    assert.match(bad.body.error.message, /\$top/);
  });

  it("refuses a made-up $skiptoken and one from another collection", async () => {
    const { emu, token } = session;
    emu.admin.setFaults({ listPageSize: 1 }, true);
    const a = emu.admin.seedPolicy("groupPolicyConfigurations", { displayName: "A" }).id;
    const b = emu.admin.seedPolicy("groupPolicyConfigurations", { displayName: "B" }).id;
    addAssignments(emu, "groupPolicyConfigurations", a, 2);
    addAssignments(emu, "groupPolicyConfigurations", b, 2);
    const made = await call(emu, "GET", `${GPC}/${a}/assignments?$skiptoken=abc`, { token });
    assert.equal(made.status, 400);
    assert.match(made.body.error.message, /\$skiptoken/);
    const link = (await call(emu, "GET", `${GPC}/${a}/assignments`, { token })).body["@odata.nextLink"] as string;
    const token2 = new URL(link).searchParams.get("$skiptoken")!;
    assert.equal((await call(emu, "GET", `${GPC}/${b}/assignments?$skiptoken=${token2}`, { token })).status, 400);
  });

  it("rejects a listPageSize that is not a positive integer, through the admin API too", async () => {
    const { emu } = session;
    assert.throws(() => emu.admin.setFaults({ listPageSize: 0 }), /listPageSize must be a positive integer/);
    const reply = await call(emu, "PATCH", "/_emulator/faults", { body: { listPageSize: 2.5 } });
    assert.equal(reply.status, 400);
    assert.match(reply.body.error.message, /listPageSize/);
    const ok = await call(emu, "PATCH", "/_emulator/faults", { body: { listPageSize: 5 } });
    assert.equal(ok.body.listPageSize, 5);
  });
});
