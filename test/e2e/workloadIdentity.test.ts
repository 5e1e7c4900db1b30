import assert from "node:assert/strict";
import type { Stack, UpResult, DestroyResult } from "@pulumi/pulumi/automation";
import { GroupPolicyConfigurationAssignment, targets } from "../../sdk";
import { startE2eWorld, type E2eWorld } from "./harness";

/** Anything shaped like a JWT: an OIDC token, a client assertion or an access token. */
const JWT = /eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\./;
const GROUP = "0c6f1e7a-4b2d-4e8f-9a31-5d7c2b8e6f10";
const VERBOSE = { logVerbosity: 9, debug: true, logToStdErr: true } as const;

/** Every variable that could pick another credential or token source; cleared for each run, then restored. */
const AUTH_VARIABLES = [
    "AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET", "AZURE_CLIENT_CERTIFICATE_PATH", "AZURE_FEDERATED_TOKEN_FILE",
    "ACTIONS_ID_TOKEN_REQUEST_URL", "ACTIONS_ID_TOKEN_REQUEST_TOKEN",
    "SYSTEM_OIDCREQUESTURI", "SYSTEM_ACCESSTOKEN", "AZURESUBSCRIPTION_SERVICE_CONNECTION_ID",
    "AZURESUBSCRIPTION_TENANT_ID", "AZURESUBSCRIPTION_CLIENT_ID", "MSGRAPH_LOG_LEVEL",
];

/**
 * Runs `fn` with exactly `vars` among AUTH_VARIABLES set in process.env (the CLI, and the provider plugin the
 * engine starts, inherit it), then restores the previous environment.
 */
async function withCiEnvironment<T>(vars: Record<string, string>, fn: () => Promise<T>): Promise<T> {
    const saved = new Map(AUTH_VARIABLES.map((name) => [name, process.env[name]]));
    for (const name of AUTH_VARIABLES) delete process.env[name];
    Object.assign(process.env, vars);
    try {
        return await fn();
    } finally {
        for (const [name, value] of saved) {
            if (value === undefined) delete process.env[name];
            else process.env[name] = value;
        }
    }
}

function leaks(where: string, text: string, secrets: Record<string, string>): string[] {
    const found = Object.entries(secrets).filter(([, value]) => text.includes(value)).map(([what]) => `${what} in ${where}`);
    const jwt = JWT.exec(text);
    if (jwt) found.push(`a JWT in ${where} near: ${text.slice(Math.max(0, jwt.index - 80), jwt.index)}`);
    return found;
}

describe("workload identity federation (OIDC, no client secret) end to end", function () {
    this.timeout(600_000);
    let world: E2eWorld;
    let policyId: string;

    before(async () => {
        world = await startE2eWorld("workload-identity", { faults: { rateLimit: false } });
        policyId = world.emulator.admin.seedPolicy("groupPolicyConfigurations", { displayName: "Workload identity" }).id;
    });
    after(() => world?.dispose());

    /** A stack whose config has the emulator endpoints and CA but no credential and no tenant or client id. */
    async function credentiallessStack(name: string): Promise<Stack> {
        const stack = await world.stack(async () => {
            const a = new GroupPolicyConfigurationAssignment(`${name}-assignment`, { policyId, target: targets.group(GROUP) });
            return { id: a.assignmentId };
        }, { stackName: name });
        for (const key of ["msgraph:clientSecret", "msgraph:tenantId", "msgraph:clientId"]) await stack.removeConfig(key);
        const config = await stack.getAllConfig();
        assert.deepEqual(Object.keys(config).filter((k) => /secret|tenantId|clientId/i.test(k)), [], "no credential in config");
        assert.ok(config["msgraph:caCertPath"], "the CA reaches the provider only through msgraph:caCertPath");
        return stack;
    }

    /** up + destroy; returns everything printed plus the exported state after up. */
    async function upAndDestroy(stack: Stack): Promise<{ up: UpResult; destroy: DestroyResult; transcript: Record<string, string> }> {
        let output = "";
        const onOutput = (s: string) => (output += s);
        const up = await stack.up({ ...VERBOSE, onOutput });
        assert.equal(up.summary.result, "succeeded");
        assert.equal(up.summary.resourceChanges?.create, 2);
        const exported = JSON.stringify(await stack.exportStack());
        assert.ok(exported.includes("assignmentId"), "the export holds the assignment");
        const listed = world.emulator.admin.listAssignments("groupPolicyConfigurations", policyId);
        assert.deepEqual(listed.map((a) => a.target.groupId), [GROUP], "the assignment exists in Graph");
        const destroy = await stack.destroy({ ...VERBOSE, onOutput });
        assert.equal(destroy.summary.resourceChanges?.delete, 2);
        assert.deepEqual(world.emulator.admin.listAssignments("groupPolicyConfigurations", policyId), [], "destroy removed it");
        return {
            up, destroy,
            transcript: {
                "exported state": exported, "up stdout": up.stdout, "up stderr": up.stderr,
                "destroy stdout": destroy.stdout, "destroy stderr": destroy.stderr, "streamed output": output,
            },
        };
    }

    /** Token requests of the run: all federated, with the expected issuer and subject. */
    function assertFederatedOnly(issuer: string, subject: string): void {
        const tokenRequests = world.emulator.log().filter((e) => e.path.endsWith("/oauth2/v2.0/token"));
        assert.ok(tokenRequests.length >= 1, "the provider asked Entra for a token");
        for (const entry of tokenRequests) {
            assert.equal(entry.status, 200);
            assert.equal(entry.credential, "federated", "every token came from a federated assertion");
            assert.equal(entry.federatedIssuer, issuer);
            assert.equal(entry.federatedSubject, subject);
            assert.equal((entry.body as Record<string, unknown>).client_assertion_type, "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
        }
    }

    it("GitHub Actions: ACTIONS_ID_TOKEN_REQUEST_URL/TOKEN + AZURE_TENANT_ID/AZURE_CLIENT_ID", async () => {
        const emu = world.emulator;
        const stack = await credentiallessStack("github");
        emu.admin.clearLog();
        const { transcript } = await withCiEnvironment({
            ACTIONS_ID_TOKEN_REQUEST_URL: emu.githubOidc.requestUrl,
            ACTIONS_ID_TOKEN_REQUEST_TOKEN: emu.githubOidc.requestToken,
            AZURE_TENANT_ID: emu.tenantId,
            AZURE_CLIENT_ID: emu.clientId,
            MSGRAPH_LOG_LEVEL: "debug",
        }, () => upAndDestroy(stack));
        assertFederatedOnly(emu.githubOidc.issuer, emu.githubOidc.subject);
        const idTokenRequests = emu.log().filter((e) => e.path.startsWith("/github-oidc/"));
        assert.ok(idTokenRequests.length >= 1, "the provider fetched GitHub ID tokens");
        for (const e of idTokenRequests) {
            assert.equal(e.status, 200);
            assert.equal(e.query.audience, "api://AzureADTokenExchange");
            assert.equal(e.query["api-version"], "2.0", "the request URL's own query was kept");
        }
        const found = Object.entries(transcript).flatMap(([where, text]) =>
            leaks(where, text, { "the GitHub request token": emu.githubOidc.requestToken, "the client secret": emu.clientSecret }));
        assert.deepEqual(found, []);
    });

    it("Azure DevOps: SYSTEM_OIDCREQUESTURI, SYSTEM_ACCESSTOKEN, AZURESUBSCRIPTION_SERVICE_CONNECTION_ID/_TENANT_ID/_CLIENT_ID", async () => {
        const emu = world.emulator;
        const stack = await credentiallessStack("azure-devops");
        emu.admin.clearLog();
        const { transcript } = await withCiEnvironment({
            SYSTEM_OIDCREQUESTURI: emu.azureDevOpsOidc.oidcRequestUri,
            SYSTEM_ACCESSTOKEN: emu.azureDevOpsOidc.systemAccessToken,
            AZURESUBSCRIPTION_SERVICE_CONNECTION_ID: emu.azureDevOpsOidc.serviceConnectionId,
            AZURESUBSCRIPTION_TENANT_ID: emu.tenantId,
            AZURESUBSCRIPTION_CLIENT_ID: emu.clientId,
            MSGRAPH_LOG_LEVEL: "debug",
        }, () => upAndDestroy(stack));
        assertFederatedOnly(emu.azureDevOpsOidc.issuer, emu.azureDevOpsOidc.subject);
        const oidcRequests = emu.log().filter((e) => e.path.startsWith("/ado-oidc/"));
        assert.ok(oidcRequests.length >= 1, "the provider asked Azure DevOps for OIDC tokens");
        for (const e of oidcRequests) {
            assert.equal(e.method, "POST");
            assert.equal(e.status, 200);
            assert.equal(e.query.serviceConnectionId, emu.azureDevOpsOidc.serviceConnectionId);
        }
        const found = Object.entries(transcript).flatMap(([where, text]) =>
            leaks(where, text, { "SYSTEM_ACCESSTOKEN": emu.azureDevOpsOidc.systemAccessToken, "the client secret": emu.clientSecret }));
        assert.deepEqual(found, []);
    });

    it("the leak check recognizes the OIDC tokens the emulator issues", async () => {
        const token = await world.emulator.mintOidcToken("github", { sub: "x", aud: "api://AzureADTokenExchange" });
        assert.equal(leaks("probe", `{"value":"${token}"}`, {}).length, 1);
    });
});
