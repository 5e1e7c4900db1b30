import assert from "node:assert/strict";
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { AUTH_ENVIRONMENT_VARIABLES, sharedClientKey } from "../../../provider/graph";
import { configure, currentAuthSettings } from "../../../provider";

const TENANT = "11111111-2222-4333-8444-555555555555";
const CLIENT = "66666666-7777-4888-9999-000000000000";

function configOf(values: Record<string, string>): dynamic.Config {
    return { get: (key: string) => values[key], require: (key: string) => values[key]! } as unknown as dynamic.Config;
}

describe("provider settings reuse", () => {
    const saved = { ...process.env };
    afterEach(() => {
        for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
        Object.assign(process.env, saved);
    });

    it("lists every variable the settings are read from", () => {
        for (const name of ["AZURE_TENANT_ID", "AZURESUBSCRIPTION_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET", "AZURE_CLIENT_CERTIFICATE_PATH", "AZURE_FEDERATED_TOKEN_FILE", "MSGRAPH_BASE_URL", "AZURE_AUTHORITY_HOST", "ACTIONS_ID_TOKEN_REQUEST_URL", "ACTIONS_ID_TOKEN_REQUEST_TOKEN", "SYSTEM_OIDCREQUESTURI", "SYSTEM_ACCESSTOKEN", "AZURESUBSCRIPTION_SERVICE_CONNECTION_ID"]) {
            assert.ok(AUTH_ENVIRONMENT_VARIABLES.includes(name), name);
        }
    });

    it("resolves again when a variable it reads changes between operations", async () => {
        process.env.AZURE_CLIENT_SECRET = "secret-one-1234567890";
        await configure({ config: configOf({ "msgraph:tenantId": TENANT, "msgraph:clientId": CLIENT }) } as dynamic.ConfigureRequest);
        const before = currentAuthSettings();
        process.env.UNRELATED_VARIABLE = "x";
        assert.equal(currentAuthSettings(), before, "another variable does not count");
        process.env.MSGRAPH_BASE_URL = "https://localhost:8443/";
        assert.equal(currentAuthSettings().graphBaseUrl, "https://localhost:8443");
    });

    it("resolves the settings once while config and environment stay the same, and again when either changes", async () => {
        process.env.AZURE_CLIENT_SECRET = "secret-one-1234567890";
        delete process.env.MSGRAPH_BASE_URL;
        await configure({ config: configOf({ "msgraph:tenantId": TENANT, "msgraph:clientId": CLIENT }) } as dynamic.ConfigureRequest);
        const first = currentAuthSettings();
        assert.equal(currentAuthSettings(), first, "the same settings object: nothing resolved or hashed again");
        assert.equal(sharedClientKey(first), sharedClientKey(first));

        process.env.AZURE_CLIENT_SECRET = "secret-two-1234567890";
        const rotated = currentAuthSettings();
        assert.notEqual(rotated, first);
        assert.equal(rotated.clientSecret, "secret-two-1234567890");
        assert.notEqual(sharedClientKey(rotated), sharedClientKey(first));

        const otherTenant = "99999999-2222-4333-8444-555555555555";
        await configure({ config: configOf({ "msgraph:tenantId": otherTenant, "msgraph:clientId": CLIENT }) } as dynamic.ConfigureRequest);
        assert.equal(currentAuthSettings().tenantId, otherTenant);
    });

    it("keeps nothing from a resolution that failed: the next call names the missing setting again", async () => {
        delete process.env.AZURE_CLIENT_SECRET;
        await configure({ config: configOf({ "msgraph:tenantId": TENANT, "msgraph:clientId": CLIENT, "msgraph:authMethod": "clientSecret" }) } as dynamic.ConfigureRequest);
        assert.throws(() => currentAuthSettings(), /clientSecret/);
        assert.throws(() => currentAuthSettings(), /clientSecret/);
        process.env.AZURE_CLIENT_SECRET = "secret-one-1234567890";
        assert.equal(currentAuthSettings().clientSecret, "secret-one-1234567890");
    });
});
