import assert from "node:assert/strict";
import {
    AndroidManagedAppProtectionAssignment,
    appSettings,
    intents,
    IosManagedAppProtectionAssignment,
    ManagedDeviceMobileAppConfigurationAssignment,
    MobileAppAssignment,
    TargetedManagedAppConfigurationAssignment,
    targets,
    WindowsManagedAppProtectionAssignment,
    type InstallIntent,
} from "../../sdk";
import type { PolicyKind } from "../../emulator";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadConfigRepo, toInputs } from "../../cli/configRepo";
import { detectDrift } from "../../cli/drift";
import { exportAssignments } from "../../cli/export";
import { diffLive, getDescription } from "../../provider/model";
import { call, getToken } from "../emulator/helpers";
import { startE2eWorld, type E2eWorld } from "./harness";

const GROUP_A = "6f1b1a59-2b1f-4a8e-9a8e-0b2a1d3c4e5f";
const GROUP_C = "3a2b1c0d-9e8f-4a6b-8c4d-2e1f0a9b8c7d";
const FILTER = "9d8c7b6a-5f4e-4d3c-8b2a-190817263544";

/** The target-only app families: SDK class, emulator kind, and where their `assign` is posted. */
const POLICY_FAMILIES = [
    { kind: "mobileAppConfigurations", cls: ManagedDeviceMobileAppConfigurationAssignment, assign: (id: string) => `/beta/deviceAppManagement/mobileAppConfigurations/${id}/microsoft.graph.managedDeviceMobileAppConfiguration/assign` },
    { kind: "iosManagedAppProtections", cls: IosManagedAppProtectionAssignment, assign: (id: string) => `/beta/deviceAppManagement/managedAppPolicies/${id}/assign` },
    { kind: "androidManagedAppProtections", cls: AndroidManagedAppProtectionAssignment, assign: (id: string) => `/beta/deviceAppManagement/managedAppPolicies/${id}/assign` },
    { kind: "windowsManagedAppProtections", cls: WindowsManagedAppProtectionAssignment, assign: (id: string) => `/beta/deviceAppManagement/windowsManagedAppProtections/${id}/assign` },
    { kind: "targetedManagedAppConfigurations", cls: TargetedManagedAppConfigurationAssignment, assign: (id: string) => `/beta/deviceAppManagement/targetedManagedAppConfigurations/${id}/assign` },
] as const;

/** Win32 settings of an assignment this stack does not manage, as an admin set them in the portal. */
const FOREIGN_SETTINGS = {
    "@odata.type": "#microsoft.graph.win32LobAppAssignmentSettings",
    notifications: "hideAll",
    deliveryOptimizationPriority: "foreground",
    installTimeSettings: { useLocalTime: true, startDateTime: "2026-12-01T08:00:00Z", deadlineDateTime: "2026-12-15T18:00:00Z" },
    restartSettings: { gracePeriodInMinutes: 60, countdownDisplayBeforeRestartInMinutes: 10, restartNotificationSnoozeDurationInMinutes: 30 },
    autoUpdateSettings: { autoUpdateSupersededAppsState: "enabled" },
};

interface Desired {
    readonly intent: InstallIntent;
    readonly grace: number;
    readonly notifications?: "showAll" | "showReboot" | "hideAll";
}

describe("app assignments under the real Pulumi CLI against the emulator", function () {
    this.timeout(600_000);
    let world: E2eWorld;
    let app: string;
    const policies: Record<string, string> = {};
    /** The app's entry for GROUP_C as Graph reads it (made out of band): must never change. */
    let foreign: Record<string, unknown>;

    const appEntries = () => world.emulator.admin.listAssignments("mobileApps", app);
    const ours = () => appEntries().find((a) => a.target.groupId === GROUP_A);
    const theirs = () => appEntries().find((a) => a.target.groupId === GROUP_C);

    async function graphGet(path: string): Promise<Record<string, unknown>[]> {
        const reply = await call(world.emulator, "GET", path, { token: await getToken(world.emulator) });
        assert.equal(reply.status, 200, reply.text);
        return reply.body.value as Record<string, unknown>[];
    }

    before(async () => {
        world = await startE2eWorld("apps");
        app = world.emulator.admin.seedPolicy("mobileApps", { displayName: "Contoso Agent", "@odata.type": "#microsoft.graph.win32LobApp" } as never).id;
        for (const family of POLICY_FAMILIES) {
            policies[family.kind] = world.emulator.admin.seedPolicy(family.kind, { displayName: `Engineers ${family.kind}` }).id;
            // An exclusion this stack does not manage, which every assign must post back.
            world.emulator.admin.addAssignment(family.kind, policies[family.kind]!, { "@odata.type": "#microsoft.graph.exclusionGroupAssignmentTarget", groupId: GROUP_C });
        }
        // Made through Graph, as the portal would, so the emulator holds its own read form of it.
        const made = await call(world.emulator, "POST", `/beta/deviceAppManagement/mobileApps/${app}/assignments`, {
            token: await getToken(world.emulator),
            body: { intent: "available", target: { "@odata.type": "#microsoft.graph.groupAssignmentTarget", groupId: GROUP_C }, settings: FOREIGN_SETTINGS },
        });
        assert.equal(made.status, 201, made.text);
        foreign = made.body as Record<string, unknown>;
    });
    after(async () => world?.dispose());

    function program(desired: Desired, extra?: () => void) {
        return async () => {
            const assignment = new MobileAppAssignment("agent-engineers", {
                policyId: app,
                target: targets.group(GROUP_A),
                intent: desired.intent,
                settings: appSettings.win32({
                    ...(desired.notifications !== undefined ? { notifications: desired.notifications } : {}),
                    restartSettings: { gracePeriodInMinutes: desired.grace, countdownDisplayBeforeRestartInMinutes: 15 },
                }),
            });
            for (const family of POLICY_FAMILIES) {
                new family.cls(`${family.kind}-engineers`, { policyId: policies[family.kind]!, target: targets.group(GROUP_A, { filter: { id: FILTER, type: "include" } }) });
            }
            extra?.();
            return { appAssignmentId: assignment.assignmentId };
        };
    }
    const initial: Desired = { intent: intents.required, grace: 1440 };

    it("creates the app assignment with one POST and each policy's through its own assign path, keeping what others made", async () => {
        world.emulator.admin.clearLog();
        const result = await (await world.stack(program(initial))).up();
        assert.equal(result.summary.resourceChanges?.create, 1 + 1 + POLICY_FAMILIES.length, result.stdout);
        const writes = world.writes();
        assert.deepEqual(
            writes.map((w) => `${w.method} ${w.path}`).sort(),
            [`POST /beta/deviceAppManagement/mobileApps/${app}/assignments`, ...POLICY_FAMILIES.map((f) => `POST ${f.assign(policies[f.kind]!)}`)].sort(),
        );
        const entry = ours()!;
        assert.equal(result.outputs.appAssignmentId?.value, entry.id);
        assert.equal(entry.properties?.intent, "required");
        const settings = entry.properties?.settings as Record<string, unknown>;
        assert.equal((settings.restartSettings as Record<string, unknown>).gracePeriodInMinutes, 1440);
        assert.equal(settings.notifications, "showAll", "Graph's default, written out");
        for (const family of POLICY_FAMILIES) {
            const live = world.emulator.admin.listAssignments(family.kind as PolicyKind, policies[family.kind]!);
            assert.deepEqual(live.map((a) => `${String(a.target["@odata.type"]).replace(/^#/, "")}:${String(a.target.groupId)}`).sort(), [
                "microsoft.graph.exclusionGroupAssignmentTarget:" + GROUP_C,
                "microsoft.graph.groupAssignmentTarget:" + GROUP_A,
            ].sort(), family.kind);
            const [posted] = writes.filter((w) => w.path === family.assign(policies[family.kind]!));
            assert.equal(((posted!.body as { assignments: unknown[] }).assignments).length, 2, `${family.kind}: the exclusion was posted back`);
        }
    });

    it("sends zero writes on a second up", async () => {
        world.emulator.admin.clearLog();
        const result = await (await world.stack(program(initial))).up();
        assert.deepEqual(result.summary.resourceChanges, { same: 1 + 1 + POLICY_FAMILIES.length });
        assert.deepEqual(world.writes(), []);
    });

    it("changes the intent in place with one PATCH carrying only the intent", async () => {
        world.emulator.admin.clearLog();
        const result = await (await world.stack(program({ ...initial, intent: intents.available }))).up();
        assert.equal(result.summary.resourceChanges?.update, 1, result.stdout);
        const writes = world.writes();
        assert.deepEqual(writes.map((w) => `${w.method} ${w.path}`), [`PATCH /beta/deviceAppManagement/mobileApps/${app}/assignments/${ours()!.id}`]);
        assert.deepEqual(writes[0]!.body, { "@odata.type": "#microsoft.graph.mobileAppAssignment", intent: "available" });
        assert.equal(ours()!.properties?.intent, "available");
    });

    it("changes a setting in place with one PATCH carrying only the settings", async () => {
        world.emulator.admin.clearLog();
        const result = await (await world.stack(program({ intent: intents.available, grace: 2880 }))).up();
        assert.equal(result.summary.resourceChanges?.update, 1, result.stdout);
        const writes = world.writes();
        assert.equal(writes.length, 1, JSON.stringify(writes));
        assert.equal(writes[0]!.method, "PATCH");
        const body = writes[0]!.body as Record<string, Record<string, unknown>>;
        assert.deepEqual(Object.keys(body).filter((k) => k !== "@odata.type"), ["settings"]);
        assert.deepEqual(body.settings!.restartSettings, { gracePeriodInMinutes: 2880, countdownDisplayBeforeRestartInMinutes: 15 });
        const live = ours()!.properties?.settings as Record<string, Record<string, unknown>>;
        assert.equal(live.restartSettings!.gracePeriodInMinutes, 2880);
    });

    it("finds an out-of-band intent change with preview --refresh (no write) and repairs it on up", async () => {
        const desired = program({ intent: intents.available, grace: 2880 });
        world.emulator.admin.mutateAssignment("mobileApps", app, ours()!.id, { intent: "uninstall" });
        world.emulator.admin.clearLog();
        let output = "";
        const preview = await (await world.stack(desired)).preview({ refresh: true, diff: true, onOutput: (s: string) => (output += s) } as never);
        assert.equal(preview.changeSummary.update, 1, output);
        assert.match(output, /intent\s*:\s*"uninstall" => "available"/);
        assert.deepEqual(world.writes(), [], "preview writes nothing");
        const repaired = await (await world.stack(desired)).up({ refresh: true } as never);
        assert.equal(repaired.summary.resourceChanges?.update, 1, repaired.stdout);
        assert.deepEqual(world.writes().map((w) => [w.method, w.body]), [["PATCH", { "@odata.type": "#microsoft.graph.mobileAppAssignment", intent: "available" }]]);
        assert.equal(ours()!.properties?.intent, "available");
    });

    it("through assign, posts the entries of other groups back with their intent and settings exactly", async () => {
        const before = (await graphGet(`/beta/deviceAppManagement/mobileApps/${app}/assignments`)).find((a) => a.id === foreign.id)!;
        assert.deepEqual({ intent: before.intent, settings: before.settings }, { intent: foreign.intent, settings: foreign.settings });
        const stack = await world.stack(program({ intent: intents.available, grace: 2880, notifications: "showReboot" }), { config: { "msgraph:writeStrategy": "assign" } });
        world.emulator.admin.clearLog();
        const result = await stack.up();
        await stack.removeConfig("msgraph:writeStrategy");
        assert.equal(result.summary.resourceChanges?.update, 1, result.stdout);
        const writes = world.writes();
        assert.deepEqual(writes.map((w) => `${w.method} ${w.path}`), [`POST /beta/deviceAppManagement/mobileApps/${app}/assign`]);
        const posted = (writes[0]!.body as { mobileAppAssignments: Record<string, unknown>[] }).mobileAppAssignments;
        assert.equal(posted.length, 2);
        const postedForeign = posted.find((e) => (e.target as Record<string, unknown>).groupId === GROUP_C)!;
        assert.deepEqual({ intent: postedForeign.intent, settings: postedForeign.settings }, { intent: foreign.intent, settings: foreign.settings });
        for (const key of ["id", "source", "sourceId"]) assert.ok(!(key in postedForeign), `${key} is read-only and never posted back`);
        const after = (await graphGet(`/beta/deviceAppManagement/mobileApps/${app}/assignments`)).find((a) => (a.target as Record<string, unknown>).groupId === GROUP_C)!;
        assert.deepEqual({ intent: after.intent, settings: after.settings }, { intent: foreign.intent, settings: foreign.settings });
        assert.equal((ours()!.properties?.settings as Record<string, unknown>).notifications, "showReboot");
    });

    it("repairs out-of-band changes to policies written through assign (a removed filter, a deleted entry), keeping the exclusions", async () => {
        const desired = program({ intent: intents.available, grace: 2880, notifications: "showReboot" });
        const configId = policies.mobileAppConfigurations!;
        const iosId = policies.iosManagedAppProtections!;
        const configEntry = world.emulator.admin.listAssignments("mobileAppConfigurations", configId).find((a) => a.target.groupId === GROUP_A)!;
        world.emulator.admin.mutateAssignment("mobileAppConfigurations", configId, configEntry.id, { target: { deviceAndAppManagementAssignmentFilterType: "none", deviceAndAppManagementAssignmentFilterId: null } });
        const iosEntry = world.emulator.admin.listAssignments("iosManagedAppProtections", iosId).find((a) => a.target.groupId === GROUP_A)!;
        world.emulator.admin.deleteAssignment("iosManagedAppProtections", iosId, iosEntry.id);
        world.emulator.admin.clearLog();
        const preview = await (await world.stack(desired)).preview({ refresh: true } as never);
        assert.equal(preview.changeSummary.update, 1);
        assert.equal(preview.changeSummary.create, 1);
        assert.deepEqual(world.writes(), []);
        const repaired = await (await world.stack(desired)).up({ refresh: true } as never);
        assert.equal(repaired.summary.resourceChanges?.update, 1, repaired.stdout);
        assert.equal(repaired.summary.resourceChanges?.create, 1, repaired.stdout);
        assert.deepEqual(world.writes().map((w) => `${w.method} ${w.path}`).sort(), [`POST ${POLICY_FAMILIES[0].assign(configId)}`, `POST ${POLICY_FAMILIES[1].assign(iosId)}`].sort());
        for (const kind of ["mobileAppConfigurations", "iosManagedAppProtections"] as const) {
            const live = world.emulator.admin.listAssignments(kind, policies[kind]!);
            assert.deepEqual(live.map((a) => `${String(a.target.groupId)}:${String(a.target.deviceAndAppManagementAssignmentFilterType)}`).sort(), [`${GROUP_A}:include`, `${GROUP_C}:none`].sort(), kind);
        }
    });

    it("export writes the app kinds' entries, intent and settings included, as a repository that loads and matches Graph", async () => {
        const client = world.graphClient();
        const dir = mkdtempSync(path.join(os.tmpdir(), "apps-export-"));
        try {
            const result = await exportAssignments({
                client,
                policies: [
                    { kind: "MobileAppAssignment", policyId: app },
                    { kind: "ManagedDeviceMobileAppConfigurationAssignment", policyId: policies.mobileAppConfigurations! },
                    { kind: "IosManagedAppProtectionAssignment", policyId: policies.iosManagedAppProtections! },
                ],
                outFile: path.join(dir, "assignments", "apps.yaml"),
            });
            assert.equal(result.assignments, 6);
            const repo = loadConfigRepo(dir);
            assert.deepEqual(repo.errors, [], readFileSync(result.file!, "utf8"));
            const apps = getDescription("MobileAppAssignment");
            const live = await graphGet(`/beta/deviceAppManagement/mobileApps/${app}/assignments`);
            for (const entry of repo.entries.filter((x) => x.kind === "MobileAppAssignment")) {
                const inputs = toInputs(entry);
                const graph = live.find((a) => (a.target as Record<string, unknown>).groupId === (inputs.target as Record<string, unknown>).groupId)!;
                assert.deepEqual(diffLive(apps, inputs, graph), [], `${entry.name} matches what Graph holds`);
            }
            const exportedForeign = repo.entries.map((x) => toInputs(x)).find((i) => (i.target as Record<string, unknown>).groupId === GROUP_C && i.intent !== undefined)!;
            assert.equal(exportedForeign.intent, "available");
            assert.equal(((exportedForeign.settings as Record<string, Record<string, unknown>>).restartSettings)!.gracePeriodInMinutes, 60);
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });

    it("drift names an out-of-band intent change of an app assignment, before and after, without writing", async () => {
        world.emulator.admin.mutateAssignment("mobileApps", app, ours()!.id, { intent: "uninstall" });
        world.emulator.admin.clearLog();
        const result = await detectDrift({ stack: await world.stack(program(initial)) });
        assert.equal(result.exitCode, 2, result.error);
        assert.equal(result.report?.checked, 1 + POLICY_FAMILIES.length);
        assert.deepEqual(result.report?.drifted.map((d) => ({ name: d.name, kind: d.kind, changes: d.changes })), [
            { name: "agent-engineers", kind: "MobileAppAssignment", changes: [{ property: "intent", before: "available", after: "uninstall" }] },
        ]);
        assert.deepEqual(world.writes(), []);
    });

    it("deletes only its own assignments on destroy", async () => {
        const kept = theirs();
        const result = await (await world.stack(program(initial))).destroy();
        assert.equal(result.summary.resourceChanges?.delete, 1 + 1 + POLICY_FAMILIES.length);
        assert.deepEqual(appEntries().map((a) => a.id), [kept!.id]);
        assert.deepEqual(theirs()!.properties, kept!.properties);
        for (const family of POLICY_FAMILIES) {
            const live = world.emulator.admin.listAssignments(family.kind as PolicyKind, policies[family.kind]!);
            assert.deepEqual(live.map((a) => a.target.groupId), [GROUP_C], family.kind);
        }
    });

    it("on a tenant that refuses the app's item routes, auto creates, changes and deletes through assign", async () => {
        const other = world.emulator.admin.seedPolicy("mobileApps", { displayName: "Contoso Portal", "@odata.type": "#microsoft.graph.winGetApp" }).id;
        world.emulator.admin.addAssignment("mobileApps", other, { "@odata.type": "#microsoft.graph.groupAssignmentTarget", groupId: GROUP_C }, undefined, { intent: "available", settings: null });
        world.emulator.admin.setFaults({ refuseItemRoutes: { mobileApps: true } }, true);
        const portal = (intent: InstallIntent) => async () => {
            new MobileAppAssignment("portal-engineers", { policyId: other, target: targets.group(GROUP_A), intent, settings: appSettings.winGet({ notifications: "hideAll" }) });
        };
        try {
            world.emulator.admin.clearLog();
            const created = await (await world.stack(portal(intents.required), { stackName: "refused" })).up();
            assert.equal(created.summary.resourceChanges?.create, 2, created.stdout);
            const paths = world.writes().map((w) => `${w.method} ${w.path}`);
            assert.deepEqual(paths, [`POST /beta/deviceAppManagement/mobileApps/${other}/assignments`, `POST /beta/deviceAppManagement/mobileApps/${other}/assign`], "the refused POST, then assign");
            world.emulator.admin.clearLog();
            const changed = await (await world.stack(portal(intents.available), { stackName: "refused" })).up();
            assert.equal(changed.summary.resourceChanges?.update, 1, changed.stdout);
            assert.ok(world.writes().every((w) => w.path.endsWith("/assign") || w.method === "PATCH"), JSON.stringify(world.writes()));
            const live = world.emulator.admin.listAssignments("mobileApps", other);
            assert.deepEqual(live.map((a) => `${String(a.target.groupId)}:${String(a.properties?.intent)}`).sort(), [`${GROUP_A}:available`, `${GROUP_C}:available`].sort());
            await (await world.stack(portal(intents.available), { stackName: "refused" })).destroy();
            assert.deepEqual(world.emulator.admin.listAssignments("mobileApps", other).map((a) => a.target.groupId), [GROUP_C]);
        } finally {
            world.emulator.admin.setFaults({ refuseItemRoutes: { mobileApps: false } }, true);
        }
    });
});
