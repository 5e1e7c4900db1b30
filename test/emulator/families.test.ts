import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { DEFAULT_TENANT_ID, FAMILIES, Roles, startEmulator, type EmulatorApp, type Family, type RunningEmulator } from "../../emulator";
import { call, FILTER_ID, getToken, GROUP_A, GROUP_B, groupTarget, useEmulator, type Reply } from "./helpers";

const CPC_TARGET = "#microsoft.graph.cloudPcManagementGroupAssignmentTarget";
const NO_ROUTE = /^No OData route exists that match template ~\/singleton\/navigation\/key\/navigation(\/key)? with http verb (POST|PATCH|DELETE|GET) /;

/** A minimal valid assignment body of a family for `groupId`. */
function entry(family: Family, groupId: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const target = family.target === "cloudPc" ? { "@odata.type": CPC_TARGET, groupId } : groupTarget(groupId);
  return { target, ...(family.kind === "mobileApps" ? { intent: "required" } : {}), ...extra };
}

/** Path of the `assign` action the family serves (iOS/Android protections: only under managedAppPolicies). */
function assignPath(family: Family, policyId: string): string {
  const suffix = family.assign?.paths[0];
  return suffix === undefined ? `/beta/deviceAppManagement/managedAppPolicies/${policyId}/assign` : `/beta${family.collection}/${policyId}/${suffix}`;
}

function family(kind: string): Family {
  const f = FAMILIES.find((x) => x.kind === kind);
  assert.ok(f, kind);
  return f;
}

/** The inner Intune message when wrapped, else the message. */
function messageOf(reply: Reply): string {
  const message = String(reply.body?.error?.message);
  try {
    return String(JSON.parse(message).Message);
  } catch {
    return message;
  }
}

describe("Assignment families (emulator/families.ts)", () => {
  const session = useEmulator();
  const get = (p: string) => call(session.emu, "GET", p, { token: session.token });
  const post = (p: string, body: unknown) => call(session.emu, "POST", p, { token: session.token, body });
  const patch = (p: string, body: unknown) => call(session.emu, "PATCH", p, { token: session.token, body });
  const seed = (kind: Family["kind"], extra: Record<string, unknown> = {}) => session.emu.admin.seedPolicy(kind, { displayName: `${kind} policy`, ...extra }).id;

  describe("every family of the table", () => {
    for (const f of FAMILIES) {
      it(`${f.kind}: collection, assign with its body key, another key refused, read back, one assignment per target, refused routes`, async () => {
        const id = seed(f.kind);
        const list = await get(`/beta${f.collection}`);
        assert.equal(list.status, 200, list.text);
        assert.deepEqual(list.body.value.map((p: { id: string }) => p.id), [id]);
        assert.equal((await get(`/beta${f.collection}/${id}`)).body.id, id);

        const action = f.assign;
        if (action === undefined) {
          // No assign documented: the action answers the routing 400; the item routes carry the writes.
          const refused = await post(`/beta${f.collection}/${id}/assign`, { assignments: [] });
          assert.equal(refused.status, 400);
          assert.match(messageOf(refused), /template ~\/singleton\/navigation\/key\/action/);
          assert.equal((await post(`/beta${f.collection}/${id}/assignments`, entry(f, GROUP_A))).status, 201);
        }
        if (action !== undefined) {
        const wrongKey = action.key === "assignments" ? "mobileAppAssignments" : "assignments";
        const refusedKey = await post(assignPath(f, id), { [wrongKey]: [] });
        assert.equal(refusedKey.status, 400);
        assert.match(messageOf(refusedKey), new RegExp(`'${wrongKey}'.*not a valid parameter.*'${action.key}'`));

        if (action.deviceIds) {
          const devices = await post(assignPath(f, id), { deviceIds: ["device-1", "device-2"] });
          assert.equal(devices.status, 204);
          assert.deepEqual(session.emu.admin.listAssignments(f.kind, id), [], "assign with device ids leaves the assignments alone");
          const created = await post(`/beta${f.collection}/${id}/assignments`, entry(f, GROUP_A));
          assert.equal(created.status, 201, created.text);
        } else {
          const assigned = await post(assignPath(f, id), { [action.key]: [entry(f, GROUP_A)] });
          assert.equal(assigned.status, action.answer, assigned.text);
          if (action.answer === 200) assert.equal(assigned.body.value[0].target.groupId, GROUP_A);
          else assert.equal(assigned.text, "");
          const twice = await post(assignPath(f, id), { [action.key]: [entry(f, GROUP_B), entry(f, GROUP_B)] });
          assert.equal(twice.status, 400, "the same target twice in one assign");
          const unknown = await post(assignPath(f, id), { [action.key]: [entry(f, GROUP_B, { priority: 1 })] });
          assert.equal(unknown.status, 400);
          assert.match(messageOf(unknown), new RegExp(`'priority' does not exist on type 'microsoft\\.graph\\.${f.assignmentType}'`));
        }
        }

        const expectedId = f.assignmentId === "policyGroup" ? `${id}_${GROUP_A}` : undefined;
        if (f.refusedByDefault.includes("list")) {
          const refused = await get(`/beta${f.collection}/${id}/assignments`);
          assert.equal(refused.status, 400);
          assert.match(messageOf(refused), NO_ROUTE);
          const expanded = await get(`/beta${f.collection}/${id}?$expand=assignments`);
          assert.equal(expanded.body.assignments[0].target.groupId, GROUP_A);
          if (expectedId) assert.equal(expanded.body.assignments[0].id, expectedId);
        } else {
          const read = await get(`/beta${f.collection}/${id}/assignments`);
          assert.equal(read.status, 200, read.text);
          assert.deepEqual(read.body.value.map((a: { target: { groupId: string } }) => a.target.groupId), [GROUP_A]);
          if (expectedId) assert.equal(read.body.value[0].id, expectedId);
          if (f.entityODataType) assert.equal(read.body.value[0]["@odata.type"], `#microsoft.graph.${f.assignmentType}`);
        }

        // Item POST: refused where the fact sheet reports it refused (or does not document it), until switched on.
        if (f.refusedByDefault.includes("create")) {
          const refused = await post(`/beta${f.collection}/${id}/assignments`, entry(f, GROUP_B));
          assert.equal(refused.status, 400);
          assert.match(messageOf(refused), NO_ROUTE);
          session.emu.admin.setFaults({ refuseItemRoutes: { [f.kind]: false } }, true);
        }
        const second = await post(`/beta${f.collection}/${id}/assignments`, entry(f, GROUP_A));
        assert.equal(second.status, 409, `one assignment per target: ${second.text}`);
        const other = await post(`/beta${f.collection}/${id}/assignments`, entry(f, GROUP_B));
        assert.equal(other.status, 201, other.text);
        session.emu.admin.setFaults({ refuseItemRoutes: { [f.kind]: true } }, true);
        const switched = await call(session.emu, "DELETE", `/beta${f.collection}/${id}/assignments/${other.body.id}`, { token: session.token });
        assert.equal(switched.status, 400, "refuseItemRoutes applies to every family");
      });
    }
  });

  it("the table: every family has routes, a seed, a README row and the permissions of its service", async () => {
    const readme = fs.readFileSync(path.join(__dirname, "..", "..", "..", "emulator", "README.md"), "utf8");
    const kinds = new Set<string>();
    for (const f of FAMILIES) {
      assert.ok(!kinds.has(f.kind), `${f.kind} once`);
      kinds.add(f.kind);
      assert.ok(readme.includes(`| \`${f.kind}\` |`), `README has a row for ${f.kind}`);
      const seeded = session.emu.admin.seedPolicy(f.kind);
      assert.equal((await get(`/beta${f.collection}/${seeded.id}`)).status, 200, f.kind);
      assert.ok(f.summary.length > 0);
    }
    assert.equal(kinds.size, 22);
  });

  describe("deviceConfigurations", () => {
    const f = family("deviceConfigurations");
    it("fills intent 'apply', returns source 'direct' and sourceId null, refuses the read-only pair and bad intents", async () => {
      const id = seed(f.kind);
      const created = await post(`/beta${f.collection}/${id}/assignments`, { target: groupTarget(GROUP_A) });
      assert.equal(created.status, 201);
      assert.equal(created.body.intent, "apply");
      assert.equal(created.body.source, "direct");
      assert.equal(created.body.sourceId, null);
      const ro = await post(`/beta${f.collection}/${id}/assignments`, { target: groupTarget(GROUP_B), sourceId: "x" });
      assert.equal(ro.status, 400);
      assert.match(messageOf(ro), /'sourceId'.*read-only/);
      const bad = await post(`/beta${f.collection}/${id}/assignments`, { target: groupTarget(GROUP_B), intent: "sometimes" });
      assert.equal(bad.status, 400);
      assert.match(messageOf(bad), /'intent'.*apply, remove/);
      const changed = await patch(`/beta${f.collection}/${id}/assignments/${created.body.id}`, { intent: "remove" });
      assert.equal(changed.body.intent, "remove");
      assert.equal(changed.body.target.groupId, GROUP_A, "PATCH without target keeps it");
    });

    it("assign takes the legacy deviceConfigurationGroupAssignments beside assignments and answers 200 with the list", async () => {
      const id = seed(f.kind);
      const reply = await post(`/beta${f.collection}/${id}/assign`, {
        assignments: [{ target: groupTarget(GROUP_A), intent: "remove" }],
        deviceConfigurationGroupAssignments: [{ targetGroupId: GROUP_B, excludeGroup: true }],
      });
      assert.equal(reply.status, 200, reply.text);
      assert.match(reply.body["@odata.context"], /Collection\(microsoft\.graph\.deviceConfigurationAssignment\)$/);
      assert.equal(reply.body.value[0].intent, "remove");
      assert.equal(session.emu.admin.listAssignments(f.kind, id).length, 1, "legacy entries are not assignments");
      const badLegacy = await post(`/beta${f.collection}/${id}/assign`, { assignments: [], deviceConfigurationGroupAssignments: [{ targetGroupId: "nope" }] });
      assert.equal(badLegacy.status, 400);
      assert.match(messageOf(badLegacy), /deviceConfigurationGroupAssignments\[0\]\.targetGroupId/);
      const missing = await post(`/beta${f.collection}/${id}/assign`, { deviceConfigurationGroupAssignments: [] });
      assert.equal(missing.status, 400, "the assignments parameter is required");
    });
  });

  describe("deviceHealthScripts", () => {
    const f = family("deviceHealthScripts");
    it("validates runSchedule per subtype and returns the time of day as HH:MM:SS.fffffff", async () => {
      const id = seed(f.kind);
      const path = `/beta${f.collection}/${id}/assign`;
      const daily = { "@odata.type": "#microsoft.graph.deviceHealthScriptDailySchedule", interval: 1, time: "01:00" };
      assert.equal((await post(path, { deviceHealthScriptAssignments: [{ target: groupTarget(GROUP_A), runRemediationScript: true, runSchedule: daily }] })).status, 204);
      const read = (await get(`/beta${f.collection}/${id}/assignments`)).body.value[0];
      assert.deepEqual(read.runSchedule, { "@odata.type": "#microsoft.graph.deviceHealthScriptDailySchedule", interval: 1, time: "01:00:00.0000000", useUtc: false });
      assert.equal(read.runRemediationScript, true);
      const cases: [unknown, RegExp][] = [
        [{ ...daily, interval: 0 }, /runSchedule\.interval.*1 to 23/],
        [{ ...daily, interval: 24 }, /runSchedule\.interval.*1 to 23/],
        [{ ...daily, time: "25:00" }, /runSchedule\.time.*time of day/],
        [{ "@odata.type": "microsoft.graph.deviceHealthScriptRunOnceSchedule", interval: 1, time: "08:30:00", date: "2025-02-30" }, /runSchedule\.date.*YYYY-MM-DD/],
        [{ "@odata.type": "microsoft.graph.deviceHealthScriptTimeSchedule", interval: 1, time: "08:30" }, /runSchedule.*deviceHealthScriptHourlySchedule/],
        [{ "@odata.type": "microsoft.graph.runSchedule", interval: 1 }, /runSchedule/],
        [{ interval: 1 }, /abstract type 'microsoft\.graph\.deviceHealthScriptRunSchedule'/],
        [{ "@odata.type": "#microsoft.graph.deviceHealthScriptHourlySchedule", interval: 2, time: "01:00" }, /runSchedule\.time' does not exist/],
      ];
      for (const [runSchedule, message] of cases) {
        const reply = await post(path, { deviceHealthScriptAssignments: [{ target: groupTarget(GROUP_A), runSchedule }] });
        assert.equal(reply.status, 400, JSON.stringify(runSchedule));
        assert.match(messageOf(reply), message);
      }
      const flag = await post(path, { deviceHealthScriptAssignments: [{ target: groupTarget(GROUP_A), runRemediationScript: "yes" }] });
      assert.equal(flag.status, 400);
      assert.match(messageOf(flag), /runRemediationScript.*Edm\.Boolean/);
      const once = await post(path, { deviceHealthScriptAssignments: [{ target: groupTarget(GROUP_A), runSchedule: { "@odata.type": "#microsoft.graph.deviceHealthScriptRunOnceSchedule", interval: 1, time: "23:59:59.5", date: "2026-12-31", useUtc: true } }] });
      assert.equal(once.status, 204);
      assert.equal(session.emu.admin.listAssignments(f.kind, id)[0].properties?.runSchedule && (session.emu.admin.listAssignments(f.kind, id)[0].properties!.runSchedule as { time: string }).time, "23:59:59.5000000");
    });
  });

  it("refuses filters on scripts and update profiles and serves them on configuration policies", async () => {
    const filtered = groupTarget(GROUP_A, { deviceAndAppManagementAssignmentFilterId: FILTER_ID, deviceAndAppManagementAssignmentFilterType: "include" });
    for (const kind of ["deviceManagementScripts", "deviceShellScripts", "windowsFeatureUpdateProfiles", "windowsQualityUpdateProfiles", "windowsDriverUpdateProfiles", "windowsAutopilotDeploymentProfiles"] as const) {
      const f = family(kind);
      const reply = await post(`/beta${f.collection}/${seed(kind)}/assignments`, { target: filtered });
      assert.equal(reply.status, 400, kind);
      assert.match(messageOf(reply), /filters are not supported.*target\.deviceAndAppManagementAssignmentFilterType/, kind);
    }
    const cp = family("configurationPolicies");
    assert.equal((await post(`/beta${cp.collection}/${seed(cp.kind)}/assignments`, { target: filtered })).status, 201);
  });

  it("deviceEnrollmentConfigurations: ids {guid}_{Type}, routes with them, filters only on platform restrictions", async () => {
    const f = family("deviceEnrollmentConfigurations");
    const esp = seed(f.kind);
    assert.match(esp, /^[0-9a-f-]{36}_Windows10EnrollmentCompletionPageConfiguration$/);
    const body = { enrollmentConfigurationAssignments: [{ target: groupTarget(GROUP_A) }] };
    assert.equal((await post(`/beta${f.collection}/${esp}/assign`, body)).status, 204);
    assert.equal((await get(`/beta${f.collection}/${esp}/assignments`)).body.value.length, 1);
    const filtered = { target: groupTarget(GROUP_B, { deviceAndAppManagementAssignmentFilterId: FILTER_ID, deviceAndAppManagementAssignmentFilterType: "exclude" }) };
    assert.equal((await post(`/beta${f.collection}/${esp}/assign`, { enrollmentConfigurationAssignments: [filtered] })).status, 400);
    const restriction = seed(f.kind, { "@odata.type": "#microsoft.graph.deviceEnrollmentPlatformRestrictionConfiguration" });
    assert.match(restriction, /_DeviceEnrollmentPlatformRestrictionConfiguration$/);
    assert.equal((await post(`/beta${f.collection}/${restriction}/assign`, { enrollmentConfigurationAssignments: [filtered] })).status, 204);
    const created = await post(`/beta${f.collection}`, { "@odata.type": "microsoft.graph.windows10EnrollmentCompletionPageConfiguration", displayName: "ESP" });
    assert.equal(created.status, 201);
    assert.match(created.body.id, /_Windows10EnrollmentCompletionPageConfiguration$/);
  });

  describe("mobileApps", () => {
    const f = family("mobileApps");
    const apps = (id: string) => `/beta${f.collection}/${id}`;
    it("fills win32 settings defaults and validates settings against their @odata.type", async () => {
      const id = seed(f.kind);
      const settings = { "@odata.type": "#microsoft.graph.win32LobAppAssignmentSettings", restartSettings: { gracePeriodInMinutes: 1440 } };
      const created = await post(`${apps(id)}/assignments`, { intent: "required", target: groupTarget(GROUP_A), settings });
      assert.equal(created.status, 201, created.text);
      assert.equal(created.body.settings.notifications, "showAll");
      assert.equal(created.body.settings.deliveryOptimizationPriority, "notConfigured");
      assert.equal(created.body.settings.installTimeSettings, null);
      assert.deepEqual(created.body.settings.restartSettings, {
        "@odata.type": "#microsoft.graph.win32LobAppRestartSettings", gracePeriodInMinutes: 1440, countdownDisplayBeforeRestartInMinutes: null, restartNotificationSnoozeDurationInMinutes: null,
      });
      const bad: [unknown, RegExp][] = [
        [{ "@odata.type": "#microsoft.graph.win32LobAppAssignmentSettingz" }, /settings.*win32LobAppAssignmentSettings/],
        [{ "@odata.type": "#microsoft.graph.win32LobAppAssignmentSettings", reboot: true }, /'settings\.reboot' does not exist/],
        [{ "@odata.type": "#microsoft.graph.win32LobAppAssignmentSettings", notifications: "loud" }, /settings\.notifications.*showAll, showReboot, hideAll/],
        [{ "@odata.type": "#microsoft.graph.win32LobAppAssignmentSettings", restartSettings: { gracePeriodInMinutes: -5 } }, /settings\.restartSettings\.gracePeriodInMinutes/],
        [{ "@odata.type": "#microsoft.graph.win32LobAppAssignmentSettings", installTimeSettings: { deadlineDateTime: "tomorrow" } }, /settings\.installTimeSettings\.deadlineDateTime.*DateTimeOffset/],
        [{ "@odata.type": "#microsoft.graph.iosStoreAppAssignmentSettings", isRemovable: false }, /must be of type '#microsoft\.graph\.win32LobAppAssignmentSettings'/],
        [{ notifications: "showAll" }, /abstract type 'microsoft\.graph\.mobileAppAssignmentSettings'/],
      ];
      for (const [value, message] of bad) {
        const reply = await post(`${apps(id)}/assignments`, { intent: "required", target: groupTarget(GROUP_B), settings: value });
        assert.equal(reply.status, 400, JSON.stringify(value));
        assert.match(messageOf(reply), message);
      }
      const noIntent = await post(`${apps(id)}/assignments`, { target: groupTarget(GROUP_B) });
      assert.equal(noIntent.status, 400);
      assert.match(messageOf(noIntent), /'intent' is required/);
      const badIntent = await post(`${apps(id)}/assignments`, { intent: "install", target: groupTarget(GROUP_B) });
      assert.match(messageOf(badIntent), /intent.*installIntent.*availableWithoutEnrollment/);
      const ro = await post(`${apps(id)}/assignments`, { intent: "available", target: groupTarget(GROUP_B), source: "direct" });
      assert.match(messageOf(ro), /'source'.*read-only/);
    });

    it("holds one intent per group per app; intent and settings change in place", async () => {
      const id = seed(f.kind, { "@odata.type": "#microsoft.graph.iosStoreApp" });
      const first = await post(`${apps(id)}/assignments`, { intent: "required", target: groupTarget(GROUP_A), settings: { "@odata.type": "microsoft.graph.iosStoreAppAssignmentSettings", uninstallOnDeviceRemoval: true } });
      assert.equal(first.status, 201, first.text);
      const again = await post(`${apps(id)}/assignments`, { intent: "available", target: groupTarget(GROUP_A) });
      assert.equal(again.status, 409);
      const changed = await patch(`${apps(id)}/assignments/${first.body.id}`, { intent: "available" });
      assert.equal(changed.status, 200);
      assert.equal(changed.body.intent, "available");
      assert.equal(changed.body.settings.uninstallOnDeviceRemoval, true, "settings kept when only intent changes");
      assert.equal(changed.body.id, first.body.id);
      const both = await post(`${apps(id)}/assign`, { mobileAppAssignments: [
        { intent: "required", target: groupTarget(GROUP_A) }, { intent: "uninstall", target: groupTarget(GROUP_A) },
      ] });
      assert.equal(both.status, 400, "two intents for one group in one assign");
    });

    it("takes assignment filters on apps, but not on web links", async () => {
      const filtered = groupTarget(GROUP_A, { deviceAndAppManagementAssignmentFilterId: randomUUID(), deviceAndAppManagementAssignmentFilterType: "include" });
      const win32 = seed(f.kind);
      assert.equal((await post(`${apps(win32)}/assignments`, { intent: "required", target: filtered })).status, 201);
      const webLink = seed(f.kind, { "@odata.type": "#microsoft.graph.webApp" });
      const refused = await post(`${apps(webLink)}/assignments`, { intent: "available", target: filtered });
      assert.equal(refused.status, 400);
      assert.match(messageOf(refused), /not supported for web link app assignments .*deviceAndAppManagementAssignmentFilterType/);
      assert.equal((await post(`${apps(webLink)}/assignments`, { intent: "available", target: groupTarget(GROUP_A) })).status, 201);
    });
  });

  it("mobileAppConfigurations: the documented assign path is refused, the cast segment works; item POST refused", async () => {
    const f = family("mobileAppConfigurations");
    const id = seed(f.kind);
    const body = { assignments: [{ target: groupTarget(GROUP_A) }] };
    const documented = await post(`/beta${f.collection}/${id}/assign`, body);
    assert.equal(documented.status, 400);
    assert.match(messageOf(documented), /^No OData route exists that match template ~\/singleton\/navigation\/key\/action with http verb POST .*\/assign\./);
    assert.equal((await post(`/beta${f.collection}/${id}/microsoft.graph.managedDeviceMobileAppConfiguration/assign`, body)).status, 204);
    assert.equal((await post(`/beta${f.collection}/${id}/assignments`, { target: groupTarget(GROUP_B) })).status, 400);
    assert.equal((await get(`/beta${f.collection}/${id}/assignments`)).body.value.length, 1);
  });

  it("managed app protections: iOS/Android assign only under managedAppPolicies; no item create; PATCH and DELETE served where documented", async () => {
    for (const kind of ["iosManagedAppProtections", "androidManagedAppProtections", "windowsManagedAppProtections", "targetedManagedAppConfigurations"] as const) {
      const f = family(kind);
      const id = seed(kind);
      const perCollection = await post(`/beta${f.collection}/${id}/assign`, { assignments: [{ target: groupTarget(GROUP_A) }] });
      assert.equal(perCollection.status, kind.startsWith("ios") || kind.startsWith("android") ? 400 : 204, kind);
      const viaPolicies = await post(`/beta/deviceAppManagement/managedAppPolicies/${id}/assign`, { assignments: [{ target: groupTarget(GROUP_A) }] });
      assert.equal(viaPolicies.status, 204, kind);
      const [a] = session.emu.admin.listAssignments(kind, id);
      assert.equal((await post(`/beta${f.collection}/${id}/assignments`, { target: groupTarget(GROUP_B) })).status, 400, kind);
      if (kind === "windowsManagedAppProtections") {
        // Its /assignments item routes are not documented (❓): refused until a test switches them on.
        const refused = await patch(`/beta${f.collection}/${id}/assignments/${a.id}`, { target: groupTarget(GROUP_B) });
        assert.equal(refused.status, 400, kind);
        assert.match(messageOf(refused), NO_ROUTE);
        assert.equal((await call(session.emu, "DELETE", `/beta${f.collection}/${id}/assignments/${a.id}`, { token: session.token })).status, 400);
        session.emu.admin.setFaults({ refuseItemRoutes: { [kind]: false } }, true);
      }
      const changed = await patch(`/beta${f.collection}/${id}/assignments/${a.id}`, { target: groupTarget(GROUP_B) });
      assert.equal(changed.status, 200, kind);
      assert.equal(changed.body.source, "direct");
      assert.equal((await call(session.emu, "DELETE", `/beta${f.collection}/${id}/assignments/${a.id}`, { token: session.token })).status, 204);
    }
    assert.equal((await post(`/beta/deviceAppManagement/managedAppPolicies/${randomUUID()}/assign`, { assignments: [] })).status, 404);
  });

  it("userSettings: assign only, read with $expand on one policy, ids {policyId}_{groupId}, Cloud PC group target only", async () => {
    const f = family("userSettings");
    const id = seed(f.kind);
    assert.equal((await post(`/beta${f.collection}/${id}/assign`, { assignments: [{ target: { "@odata.type": CPC_TARGET, groupId: GROUP_A } }] })).status, 204);
    const expanded = await get(`/beta${f.collection}/${id}?$expand=assignments`);
    assert.equal(expanded.status, 200);
    const [a] = expanded.body.assignments;
    assert.equal(a.id, `${id}_${GROUP_A}`);
    assert.ok(!Number.isNaN(Date.parse(a.createdDateTime)));
    assert.equal(a.target["@odata.type"], "microsoft.graph.cloudPCManagementGroupAssignmentTarget", "spelled as Microsoft's GET examples");
    const again = await post(`/beta${f.collection}/${id}/assign`, { assignments: [{ target: { "@odata.type": CPC_TARGET, groupId: GROUP_A } }, { target: { "@odata.type": CPC_TARGET, groupId: GROUP_B } }] });
    assert.equal(again.status, 204);
    const after = (await get(`/beta${f.collection}/${id}?$expand=assignments`)).body.assignments;
    assert.equal(after[0].createdDateTime, a.createdDateTime, "a kept assignment keeps createdDateTime");
    assert.equal((await get(`/beta${f.collection}?$expand=assignments`)).status, 400, "$expand on the list is not documented");
    const intuneTarget = await post(`/beta${f.collection}/${id}/assign`, { assignments: [{ target: groupTarget(GROUP_A) }] });
    assert.equal(intuneTarget.status, 400);
    const plan = await post(`/beta${f.collection}/${id}/assign`, { assignments: [{ target: { "@odata.type": CPC_TARGET, groupId: GROUP_A, servicePlanId: randomUUID() } }] });
    assert.equal(plan.status, 400);
    assert.match(messageOf(plan), /servicePlanId/);
    assert.equal((await get(`/beta${f.collection}/${id}/assignments/${a.id}`)).status, 400);
    assert.equal((await get(`/v1.0${f.collection}/${id}?$expand=assignments`)).status, 200, "Windows 365 routes are on v1.0 too");
  });

  it("$expand=assignments: served on configuration policies (empty for one endpoint-security policy), refused where undocumented", async () => {
    const cp = family("configurationPolicies");
    const plain = seed(cp.kind);
    const security = seed(cp.kind, { templateFamily: "endpointSecurityAntivirus" });
    for (const id of [plain, security]) session.emu.admin.addAssignment(cp.kind, id, groupTarget(GROUP_A));
    const list = await get(`/beta${cp.collection}?$expand=assignments`);
    assert.deepEqual(list.body.value.map((p: { assignments: unknown[] }) => p.assignments.length), [1, 1]);
    assert.equal((await get(`/beta${cp.collection}/${plain}?$expand=assignments`)).body.assignments.length, 1);
    assert.deepEqual((await get(`/beta${cp.collection}/${security}?$expand=assignments`)).body.assignments, [], "the documented service issue");
    const dc = family("deviceConfigurations");
    const refused = await get(`/beta${dc.collection}/${seed(dc.kind)}?$expand=assignments`);
    assert.equal(refused.status, 400);
    assert.match(messageOf(refused), /\$expand=assignments.*not supported.*\/assignments/);
  });

  it("checks permissions per service: apps need DeviceManagementApps, enrollment accepts DeviceManagementServiceConfig", async () => {
    await session.emu.stop();
    const configOnly: EmulatorApp = { tenantId: DEFAULT_TENANT_ID, clientId: randomUUID(), clientSecret: "c", roles: [Roles.DeviceManagementConfigurationReadWrite] };
    const serviceConfig = { ...configOnly, clientId: randomUUID(), roles: [Roles.DeviceManagementServiceConfigReadWrite] };
    const appsRead = { ...configOnly, clientId: randomUUID(), roles: [Roles.DeviceManagementAppsRead] };
    session.emu = await startEmulator({ port: 0, apps: [configOnly, serviceConfig, appsRead] });
    const emu: RunningEmulator = session.emu;
    const app = emu.admin.seedPolicy("mobileApps").id;
    const esp = emu.admin.seedPolicy("deviceEnrollmentConfigurations").id;
    const dc = emu.admin.seedPolicy("deviceConfigurations").id;
    const as = async (a: EmulatorApp, method: string, p: string, body?: unknown) => (await call(emu, method, p, { token: await getToken(emu, a.clientId, a.clientSecret!), body })).status;
    assert.equal(await as(configOnly, "GET", `/beta/deviceAppManagement/mobileApps/${app}/assignments`), 403);
    assert.equal(await as(appsRead, "GET", `/beta/deviceAppManagement/mobileApps/${app}/assignments`), 200);
    assert.equal(await as(appsRead, "POST", `/beta/deviceAppManagement/mobileApps/${app}/assign`, { mobileAppAssignments: [] }), 403);
    assert.equal(await as(serviceConfig, "POST", `/beta/deviceManagement/deviceEnrollmentConfigurations/${esp}/assign`, { enrollmentConfigurationAssignments: [] }), 204);
    assert.equal(await as(configOnly, "POST", `/beta/deviceManagement/deviceEnrollmentConfigurations/${esp}/assign`, { enrollmentConfigurationAssignments: [] }), 204);
    assert.equal(await as(serviceConfig, "GET", `/beta/deviceManagement/deviceConfigurations/${dc}/assignments`), 403);
  });

  it("serves several families in one $batch through the same pipeline", async () => {
    const script = seed("deviceHealthScripts");
    const app = seed("mobileApps");
    const settings = seed("userSettings");
    const reply = await post("/beta/$batch", { requests: [
      { id: "1", method: "POST", url: `/deviceManagement/deviceHealthScripts/${script}/assign`, headers: { "Content-Type": "application/json" },
        body: { deviceHealthScriptAssignments: [{ target: groupTarget(GROUP_A), runSchedule: { "@odata.type": "#microsoft.graph.deviceHealthScriptHourlySchedule", interval: 4 } }] } },
      { id: "2", method: "POST", url: `/deviceAppManagement/mobileApps/${app}/assignments`, headers: { "Content-Type": "application/json" }, body: { intent: "available", target: groupTarget(GROUP_B) } },
      { id: "3", method: "POST", url: `/deviceManagement/virtualEndpoint/userSettings/${settings}/assign`, headers: { "Content-Type": "application/json" }, body: { assignments: [{ target: { "@odata.type": CPC_TARGET, groupId: GROUP_A } }] } },
      { id: "4", method: "GET", url: `/deviceManagement/virtualEndpoint/userSettings/${settings}?$expand=assignments`, dependsOn: ["3"] },
      { id: "5", method: "POST", url: `/deviceManagement/deviceHealthScripts/${script}/assignments`, headers: { "Content-Type": "application/json" }, body: { target: groupTarget(GROUP_B) } },
    ] });
    assert.equal(reply.status, 200);
    const status = Object.fromEntries(reply.body.responses.map((r: { id: string; status: number }) => [r.id, r.status]));
    assert.deepEqual(status, { 1: 204, 2: 201, 3: 204, 4: 200, 5: 400 });
    assert.equal(reply.body.responses[3].body.assignments[0].id, `${settings}_${GROUP_A}`);
    assert.equal(session.emu.admin.listAssignments("deviceHealthScripts", script)[0].properties?.runSchedule !== undefined, true);
  });

  it("pages a new family's lists as the existing ones, and refuses cast-segment routes", async () => {
    session.emu.admin.setFaults({ listPageSize: 2 }, true);
    const f = family("mobileApps");
    const id = seed(f.kind);
    const groups = [randomUUID(), randomUUID(), randomUUID()];
    for (const g of groups) session.emu.admin.addAssignment(f.kind, id, groupTarget(g), undefined, { intent: "available" });
    const first = await get(`/beta${f.collection}/${id}/assignments`);
    assert.equal(first.body.value.length, 2);
    const next = new URL(first.body["@odata.nextLink"]);
    const second = await get(`${next.pathname}${next.search}`);
    assert.deepEqual(second.body.value.map((a: { target: { groupId: string } }) => a.target.groupId), [groups[2]]);
    assert.equal(second.body["@odata.nextLink"], undefined);
    const cast = await get(`/beta${f.collection}/${id}/microsoft.graph.iosVppApp/assignments`);
    assert.equal(cast.status, 400);
    assert.equal(cast.body.error.message, "Resource not found for the segment 'microsoft.graph.iosVppApp'.");
  });

  describe("admin", () => {
    it("seeds every kind over HTTP, adds assignments with properties, drifts intent and deletes", async () => {
      const { emu } = session;
      const seeded = await call(emu, "POST", "/_emulator/policies/mobileApps", { body: { displayName: "7-Zip", "@odata.type": "#microsoft.graph.win32LobApp" } });
      assert.equal(seeded.status, 201);
      const added = await call(emu, "POST", `/_emulator/policies/mobileApps/${seeded.body.id}/assignments`, { body: { target: groupTarget(GROUP_A), intent: "required" } });
      assert.equal(added.status, 201);
      assert.equal((await get(`/beta/deviceAppManagement/mobileApps/${seeded.body.id}/assignments`)).body.value[0].intent, "required");
      const drift = await call(emu, "PATCH", `/_emulator/policies/mobileApps/${seeded.body.id}/assignments/${added.body.id}`, { body: { intent: "uninstall" } });
      assert.equal(drift.status, 200);
      const read = (await get(`/beta/deviceAppManagement/mobileApps/${seeded.body.id}/assignments/${added.body.id}`)).body;
      assert.equal(read.intent, "uninstall");
      assert.equal(read.target.groupId, GROUP_A);
      assert.equal((await call(emu, "PATCH", `/_emulator/policies/mobileApps/${seeded.body.id}/assignments/${added.body.id}`, { body: { colour: "red" } })).status, 400);
      const cpc = emu.admin.seedPolicy("userSettings").id;
      assert.equal(emu.admin.addAssignment("userSettings", cpc, { "@odata.type": CPC_TARGET, groupId: GROUP_B }).id, `${cpc}_${GROUP_B}`);
      emu.admin.deleteAssignment("userSettings", cpc, `${cpc}_${GROUP_B}`);
      assert.deepEqual(emu.admin.listAssignments("userSettings", cpc), []);
      assert.equal((await call(emu, "POST", "/_emulator/policies/nope", { body: {} })).status, 400);
    });

    it("seeds new kinds at start and refuses an unknown seed key", async () => {
      const emu = await startEmulator({ port: 0, seed: { deviceHealthScripts: [{ displayName: "Fix" }], intents: [{ id: "intent-1", displayName: "Baseline" }] } });
      try {
        assert.equal(emu.admin.state().deviceHealthScripts.length, 1);
        assert.equal(emu.admin.state().intents[0].id, "intent-1");
      } finally {
        await emu.stop();
      }
      await assert.rejects(startEmulator({ port: 0, seed: { nope: [] } as never }), /seed\.nope: unknown policy kind/);
    });
  });
});
