import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadConfigRepo } from "../../../cli/configRepo";
import { applyNames, escapeODataString, NameIndex, namesNeeded, policyCollectionOf } from "../../../cli/nameResolution";
import { getDescription } from "../../../provider/model";

const GPC = "5b0f3c1e-7a2d-4c8b-9e61-0d4f2a9c7b10";
const OTHER = "5b0f3c1e-7a2d-4c8b-9e61-0d4f2a9c7b11";
const FILTER = "9d8c7b6a-5f4e-4d3c-8b2a-190817263544";

function repoWith(yaml: string) {
    const dir = mkdtempSync(path.join(os.tmpdir(), "names-"));
    mkdirSync(path.join(dir, "assignments"));
    writeFileSync(path.join(dir, "assignments", "team.yaml"), yaml);
    try {
        return loadConfigRepo(dir);
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
}

const NAMED = `policies:
  - kind: GroupPolicyConfigurationAssignment
    policy: Windows baseline
    assignments:
      - name: all-devices
        target: { type: allDevices, filter: { name: "O'Brien devices", type: include } }
`;

describe("NameIndex", () => {
    it("finds one id, reports none, and lists every id of a shared name (ignoring case)", () => {
        const index = new NameIndex([
            { id: "a", displayName: "Baseline" },
            { id: "b", displayName: "baseline" },
            { id: "c", displayName: "O'Brien devices" },
        ]);
        assert.deepEqual(index.lookup("O'Brien devices"), { id: "c" });
        assert.deepEqual(index.lookup("Nope"), { unknown: true });
        assert.deepEqual(index.lookup("BASELINE"), { ambiguous: ["a", "b"] });
        assert.equal(index.count("baseline"), 2);
        assert.equal(index.nameOf("C"), "O'Brien devices");
    });
});

describe("escapeODataString", () => {
    it("doubles single quotes", () => assert.equal(escapeODataString("O'Brien's"), "O''Brien''s"));
});

describe("policyCollectionOf", () => {
    it("is the collection of the kind's policies, also for a kind that reads through another route", () => {
        assert.equal(policyCollectionOf(getDescription("GroupPolicyConfigurationAssignment")), "/deviceManagement/groupPolicyConfigurations");
        assert.equal(policyCollectionOf(getDescription("ProvisioningPolicyAssignment")), "/deviceManagement/virtualEndpoint/provisioningPolicies");
    });
});

describe("loading named policies and filters", () => {
    it("accepts policy: and filter.name, and refuses both forms at once", () => {
        const ok = repoWith(NAMED);
        assert.deepEqual(ok.errors, []);
        assert.equal(ok.entries[0]!.policy, "Windows baseline");
        const both = repoWith(NAMED.replace("    policy: Windows baseline", `    policy: Windows baseline\n    policyId: ${GPC}`));
        assert.match(both.errors[0]!.message, /team\.yaml: policies\[0\]: policy: give either policyId or policy/);
        const filterBoth = repoWith(NAMED.replace(`name: "O'Brien devices"`, `name: x, id: ${FILTER}`));
        assert.match(filterBoth.errors[0]!.message, /"all-devices": target\.filter\.name: give either id or name/);
    });
});

describe("namesNeeded and applyNames", () => {
    const repo = repoWith(NAMED);

    it("asks for one listing per policy collection and the filters", () => {
        const needed = namesNeeded(repo.entries);
        assert.deepEqual([...needed.collections.keys()], ["/deviceManagement/groupPolicyConfigurations"]);
        assert.equal(needed.filters, true);
        assert.deepEqual(needed.groups, []);
    });

    it("replaces names by ids", () => {
        const result = applyNames(repo.entries, {
            policies: new Map([["/deviceManagement/groupPolicyConfigurations", new NameIndex([{ id: GPC, displayName: "Windows baseline" }])]]),
            filters: new NameIndex([{ id: FILTER, displayName: "O'Brien devices" }]),
            groups: new Map(),
        });
        assert.deepEqual(result.errors, []);
        assert.equal(result.entries[0]!.policyId, GPC);
        assert.equal(result.entries[0]!.policy, undefined);
        assert.deepEqual(result.entries[0]!.target.filter, { id: FILTER, type: "include" });
    });

    it("names file, entry and name for an unknown policy and an ambiguous filter, and keeps no entry", () => {
        const result = applyNames(repo.entries, {
            policies: new Map([["/deviceManagement/groupPolicyConfigurations", new NameIndex([{ id: GPC, displayName: "Windows baseline (old)" }])]]),
            filters: new NameIndex([{ id: FILTER, displayName: "O'Brien devices" }, { id: OTHER, displayName: "o'brien DEVICES" }]),
            groups: new Map(),
        });
        assert.deepEqual(result.entries, []);
        assert.equal(result.errors.length, 2);
        assert.match(result.errors[0]!.message, /^assignments\/team\.yaml: policies\[0\]: policy: policy "Windows baseline" was not found in this tenant \(GET \/deviceManagement\/groupPolicyConfigurations\); if it was renamed/);
        assert.match(result.errors[1]!.message, new RegExp(`"all-devices": target\\.filter\\.name: assignment filter "O'Brien devices" is ambiguous: 2 .*ids ${FILTER}, ${OTHER}`));
    });
});

describe("per-stack overrides (tenants:)", () => {
    const YAML = `policies:
  - kind: GroupPolicyConfigurationAssignment
    policyId: ${GPC}
    assignments:
      - name: pilot
        target: { type: allDevices }
        tenants:
          production: { skip: true }
          staging: { target: { filter: { id: ${FILTER}, type: exclude } } }
`;
    it("skips an entry on one stack and merges target keys on another; the base applies elsewhere", () => {
        assert.equal(repoWith(YAML).entries.length, 1);
        const dir = mkdtempSync(path.join(os.tmpdir(), "names-"));
        mkdirSync(path.join(dir, "assignments"));
        writeFileSync(path.join(dir, "assignments", "team.yaml"), YAML);
        try {
            assert.deepEqual(loadConfigRepo(dir, { stack: "production" }).entries, []);
            assert.deepEqual(loadConfigRepo(dir, { stack: "staging" }).entries[0]!.target, { type: "allDevices", filter: { id: FILTER, type: "exclude" } });
            assert.deepEqual(loadConfigRepo(dir, { stack: "test" }).entries[0]!.target, { type: "allDevices" });
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });

    it("names the stack and the key it cannot override", () => {
        const bad = repoWith(YAML.replace("production: { skip: true }", "production: { skip: yes-please, name: other }"));
        assert.deepEqual(bad.errors.map((e) => e.message), [
            `assignments/team.yaml: policies[0].assignments[0] "pilot": tenants.production.name: cannot be overridden per stack (expected: skip, target)`,
            `assignments/team.yaml: policies[0].assignments[0] "pilot": tenants.production.skip: must be true or false (unquoted)`,
        ]);
    });
});
