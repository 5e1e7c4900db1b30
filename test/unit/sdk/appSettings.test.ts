import assert from "node:assert/strict";
import { appSettings, intents } from "../../../sdk/appSettings";
import { getDescription, validateInputs } from "../../../provider/model";

const APPS = getDescription("MobileAppAssignment");
const inputsWith = (intent: string, settings: unknown) => ({
    policyId: "0f6c2b1a-3d4e-4f50-8a9b-0c1d2e3f4a5b",
    target: { "@odata.type": "#microsoft.graph.groupAssignmentTarget", groupId: "6f1b1a59-2b1f-4a8e-9a8e-0b2a1d3c4e5f" },
    intent,
    settings,
});

describe("intents", () => {
    it("names the four install intents the provider takes", () => {
        for (const intent of Object.values(intents)) assert.deepEqual(validateInputs(APPS, inputsWith(intent, undefined)), [], intent);
        assert.deepEqual(Object.keys(intents).sort(), ["available", "availableWithoutEnrollment", "required", "uninstall"]);
    });
});

describe("appSettings", () => {
    it("builds each common settings type with its @odata.type, and the provider takes what it builds", () => {
        const built = [
            appSettings.win32({ notifications: "showReboot", restartSettings: { gracePeriodInMinutes: 1440 } }),
            appSettings.win32({}, { catalog: true }),
            appSettings.winGet({ installTimeSettings: { deadlineDateTime: "2026-12-31T18:00:00Z" } }),
            appSettings.iosStore({ isRemovable: false }),
            appSettings.iosStore({}, { lob: true }),
            appSettings.iosVpp({ useDeviceLicensing: true }),
            appSettings.androidManagedStore({ autoUpdateMode: "priority" }),
        ];
        assert.deepEqual(built.map((s) => s["@odata.type"]), [
            "#microsoft.graph.win32LobAppAssignmentSettings",
            "#microsoft.graph.win32CatalogAppAssignmentSettings",
            "#microsoft.graph.winGetAppAssignmentSettings",
            "#microsoft.graph.iosStoreAppAssignmentSettings",
            "#microsoft.graph.iosLobAppAssignmentSettings",
            "#microsoft.graph.iosVppAppAssignmentSettings",
            "#microsoft.graph.androidManagedStoreAppAssignmentSettings",
        ]);
        for (const settings of built) assert.deepEqual(validateInputs(APPS, inputsWith(intents.required, settings)), [], JSON.stringify(settings));
    });

    it("adds nothing the program did not say (Graph's defaults stay Graph's)", () => {
        assert.deepEqual(appSettings.winGet(), { "@odata.type": "#microsoft.graph.winGetAppAssignmentSettings" });
        assert.deepEqual(appSettings.iosVpp({ preventAutoAppUpdate: true }), { "@odata.type": "#microsoft.graph.iosVppAppAssignmentSettings", preventAutoAppUpdate: true });
    });
});
