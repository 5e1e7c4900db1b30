/**
 * Walks the registry of descriptions: every kind must be reachable everywhere a kind is (its SDK class, the config
 * repository, its docs page, an emulator family), so that adding a description is all a new family needs.
 * Presence, not behaviour: the per-family tests check behaviour.
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import * as yaml from "js-yaml";
import * as sdk from "../../sdk";
import { DynamicAssignmentResource } from "../../sdk/dynamicAssignmentResource";
import { KINDS, loadConfigRepo, sdkClassOf, toInputs } from "../../cli/configRepo";
import { entryFromInputs } from "../../cli/repoKinds";
import { descriptions, diffInputs, normalizeInputs, type ResourceDescription } from "../../provider/model";
import { repoRoot } from "../../scripts/pulumiEnvironment";
import { emulatorFamilyOf, policyCollectionsOf } from "../emulatorFamily";

const POLICY_GUID = "5b0f3c1e-7a2d-4c8b-9e61-0d4f2a9c7b10";

/** A policy id of the kind's id form. */
function policyIdFor(description: ResourceDescription): string {
    return description.pathKinds.policyId === "intuneId" ? `${POLICY_GUID}_ExampleConfiguration` : POLICY_GUID;
}

describe("the registry of descriptions reaches every part of the product", () => {
    const kinds = Object.keys(descriptions);
    const dirs: string[] = [];
    after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

    it("has at least the original three kinds", () => {
        for (const kind of ["GroupPolicyConfigurationAssignment", "ProvisioningPolicyAssignment", "CloudPcProvisioningPolicyAssignment"]) {
            assert.ok(kinds.includes(kind), kind);
        }
    });

    for (const kind of kinds) {
        const description = descriptions[kind]!;

        it(`${kind}: sdk/ exports its resource class under the kind's name`, () => {
            const exported = (sdk as unknown as Record<string, unknown>)[kind];
            assert.equal(typeof exported, "function", `sdk/index.ts exports no ${kind}`);
            assert.ok((exported as { prototype: object }).prototype instanceof DynamicAssignmentResource, `${kind} does not extend DynamicAssignmentResource`);
            assert.equal(sdkClassOf(kind), exported);
        });

        it(`${kind}: has an example whose update changes something (the docs and the families' end-to-end test use it)`, () => {
            assert.ok(description.example, `${kind} has no example`);
            const { inputs, update } = description.example;
            assert.ok(Object.keys(update).length > 0, `${kind}: the example's update is empty`);
            const policyId = policyIdFor(description);
            assert.ok(diffInputs(description, { ...inputs, policyId }, { ...inputs, ...update, policyId }).changes, `${kind}: the example's update changes nothing`);
        });

        it(`${kind}: the config repository takes the kind, and its example round-trips through the YAML`, () => {
            assert.ok(KINDS.includes(kind));
            assert.ok(description.example, `${kind} has no example`);
            const policyId = policyIdFor(description);
            for (const inputs of [description.example.inputs, { ...description.example.inputs, ...description.example.update }]) {
                const desired = normalizeInputs(description, { ...inputs, policyId });
                const entry = entryFromInputs(description, desired);
                assert.ok(entry, `the example's target of ${kind} has no YAML form`);
                const dir = mkdtempSync(path.join(os.tmpdir(), "registry-walk-"));
                dirs.push(dir);
                mkdirSync(path.join(dir, "assignments"));
                const doc = { policies: [{ kind, policyId, assignments: [{ name: "example", target: entry.target, ...entry.properties }] }] };
                writeFileSync(path.join(dir, "assignments", "example.yaml"), yaml.dump(doc));
                const repo = loadConfigRepo(dir);
                assert.deepEqual(repo.errors, [], yaml.dump(doc));
                assert.equal(repo.entries.length, 1);
                assert.deepEqual(normalizeInputs(description, toInputs(repo.entries[0]!)), desired);
            }
        });

        const docsDir = path.join(repoRoot, "docs", "resources");
        it(`${kind}: has its reference page docs/resources/${kind}.md${existsSync(docsDir) ? "" : " (skipped: no docs generator yet, docs/resources is absent)"}`, function () {
            if (!existsSync(docsDir)) this.skip();
            assert.ok(existsSync(path.join(docsDir, `${kind}.md`)), `docs/resources/${kind}.md is missing`);
        });

        const familiesSource = path.join(repoRoot, "emulator", "families.ts");
        it(`${kind}: the emulator has a family for its policy collection${existsSync(familiesSource) ? "" : " (skipped: emulator/families.ts is absent)"}`, function () {
            if (!existsSync(familiesSource)) this.skip();
            // Loaded at run time: the emulator's table is its own model of Graph, and may not exist yet.
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            const { FAMILIES } = require(path.join(repoRoot, "dist", "emulator", "families.js")) as { FAMILIES: readonly { collection: string }[] };
            const collections = FAMILIES.map((f) => f.collection.toLowerCase());
            assert.ok(emulatorFamilyOf(description, FAMILIES), `no emulator family serves ${policyCollectionsOf(description).join(" or ")} (emulator collections: ${collections.join(", ")})`);
        });
    }
});
