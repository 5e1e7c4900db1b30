import assert from "node:assert/strict";
import { Module } from "node:module";
import path from "node:path";
import { providerModuleArguments, providerModuleText } from "../../../sdk/dynamicAssignmentResource";
import * as providerPackage from "../../../provider";

/** Loads a `__provider` text the way Pulumi's dynamic-provider host does (a module compiled from a string). */
function loadProviderModule(text: string, resolve: (request: string) => unknown): { handler: () => Record<string, unknown> } {
    const mod = new Module("__provider", undefined) as Module & { _compile(code: string, filename: string): void };
    mod.filename = path.join(__dirname, "__provider.js");
    mod.require = ((request: string) => resolve(request)) as NodeJS.Require;
    mod._compile(text, mod.filename);
    return mod.exports as { handler: () => Record<string, unknown> };
}

describe("the provider module stored in state (__provider)", () => {
    it("is one line that requires the installed package, far under 2 KB", () => {
        const text = providerModuleText("CloudPcProvisioningPolicyAssignment", { writeStrategy: "assign" });
        assert.equal(
            text,
            'exports.handler = () => require("pulumi-msgraph-assignments/provider").dynamicProvider("CloudPcProvisioningPolicyAssignment", "assign");\n',
        );
        assert.ok(Buffer.byteLength(text) < 200);
    });

    it("loads the package's provider with configure and every CRUD method", () => {
        const requested: string[] = [];
        const loaded = loadProviderModule(providerModuleText("GroupPolicyConfigurationAssignment"), (request) => {
            requested.push(request);
            return providerPackage;
        });
        const provider = loaded.handler();
        assert.deepEqual(requested, ["pulumi-msgraph-assignments/provider"]);
        for (const method of ["configure", "check", "diff", "create", "read", "update", "delete"]) {
            assert.equal(typeof provider[method], "function", method);
        }
    });

    it("checks inputs through the loaded provider (validation runs in the host, before any request)", async () => {
        const provider = providerPackage.dynamicProvider("GroupPolicyConfigurationAssignment");
        const result = await provider.check!({}, { policyId: "not-a-guid", target: { "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget" } });
        assert.ok(result.failures?.some((f) => f.property === "policyId"), JSON.stringify(result.failures));
    });

    it("rejects an unknown kind when the module loads, not at the first request", () => {
        assert.throws(() => providerPackage.dynamicProvider("NoSuchAssignment"), /NoSuchAssignment/);
    });

    it("keeps any write strategy text inert: it is a JSON string literal, never code", () => {
        const hostile = '"); process.exit(1); ("';
        const text = providerModuleText("GroupPolicyConfigurationAssignment", { writeStrategy: hostile, adoptExisting: hostile });
        let options: unknown;
        loadProviderModule(text, () => ({ dynamicProvider: (_kind: string, o: unknown) => ((options = o), {}) })).handler();
        assert.deepEqual(options, { writeStrategy: hostile, adoptExisting: hostile });
    });

    it("carries adoptExisting as an options object, and nothing at all when no option is given", () => {
        assert.match(providerModuleText("ProvisioningPolicyAssignment"), /dynamicProvider\("ProvisioningPolicyAssignment"\);\n$/);
        assert.match(
            providerModuleText("ProvisioningPolicyAssignment", { writeStrategy: undefined, adoptExisting: false }),
            /dynamicProvider\("ProvisioningPolicyAssignment", \{"adoptExisting":false\}\);\n$/,
        );
    });

    it("is read back without running it (drift reads with the resource's own options)", () => {
        for (const options of [{}, { writeStrategy: "assign" }, { writeStrategy: "item", adoptExisting: false }, { writeStrategy: 7 }]) {
            const read = providerModuleArguments(providerModuleText("GroupPolicyConfigurationAssignment", options));
            assert.equal(read?.kind, "GroupPolicyConfigurationAssignment");
            const expected = Object.keys(options).length === 0 ? undefined : options.writeStrategy === "assign" ? "assign" : options;
            assert.deepEqual(read?.options, expected);
        }
        assert.equal(providerModuleArguments("exports.handler = () => require('x');\n"), undefined);
        assert.equal(providerModuleArguments('exports.handler = () => require("pulumi-msgraph-assignments/provider").dynamicProvider(oops);\n'), undefined);
    });

    it("reports invalid options in check, with the message shape of inputs, instead of throwing", async () => {
        const provider = providerPackage.dynamicProvider("ProvisioningPolicyAssignment", { writeStrategy: "fast", adoptExisting: "yes" });
        const result = await provider.check!({}, { policyId: "0c9e8f7a-6b5d-4c3b-8a29-1e0f2d3c4b5a", groupId: "6f1b1a59-2b1f-4a8e-9a8e-0b2a1d3c4e5f" });
        assert.deepEqual(result.failures, [
            { property: "writeStrategy", reason: "writeStrategy must be one of: item, assign, auto" },
            { property: "adoptExisting", reason: "adoptExisting must be true or false (got string)" },
        ]);
        const legacy = providerPackage.dynamicProvider("ProvisioningPolicyAssignment", 7);
        const legacyResult = await legacy.check!({}, { policyId: "0c9e8f7a-6b5d-4c3b-8a29-1e0f2d3c4b5a", groupId: "6f1b1a59-2b1f-4a8e-9a8e-0b2a1d3c4e5f" });
        assert.deepEqual(legacyResult.failures, [{ property: "writeStrategy", reason: "writeStrategy must be one of: item, assign, auto (got number)" }]);
    });

    it("refuses invalid options with the same message in methods that run no check (refresh, destroy)", async () => {
        const provider = providerPackage.dynamicProvider("ProvisioningPolicyAssignment", "fast");
        await assert.rejects(provider.delete!("p_g", { policyId: "0c9e8f7a-6b5d-4c3b-8a29-1e0f2d3c4b5a", groupId: "6f1b1a59-2b1f-4a8e-9a8e-0b2a1d3c4e5f" }), /^Error: writeStrategy must be one of: item, assign, auto$/);
    });
});
