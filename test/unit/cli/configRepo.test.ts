import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadConfigRepo, toInputs } from "../../../cli/configRepo";
import { repoRoot } from "../../../scripts/pulumiEnvironment";

const POLICY = "5b0f3c1e-7a2d-4c8b-9e61-0d4f2a9c7b10";
const GROUP = "6f1b1a59-2b1f-4a8e-9a8e-0b2a1d3c4e5f";
const FILTER = "9d8c7b6a-5f4e-4d3c-8b2a-190817263544";

function repo(files: Record<string, string>): string {
    const dir = mkdtempSync(path.join(os.tmpdir(), "config-repo-"));
    mkdirSync(path.join(dir, "assignments"));
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, "assignments", name), text);
    return dir;
}

describe("cli/configRepo loadConfigRepo", () => {
    const dirs: string[] = [];
    const load = (files: Record<string, string>) => {
        const dir = repo(files);
        dirs.push(dir);
        return loadConfigRepo(dir);
    };
    after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

    it("loads the example repository without errors", () => {
        const result = loadConfigRepo(path.join(repoRoot, "examples", "config-repo"));
        assert.deepEqual(result.errors, []);
        assert.deepEqual(result.entries.map((e) => e.name).sort(), [
            "agent-contractors", "agent-engineers", "baseline-all-devices", "baseline-contractors-excluded", "baseline-engineers",
            "compliance-engineers", "compliance-not-contractors", "inventory-all-devices", "inventory-not-contractors",
            "ios-protection-engineers", "remediation-engineers", "w365-engineers", "w365-frontline-shift-a", "wifi-engineers",
        ]);
    });

    it("maps a group target with a filter to the provider's inputs", () => {
        const { entries, errors } = load({
            "a.yaml": `policies:\n  - kind: GroupPolicyConfigurationAssignment\n    policyId: ${POLICY}\n    assignments:\n      - name: a\n        target: { type: group, groupId: ${GROUP}, filter: { id: ${FILTER}, type: include } }\n`,
        });
        assert.deepEqual(errors, []);
        assert.deepEqual(toInputs(entries[0]!), {
            policyId: POLICY,
            target: {
                "@odata.type": "#microsoft.graph.groupAssignmentTarget",
                groupId: GROUP,
                deviceAndAppManagementAssignmentFilterId: FILTER,
                deviceAndAppManagementAssignmentFilterType: "include",
            },
        });
    });

    it("maps a kind's own properties (intent) and an Intune policy id that is not a GUID to the provider's inputs", () => {
        const enrollment = `${POLICY}_Windows10EnrollmentCompletionPageConfiguration`;
        const { entries, errors } = load({
            "a.yaml": `policies:\n  - kind: DeviceConfigurationAssignment\n    policyId: ${POLICY}\n    assignments:\n      - name: remove-it\n        intent: remove\n        target: { type: allDevices }\n  - kind: DeviceEnrollmentConfigurationAssignment\n    policyId: ${enrollment}\n    assignments:\n      - name: esp\n        target: { type: group, groupId: ${GROUP} }\n`,
        });
        assert.deepEqual(errors, []);
        assert.deepEqual(toInputs(entries[0]!), { policyId: POLICY, target: { "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget" }, intent: "remove" });
        assert.deepEqual(toInputs(entries[1]!), { policyId: enrollment, target: { "@odata.type": "#microsoft.graph.groupAssignmentTarget", groupId: GROUP } });
    });

    const cases: { title: string; yaml: string; entry: RegExp; property: string; reason: RegExp }[] = [
        {
            title: "a bad group GUID",
            yaml: `policies:\n  - kind: GroupPolicyConfigurationAssignment\n    policyId: ${POLICY}\n    assignments:\n      - name: ok\n        target: { type: allDevices }\n      - name: bad-group\n        target: { type: group, groupId: not-a-guid }\n`,
            entry: /policies\[0\]\.assignments\[1\] "bad-group"/,
            property: "target.groupId",
            reason: /GUID/,
        },
        {
            title: "a bad policy id",
            yaml: `policies:\n  - kind: ProvisioningPolicyAssignment\n    policyId: 1234\n    assignments:\n      - name: x\n        target: { type: group, groupId: ${GROUP} }\n`,
            entry: /policies\[0\]/,
            property: "policyId",
            reason: /policyId/,
        },
        {
            title: "a filter type that is not include/exclude",
            yaml: `policies:\n  - kind: GroupPolicyConfigurationAssignment\n    policyId: ${POLICY}\n    assignments:\n      - name: f\n        target: { type: group, groupId: ${GROUP}, filter: { id: ${FILTER}, type: maybe } }\n`,
            entry: /"f"/,
            property: "target.filter.type",
            reason: /include|exclude/,
        },
        {
            title: "a filter on an exclusion",
            yaml: `policies:\n  - kind: GroupPolicyConfigurationAssignment\n    policyId: ${POLICY}\n    assignments:\n      - name: ex\n        target: { type: exclusionGroup, groupId: ${GROUP}, filter: { id: ${FILTER}, type: include } }\n`,
            entry: /"ex"/,
            property: "target.filter",
            reason: /./,
        },
        {
            title: "a missing group",
            yaml: `policies:\n  - kind: GroupPolicyConfigurationAssignment\n    policyId: ${POLICY}\n    assignments:\n      - name: nog\n        target: { type: group }\n`,
            entry: /"nog"/,
            property: "target.groupId",
            reason: /required/,
        },
        {
            title: "an unknown kind",
            yaml: `policies:\n  - kind: NoSuchAssignment\n    policyId: ${POLICY}\n    assignments: []\n`,
            entry: /policies\[0\]/,
            property: "kind",
            reason: /GroupPolicyConfigurationAssignment/,
        },
        {
            title: "a Frontline allotment without a service plan",
            yaml: `policies:\n  - kind: CloudPcProvisioningPolicyAssignment\n    policyId: ${POLICY}\n    assignments:\n      - name: fl\n        target: { type: group, groupId: ${GROUP}, allotmentLicensesCount: 3 }\n`,
            entry: /"fl"/,
            property: "target.servicePlanId",
            reason: /required/,
        },
        {
            title: "a property a kind does not take",
            yaml: `policies:\n  - kind: ProvisioningPolicyAssignment\n    policyId: ${POLICY}\n    assignments:\n      - name: w\n        target: { type: group, groupId: ${GROUP}, filter: { id: ${FILTER}, type: include } }\n`,
            entry: /"w"/,
            property: "target.filter",
            reason: /unexpected/,
        },
        {
            title: "an intent that is neither apply nor remove",
            yaml: `policies:\n  - kind: DeviceConfigurationAssignment\n    policyId: ${POLICY}\n    assignments:\n      - name: di\n        intent: install\n        target: { type: allDevices }\n`,
            entry: /"di"/,
            property: "intent",
            reason: /apply, remove/,
        },
        {
            title: "a property of another kind (intent on a compliance policy)",
            yaml: `policies:\n  - kind: DeviceCompliancePolicyAssignment\n    policyId: ${POLICY}\n    assignments:\n      - name: ci\n        intent: apply\n        target: { type: allDevices }\n`,
            entry: /"ci"/,
            property: "intent",
            reason: /unexpected property for DeviceCompliancePolicyAssignment/,
        },
        {
            title: "a Windows 365 user setting given an Intune target type",
            yaml: `policies:\n  - kind: CloudPcUserSettingAssignment\n    policyId: ${POLICY}\n    assignments:\n      - name: us\n        target: { type: allDevices }\n`,
            entry: /"us"/,
            property: "target.type",
            reason: /must be one of: group/,
        },
        {
            title: "an enrollment configuration id with a path separator",
            yaml: `policies:\n  - kind: DeviceEnrollmentConfigurationAssignment\n    policyId: "${POLICY}_Limit/.."\n    assignments:\n      - name: en\n        target: { type: allDevices }\n`,
            entry: /policies\[0\]/,
            property: "policyId",
            reason: /must not contain/,
        },
        {
            title: "an adoptExisting that is not a boolean (policy)",
            yaml: `policies:\n  - kind: GroupPolicyConfigurationAssignment\n    policyId: ${POLICY}\n    adoptExisting: "yes"\n    assignments:\n      - name: ad\n        target: { type: allDevices }\n`,
            entry: /policies\[0\]/,
            property: "adoptExisting",
            reason: /must be true or false/,
        },
        {
            title: "an adoptExisting that is not a boolean (assignment)",
            yaml: `policies:\n  - kind: ProvisioningPolicyAssignment\n    policyId: ${POLICY}\n    assignments:\n      - name: ad2\n        adoptExisting: no thanks\n        target: { type: group, groupId: ${GROUP} }\n`,
            entry: /"ad2"/,
            property: "adoptExisting",
            reason: /must be true or false/,
        },
    ];
    for (const c of cases) {
        it(`rejects ${c.title}, naming file, entry and property`, () => {
            const { errors, entries } = load({ "team.yaml": c.yaml });
            const error = errors.find((e) => e.property === c.property || e.property.startsWith(`${c.property}.`));
            assert.ok(error, `no error for ${c.property}: ${JSON.stringify(errors)}`);
            assert.equal(error.file, path.join("assignments", "team.yaml"));
            assert.match(error.entry, c.entry);
            assert.match(error.message, /^assignments\/team\.yaml: /);
            assert.ok(error.message.includes(error.property), error.message);
            assert.match(error.message, c.reason);
            assert.ok(!entries.some((e) => error.entry.includes(`"${e.name}"`)), "the bad entry is not returned");
        });
    }

    it("takes adoptExisting from the assignment, else from its policy", () => {
        const { entries, errors } = load({
            "a.yaml": `policies:\n  - kind: GroupPolicyConfigurationAssignment\n    policyId: ${POLICY}\n    adoptExisting: false\n    assignments:\n      - name: strict\n        target: { type: allDevices }\n      - name: lenient\n        adoptExisting: true\n        target: { type: allLicensedUsers }\n  - kind: ProvisioningPolicyAssignment\n    policyId: ${POLICY}\n    assignments:\n      - name: default\n        target: { type: group, groupId: ${GROUP} }\n`,
        });
        assert.deepEqual(errors, []);
        assert.deepEqual(entries.map((e) => [e.name, e.adoptExisting]), [["strict", false], ["lenient", true], ["default", undefined]]);
    });

    it("rejects duplicate names and duplicate targets across files", () => {
        const one = (name: string) =>
            `policies:\n  - kind: GroupPolicyConfigurationAssignment\n    policyId: ${POLICY}\n    assignments:\n      - name: ${name}\n        target: { type: group, groupId: ${GROUP} }\n`;
        const { errors } = load({ "a.yaml": one("same"), "b.yaml": one("same"), "c.yaml": one("other") });
        assert.ok(errors.some((e) => e.file.endsWith("b.yaml") && e.property === "name" && /already used/.test(e.message)), JSON.stringify(errors));
        assert.ok(errors.some((e) => e.file.endsWith("c.yaml") && e.property === "target" && /same target/.test(e.message)), JSON.stringify(errors));
    });

    it("reports YAML syntax errors with the file", () => {
        const { errors } = load({ "broken.yaml": "policies: [\n" });
        assert.equal(errors.length, 1);
        assert.match(errors[0]!.message, /broken\.yaml: is not valid YAML/);
    });
});
