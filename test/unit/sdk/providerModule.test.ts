import assert from "node:assert/strict";
import { Module } from "node:module";
import path from "node:path";
import { providerModuleText } from "../../../sdk/dynamicAssignmentResource";
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
        const text = providerModuleText("CloudPcProvisioningPolicyAssignment", "assign");
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
        const text = providerModuleText("GroupPolicyConfigurationAssignment", hostile);
        let strategy: unknown;
        loadProviderModule(text, () => ({ dynamicProvider: (_kind: string, s: string) => ((strategy = s), {}) })).handler();
        assert.equal(strategy, hostile);
    });
});
