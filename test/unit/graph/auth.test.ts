import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/identity";
import {
    AzurePipelinesCredential,
    ClientAssertionCredential,
    ClientCertificateCredential,
    ClientSecretCredential,
    DefaultAzureCredential,
    ManagedIdentityCredential,
    WorkloadIdentityCredential,
    AzureCliCredential,
} from "@azure/identity";
import {
    TokenCache,
    createCredential,
    getSharedGraphClient,
    resetSharedGraphClients,
    resolveAuthSettings,
    sharedClientKey,
    type AuthSettings,
} from "../../../provider/graph";
import { defaultCertDir, generateClientCertificate, startEmulator, type EmulatorApp, type RunningEmulator } from "../../../emulator";

const TENANT = "11111111-1111-1111-1111-111111111111";
const CLIENT = "22222222-2222-2222-2222-222222222222";
const SECRET = "very-secret-client-secret";

/** `new pulumi.Config("msgraph")`-like source over short keys. */
function config(values: Record<string, string>): { get(key: string): string | undefined } {
    return { get: (key) => values[key] };
}

describe("resolveAuthSettings", () => {
    it("prefers config over env, field by field", () => {
        const s = resolveAuthSettings(config({ tenantId: TENANT, clientSecret: SECRET }), {
            AZURE_TENANT_ID: "33333333-3333-3333-3333-333333333333",
            AZURE_CLIENT_ID: CLIENT,
            AZURE_CLIENT_SECRET: "env-secret-value",
        });
        assert.equal(s.method, "clientSecret");
        assert.equal(s.tenantId, TENANT);
        assert.equal(s.clientId, CLIENT);
        assert.equal(s.clientSecret, SECRET);
        assert.equal(s.graphBaseUrl, "https://graph.microsoft.com");
        assert.equal(s.scope, "https://graph.microsoft.com/.default");
        assert.equal(s.apiVersion, "beta");
    });
    it("accepts full `msgraph:` keys too", () => {
        const s = resolveAuthSettings(config({ "msgraph:authMethod": "azureCli", "msgraph:cloud": "usgov" }), {});
        assert.equal(s.method, "azureCli");
        assert.equal(s.graphBaseUrl, "https://graph.microsoft.us");
    });
    it("infers clientCertificate, workloadIdentity and default", () => {
        assert.equal(
            resolveAuthSettings(config({}), { AZURE_TENANT_ID: TENANT, AZURE_CLIENT_ID: CLIENT, AZURE_CLIENT_CERTIFICATE_PATH: "/c.pem" }).method,
            "clientCertificate",
        );
        assert.equal(
            resolveAuthSettings(config({ tenantId: TENANT, clientId: CLIENT, clientCertificatePem: "-----BEGIN" }), {}).method,
            "clientCertificate",
        );
        const wi = resolveAuthSettings(config({}), { AZURE_TENANT_ID: TENANT, AZURE_CLIENT_ID: CLIENT, AZURE_FEDERATED_TOKEN_FILE: "/var/run/token" });
        assert.equal(wi.method, "workloadIdentity");
        assert.equal(wi.federatedTokenFile, "/var/run/token");
        assert.equal(resolveAuthSettings(config({}), {}).method, "default");
    });
    it("names the missing tenant clearly", () => {
        assert.throws(
            () => resolveAuthSettings(config({ clientId: CLIENT, clientSecret: SECRET }), {}),
            (e: Error) => {
                assert.match(e.message, /needs tenantId/);
                assert.match(e.message, /msgraph:tenantId/);
                assert.match(e.message, /AZURE_TENANT_ID/);
                assert.ok(!e.message.includes(SECRET));
                return true;
            },
        );
    });
    it("names a missing secret with the --secret hint and never echoes values", () => {
        assert.throws(
            () => resolveAuthSettings(config({ authMethod: "clientSecret", tenantId: TENANT, clientId: CLIENT }), {}),
            /needs clientSecret: set it with `pulumi config set --secret msgraph:clientSecret <value>`/,
        );
        assert.throws(() => resolveAuthSettings(config({ authMethod: "password" }), {}), /authMethod must be one of/);
        assert.throws(() => resolveAuthSettings(config({ tenantId: "a/b" }), {}), /tenantId must be a GUID/);
    });
    it("reads emulator endpoints and the CA path", () => {
        const s = resolveAuthSettings(
            config({ graphBaseUrl: "https://127.0.0.1:8443", authorityHost: "https://127.0.0.1:8443", caCertPath: "/tmp/ca.pem", clientSecret: SECRET, tenantId: TENANT, clientId: CLIENT }),
            {},
        );
        assert.equal(s.graphBaseUrl, "https://127.0.0.1:8443");
        assert.equal(s.authorityHost, "https://127.0.0.1:8443");
        assert.equal(s.scope, "https://graph.microsoft.com/.default");
        assert.equal(s.caCertPath, "/tmp/ca.pem");
    });
    describe("workload identity federation (OIDC) sources", () => {
        const REQUEST_TOKEN = "ghrt_request-token-value-0001";
        const ACCESS_TOKEN = "adost_system-access-token-0001";
        const SC = "d7c1e5a9-2f4b-4c83-a6e0-9b3f5d2c8e17";
        const github = {
            ACTIONS_ID_TOKEN_REQUEST_URL: "https://pipelines.actions.githubusercontent.com/abc/idtoken?api-version=2.0",
            ACTIONS_ID_TOKEN_REQUEST_TOKEN: REQUEST_TOKEN,
        };
        const ado = {
            SYSTEM_OIDCREQUESTURI: "https://dev.azure.com/contoso/p/_apis/distributedtask/hubs/build/plans/x/jobs/y/oidctoken",
            SYSTEM_ACCESSTOKEN: ACCESS_TOKEN,
            AZURESUBSCRIPTION_SERVICE_CONNECTION_ID: SC,
        };
        const ids = { AZURE_TENANT_ID: TENANT, AZURE_CLIENT_ID: CLIENT };
        const noValues = (e: Error): boolean => !e.message.includes(REQUEST_TOKEN) && !e.message.includes(ACCESS_TOKEN);

        it("infers workloadIdentity from GitHub Actions' variables and keeps only GitHub's values", () => {
            const s = resolveAuthSettings(config({}), { ...ids, ...github, SYSTEM_OIDCREQUESTURI: ado.SYSTEM_OIDCREQUESTURI, SYSTEM_ACCESSTOKEN: ACCESS_TOKEN });
            assert.equal(s.method, "workloadIdentity");
            assert.equal(s.workloadIdentitySource, "githubActions");
            assert.equal(s.githubOidcRequestUrl, github.ACTIONS_ID_TOKEN_REQUEST_URL);
            assert.equal(s.githubOidcRequestToken, REQUEST_TOKEN);
            assert.equal(s.systemAccessToken, undefined, "no Azure DevOps token carried into a GitHub run");
            assert.equal(s.azurePipelinesOidcRequestUri, undefined);
        });
        it("infers Azure DevOps from a service connection, with AZURESUBSCRIPTION_* ids as fallbacks", () => {
            const s = resolveAuthSettings(config({}), { ...ado, AZURESUBSCRIPTION_TENANT_ID: TENANT, AZURESUBSCRIPTION_CLIENT_ID: CLIENT });
            assert.equal(s.method, "workloadIdentity");
            assert.equal(s.workloadIdentitySource, "azurePipelines");
            assert.equal(s.tenantId, TENANT);
            assert.equal(s.clientId, CLIENT);
            assert.equal(s.serviceConnectionId, SC);
            assert.equal(s.azurePipelinesOidcRequestUri, ado.SYSTEM_OIDCREQUESTURI);
            assert.equal(s.systemAccessToken, ACCESS_TOKEN);
            assert.equal(s.githubOidcRequestToken, undefined);
            const fromConfig = resolveAuthSettings(config({ serviceConnectionId: "aaaaaaaa-0000-4000-8000-000000000001" }), { ...ado, ...ids });
            assert.equal(fromConfig.serviceConnectionId, "aaaaaaaa-0000-4000-8000-000000000001", "config beats env");
            const azureFirst = resolveAuthSettings(config({}), { ...ado, ...ids, AZURESUBSCRIPTION_TENANT_ID: "33333333-3333-3333-3333-333333333333" });
            assert.equal(azureFirst.tenantId, TENANT, "AZURE_TENANT_ID wins over AZURESUBSCRIPTION_TENANT_ID");
        });
        it("orders sources: token file, then GitHub, then Azure DevOps", () => {
            assert.equal(resolveAuthSettings(config({}), { ...ids, ...github, ...ado, AZURE_FEDERATED_TOKEN_FILE: "/t" }).workloadIdentitySource, "federatedTokenFile");
            assert.equal(resolveAuthSettings(config({}), { ...ids, ...github, ...ado }).workloadIdentitySource, "githubActions");
            assert.equal(resolveAuthSettings(config({}), { ...ids, ...ado }).workloadIdentitySource, "azurePipelines");
        });
        it("lets a configured secret or certificate win over CI OIDC variables", () => {
            assert.equal(resolveAuthSettings(config({ clientSecret: SECRET }), { ...ids, ...github, ...ado }).method, "clientSecret");
            assert.equal(resolveAuthSettings(config({}), { ...ids, ...github, AZURE_CLIENT_CERTIFICATE_PATH: "/c.pem" }).method, "clientCertificate");
        });
        it("does not treat every Azure Pipelines job (SYSTEM_OIDCREQUESTURI alone) or half of GitHub's pair as federation", () => {
            const { AZURESUBSCRIPTION_SERVICE_CONNECTION_ID: _sc, ...adoWithoutConnection } = ado;
            assert.equal(resolveAuthSettings(config({}), { ...ids, ...adoWithoutConnection }).method, "default");
            assert.equal(resolveAuthSettings(config({}), { ...ids, ACTIONS_ID_TOKEN_REQUEST_URL: github.ACTIONS_ID_TOKEN_REQUEST_URL }).method, "default");
        });
        it("names a missing SYSTEM_ACCESSTOKEN with the mapping to add, and a missing SYSTEM_OIDCREQUESTURI", () => {
            const { SYSTEM_ACCESSTOKEN: _a, ...noAccess } = ado;
            assert.throws(() => resolveAuthSettings(config({}), { ...ids, ...noAccess }), (e: Error) =>
                /needs SYSTEM_ACCESSTOKEN: map it into the step's environment \(`env: SYSTEM_ACCESSTOKEN: \$\(System\.AccessToken\)`\)/.test(e.message));
            const { SYSTEM_OIDCREQUESTURI: _u, ...noUri } = ado;
            assert.throws(() => resolveAuthSettings(config({}), { ...ids, ...noUri }), (e: Error) =>
                /needs SYSTEM_OIDCREQUESTURI/.test(e.message) && noValues(e));
        });
        it("names the missing tenant and client for GitHub with every place they can come from", () => {
            assert.throws(() => resolveAuthSettings(config({}), { ...github }), (e: Error) =>
                /"workloadIdentity" needs tenantId: set it with `pulumi config set msgraph:tenantId <value>` or the AZURE_TENANT_ID or AZURESUBSCRIPTION_TENANT_ID environment variable/.test(e.message) && noValues(e));
            assert.throws(() => resolveAuthSettings(config({}), { ...github, AZURE_TENANT_ID: TENANT }), (e: Error) =>
                /needs clientId: .*AZURE_CLIENT_ID or AZURESUBSCRIPTION_CLIENT_ID/.test(e.message) && noValues(e));
        });
        it("explains every token source when workloadIdentity is chosen without one", () => {
            assert.throws(() => resolveAuthSettings(config({ authMethod: "workloadIdentity" }), ids), (e: Error) => {
                assert.match(e.message, /needs a federated token source/);
                for (const name of ["msgraph:federatedTokenFile", "AZURE_FEDERATED_TOKEN_FILE", "permissions: id-token: write", "ACTIONS_ID_TOKEN_REQUEST_URL",
                    "ACTIONS_ID_TOKEN_REQUEST_TOKEN", "msgraph:serviceConnectionId", "AZURESUBSCRIPTION_SERVICE_CONNECTION_ID", "SYSTEM_OIDCREQUESTURI", "SYSTEM_ACCESSTOKEN"]) {
                    assert.ok(e.message.includes(name), name);
                }
                return true;
            });
            assert.throws(
                () => resolveAuthSettings(config({ authMethod: "workloadIdentity" }), { ...ids, ACTIONS_ID_TOKEN_REQUEST_URL: github.ACTIONS_ID_TOKEN_REQUEST_URL }),
                /only one of ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN \(ACTIONS_ID_TOKEN_REQUEST_TOKEN is missing\)/,
            );
            assert.throws(
                () => resolveAuthSettings(config({ authMethod: "workloadIdentity" }), { ...ids, ACTIONS_ID_TOKEN_REQUEST_TOKEN: REQUEST_TOKEN }),
                (e: Error) => /ACTIONS_ID_TOKEN_REQUEST_URL is missing/.test(e.message) && noValues(e),
            );
        });
        it("builds ClientAssertionCredential for GitHub and AzurePipelinesCredential for Azure DevOps without touching process.env", () => {
            const gh = resolveAuthSettings(config({}), { ...ids, ...github });
            assert.ok(createCredential(gh) instanceof ClientAssertionCredential);
            const before = process.env.SYSTEM_OIDCREQUESTURI;
            const azdo = resolveAuthSettings(config({}), { ...ids, ...ado });
            assert.ok(createCredential(azdo) instanceof AzurePipelinesCredential);
            assert.equal(process.env.SYSTEM_OIDCREQUESTURI, before);
        });
        it("keys shared clients on the token source, hashing the request tokens", () => {
            const gh = resolveAuthSettings(config({}), { ...ids, ...github });
            const key = sharedClientKey(gh);
            assert.ok(!key.includes(REQUEST_TOKEN));
            assert.notEqual(key, sharedClientKey({ ...gh, githubOidcRequestToken: "ghrt_another-request-token" }));
            const azdo = resolveAuthSettings(config({}), { ...ids, ...ado });
            assert.ok(!sharedClientKey(azdo).includes(ACCESS_TOKEN));
            assert.notEqual(sharedClientKey(azdo), key);
        });
        it("scrubs request tokens and OIDC JWTs from credential errors", async () => {
            const jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyZXBvOmNvbnRvc28ifQ.c2lnbmF0dXJl";
            const gh = resolveAuthSettings(config({}), { ...ids, ...github });
            const client = getSharedGraphClient(gh, {
                credentialFactory: () => ({ getToken: async () => { throw new Error(`OIDC failed for ${REQUEST_TOKEN}: assertion ${jwt}`); } }),
            });
            try {
                await assert.rejects(client.get("/deviceManagement/groupPolicyConfigurations"), (e: Error) => {
                    assert.match(e.message, /could not get a token/);
                    assert.ok(!e.message.includes(REQUEST_TOKEN), e.message);
                    assert.ok(!e.message.includes(jwt), e.message);
                    return true;
                });
            } finally {
                resetSharedGraphClients();
            }
        });
    });
    it("uses AZURE_AUTHORITY_HOST as a fallback", () => {
        assert.equal(resolveAuthSettings(config({}), { AZURE_AUTHORITY_HOST: "https://login.microsoftonline.us" }).authorityHost, "https://login.microsoftonline.us");
    });
});

/** Resolved client-secret settings for the global cloud, shared by the credential and client-cache suites. */
const clientSecretSettings: AuthSettings = {
    method: "clientSecret",
    tenantId: TENANT,
    clientId: CLIENT,
    clientSecret: SECRET,
    cloud: "global",
    graphBaseUrl: "https://graph.microsoft.com",
    authorityHost: "https://login.microsoftonline.com",
    scope: "https://graph.microsoft.com/.default",
    apiVersion: "beta",
};

describe("createCredential", () => {
    const base = clientSecretSettings;
    it("builds the credential of each method", () => {
        assert.ok(createCredential(base) instanceof ClientSecretCredential);
        assert.ok(createCredential({ ...base, method: "clientCertificate", clientCertificatePath: "/c.pem" }) instanceof ClientCertificateCredential);
        assert.ok(createCredential({ ...base, method: "workloadIdentity", federatedTokenFile: "/t" }) instanceof WorkloadIdentityCredential);
        assert.ok(createCredential({
            ...base, method: "workloadIdentity", workloadIdentitySource: "githubActions",
            githubOidcRequestUrl: "https://example.invalid/idtoken?api-version=2.0", githubOidcRequestToken: "ghrt_x",
        }) instanceof ClientAssertionCredential);
        assert.ok(createCredential({ ...base, method: "managedIdentity" }) instanceof ManagedIdentityCredential);
        assert.ok(createCredential({ ...base, method: "azureCli" }) instanceof AzureCliCredential);
        assert.ok(createCredential({ ...base, method: "default", authorityHost: "https://127.0.0.1:8443" }) instanceof DefaultAzureCredential);
    });
    it("names a missing setting", () => {
        const { tenantId: _t, ...noTenant } = base;
        assert.throws(() => createCredential(noTenant as AuthSettings), /needs tenantId/);
    });
});

class FakeCredential implements TokenCredential {
    public calls = 0;
    public pending: ((t: AccessToken) => void)[] = [];
    public fail: Error | undefined;
    constructor(private readonly clock: { now: number }, private readonly lifetimeMs = 3_600_000, private readonly manual = false) {}
    getToken(_scopes: string | string[], _o?: GetTokenOptions): Promise<AccessToken | null> {
        this.calls += 1;
        const n = this.calls;
        if (this.fail !== undefined) return Promise.reject(this.fail);
        const token = { token: `token-${n}`, expiresOnTimestamp: this.clock.now + this.lifetimeMs };
        if (this.manual) return new Promise((resolve) => this.pending.push(() => resolve(token)));
        return Promise.resolve(token);
    }
}

describe("TokenCache", () => {
    it("shares one in-flight refresh between concurrent callers", async () => {
        const clock = { now: 1_000_000 };
        const cred = new FakeCredential(clock, 3_600_000, true);
        const cache = new TokenCache(cred, "s/.default", { now: () => clock.now });
        const all = Promise.all([cache.getToken(), cache.getToken(), cache.getToken()]);
        await Promise.resolve();
        assert.equal(cred.calls, 1);
        for (const r of cred.pending) r({ token: "", expiresOnTimestamp: 0 });
        assert.deepEqual(await all, ["token-1", "token-1", "token-1"]);
        assert.equal(await cache.getToken(), "token-1");
        assert.equal(cred.calls, 1);
    });
    it("refreshes 5 minutes before expiry", async () => {
        const clock = { now: 0 };
        const cred = new FakeCredential(clock);
        const cache = new TokenCache(cred, "s/.default", { now: () => clock.now });
        assert.equal(await cache.getToken(), "token-1");
        clock.now = 3_600_000 - 5 * 60_000 - 1;
        assert.equal(await cache.getToken(), "token-1");
        clock.now = 3_600_000 - 5 * 60_000;
        assert.equal(await cache.getToken(), "token-2");
        assert.equal(cred.calls, 2);
    });
    it("honours refreshAfterTimestamp", async () => {
        const clock = { now: 0 };
        let n = 0;
        const cred: TokenCredential = {
            getToken: async () => ({ token: `t${++n}`, expiresOnTimestamp: clock.now + 3_600_000, refreshAfterTimestamp: clock.now + 1000 }),
        };
        const cache = new TokenCache(cred, "s", { now: () => clock.now });
        assert.equal(await cache.getToken(), "t1");
        clock.now = 1000;
        assert.equal(await cache.getToken(), "t2");
    });
    it("does not refresh on every call when tokens are short-lived", async () => {
        const clock = { now: 0 };
        const cred = new FakeCredential(clock, 60_000);
        const cache = new TokenCache(cred, "s", { now: () => clock.now });
        await cache.getToken();
        clock.now = 29_000;
        await cache.getToken();
        assert.equal(cred.calls, 1);
        clock.now = 30_000;
        await cache.getToken();
        assert.equal(cred.calls, 2);
    });
    it("keeps serving a valid token when an early refresh fails, and fails once expired", async () => {
        const clock = { now: 0 };
        const cred = new FakeCredential(clock);
        const cache = new TokenCache(cred, "s", { now: () => clock.now, secrets: () => [SECRET] });
        await cache.getToken();
        cred.fail = new Error(`AADSTS7000215: invalid secret ${SECRET}`);
        clock.now = 3_500_000;
        assert.equal(await cache.getToken(), "token-1");
        clock.now = 3_600_001;
        await assert.rejects(cache.getToken(), (e: Error) => !e.message.includes(SECRET) && /could not get a token/.test(e.message));
    });
    it("replaces a rejected token and invalidates", async () => {
        const clock = { now: 0 };
        const cred = new FakeCredential(clock);
        const cache = new TokenCache(cred, "s", { now: () => clock.now, secrets: () => [SECRET] });
        assert.equal(await cache.getToken(), "token-1");
        assert.equal(await cache.getToken({ rejectedToken: "token-1" }), "token-2");
        cache.invalidate();
        assert.equal(cache.currentToken, undefined);
        assert.equal(await cache.getToken(), "token-3");
    });
});

/**
 * Behaves like @azure/identity's secret, certificate and assertion credentials: each instance answers from its own
 * cache until the token is about to expire; only a call that misses the cache reaches the token endpoint.
 */
class CachingCredential implements TokenCredential {
    private cached: AccessToken | undefined;
    constructor(private readonly endpoint: { calls: number; fail?: Error }, private readonly clock: { now: number }) {}
    async getToken(): Promise<AccessToken | null> {
        if (this.cached !== undefined && this.clock.now < this.cached.expiresOnTimestamp - 5 * 60_000) return this.cached;
        this.endpoint.calls += 1;
        if (this.endpoint.fail !== undefined) throw this.endpoint.fail;
        this.cached = { token: `issued-${this.endpoint.calls}`, expiresOnTimestamp: this.clock.now + 3_600_000 };
        return this.cached;
    }
}

describe("TokenCache after Graph rejected a token", () => {
    it("gets a new token from a new credential (the old one would answer from its cache), once for all holders", async () => {
        const clock = { now: 0 };
        const endpoint = { calls: 0 };
        let built = 0;
        const renewCredential = (): TokenCredential => {
            built += 1;
            return new CachingCredential(endpoint, clock);
        };
        const cache = new TokenCache(new CachingCredential(endpoint, clock), "s", { now: () => clock.now, renewCredential });
        assert.equal(await cache.getToken(), "issued-1");
        const renewed = await Promise.all([1, 2, 3].map(() => cache.getToken({ rejectedToken: "issued-1" })));
        assert.deepEqual(renewed, ["issued-2", "issued-2", "issued-2"]);
        assert.equal(await cache.getToken({ rejectedToken: "issued-1" }), "issued-2", "a late holder of the rejected token gets its replacement");
        assert.equal(endpoint.calls, 2);
        assert.equal(built, 1);
        assert.equal(await cache.getToken(), "issued-2");
    });

    it("does not let a renewal join a plain refresh that is already in flight on the old credential", async () => {
        const clock = { now: 0 };
        let release: (() => void) | undefined;
        const oldToken = { token: "old", expiresOnTimestamp: 3_600_000 };
        let oldCalls = 0;
        // Answers from its cache: at once the first time, then held back (an early refresh in flight).
        const old: TokenCredential = {
            getToken: () => (++oldCalls === 1 ? Promise.resolve(oldToken) : new Promise<AccessToken>((resolve) => (release = () => resolve(oldToken)))),
        };
        const endpoint = { calls: 0 };
        const cache = new TokenCache(old, "s", { now: () => clock.now, renewCredential: () => new CachingCredential(endpoint, clock) });
        assert.equal(await cache.getToken(), "old");
        clock.now = 3_300_000;
        const earlyRefresh = cache.getToken();
        const renewal = cache.getToken({ rejectedToken: "old" });
        await new Promise((resolve) => setImmediate(resolve));
        assert.equal(endpoint.calls, 0, "the renewal waits for the refresh in flight");
        release!();
        assert.equal(await earlyRefresh, "old");
        assert.equal(await renewal, "issued-1");
        assert.equal(await cache.getToken(), "issued-1");
    });

    it("after a failed renewal, following requests fail with that error without a token call until the back-off has passed", async () => {
        const clock = { now: 0 };
        const endpoint: { calls: number; fail?: Error } = { calls: 0 };
        const cache = new TokenCache(new CachingCredential(endpoint, clock), "s", {
            now: () => clock.now, renewCredential: () => new CachingCredential(endpoint, clock), secrets: () => [SECRET],
        });
        assert.equal(await cache.getToken(), "issued-1");
        endpoint.fail = new Error(`AADSTS7000222: the secret ${SECRET} has expired`);
        await assert.rejects(cache.getToken({ rejectedToken: "issued-1" }), /could not get a token.*AADSTS7000222/);
        for (let i = 0; i < 5; i++) {
            await assert.rejects(cache.getToken(), (e: Error) => /AADSTS7000222/.test(e.message) && !e.message.includes(SECRET));
        }
        assert.equal(endpoint.calls, 2, "one failed token call, not one per request");
        clock.now += 5_000;
        delete endpoint.fail;
        assert.equal(await cache.getToken(), "issued-3");
    });
});

describe("TokenCache after a failed early refresh", () => {
    it("keeps serving the valid token and starts the next token call only after a back-off, not on every request", async () => {
        const clock = { now: 0 };
        const cred = new FakeCredential(clock);
        const cache = new TokenCache(cred, "s", { now: () => clock.now, failureBackoffMs: 10_000, maxFailureBackoffMs: 40_000 });
        assert.equal(await cache.getToken(), "token-1");
        cred.fail = new Error("AADSTS50058: temporarily unavailable");
        clock.now = 3_300_000; // past the early-refresh time (expiry minus 5 min), 5 min of validity left
        for (let i = 0; i < 20; i++) {
            assert.equal(await cache.getToken(), "token-1");
            clock.now += 100;
        }
        assert.equal(cred.calls, 2, "one failed refresh for 20 requests within the back-off");
        clock.now = 3_310_000;
        assert.equal(await cache.getToken(), "token-1");
        assert.equal(cred.calls, 3, "tried again after the back-off");
        clock.now = 3_320_000;
        assert.equal(await cache.getToken(), "token-1");
        assert.equal(cred.calls, 3, "the back-off doubles after a second failure");
        clock.now = 3_330_000;
        assert.equal(await cache.getToken(), "token-1");
        assert.equal(cred.calls, 4);
        clock.now = 3_580_000;
        assert.equal(await cache.getToken(), "token-1");
        assert.equal(cred.calls, 5);
        delete cred.fail;
        clock.now = 3_599_999; // the capped back-off (40 s) would reach past expiry: the next call is due at expiry
        assert.equal(await cache.getToken(), "token-1");
        assert.equal(cred.calls, 5);
        clock.now = 3_600_000;
        assert.equal(await cache.getToken(), "token-6");
    });

    it("shares one failing refresh between concurrent requests", async () => {
        const clock = { now: 0 };
        const cred = new FakeCredential(clock);
        const cache = new TokenCache(cred, "s", { now: () => clock.now });
        await cache.getToken();
        cred.fail = new Error("AADSTS50058: temporarily unavailable");
        clock.now = 3_400_000;
        assert.deepEqual(await Promise.all([1, 2, 3, 4].map(() => cache.getToken())), ["token-1", "token-1", "token-1", "token-1"]);
        assert.equal(cred.calls, 2);
    });
});

describe("getSharedGraphClient", () => {
    afterEach(() => resetSharedGraphClients());
    const settings = clientSecretSettings;
    it("returns one client per distinct settings", () => {
        let built = 0;
        const credentialFactory = (): TokenCredential => {
            built += 1;
            return { getToken: async () => null };
        };
        const a = getSharedGraphClient(settings, { credentialFactory });
        const b = getSharedGraphClient({ ...settings }, { credentialFactory });
        const c = getSharedGraphClient({ ...settings, clientSecret: "another-secret-value" }, { credentialFactory });
        assert.equal(a, b);
        assert.notEqual(a, c);
        assert.equal(built, 2);
    });
    it("keys on a hash of the secret, never the secret itself", () => {
        assert.ok(!sharedClientKey(settings).includes(SECRET));
    });
    it("names an unreadable CA file", () => {
        assert.throws(() => getSharedGraphClient({ ...settings, caCertPath: "/nonexistent/ca.pem" }), /caCertPath cannot be read \(ENOENT\)/);
    });
});

/**
 * A certificate folder with the default one's CA and server certificate but a new token-signing key: an emulator
 * restarted on it (same port, same TLS trust) no longer accepts the tokens it issued before, as after Entra's key
 * rollover or a revocation, while those tokens are far from expiry.
 */
function certDirWithNewSigningKey(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "msgraph-rolled-keys-"));
    for (const name of ["ca.pem", "ca-key.pem", "server.pem", "server-key.pem"]) {
        fs.copyFileSync(path.join(defaultCertDir(), name), path.join(dir, name));
    }
    const key = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs8", format: "pem" });
    fs.writeFileSync(path.join(dir, "token-signing-key.pem"), key, { mode: 0o600 });
    return dir;
}

describe("token renewal after a 401, with @azure/identity against the emulator", function () {
    this.timeout(60_000);
    const ROLES = ["DeviceManagementConfiguration.ReadWrite.All"];
    const cert = generateClientCertificate("renewal-test");
    const certApp: EmulatorApp = { tenantId: "6f1d9c4e-2b7a-4e3f-9a51-0c8d7e6b5a42", clientId: "c0ffee00-0000-4000-8000-0000000000c2", certificatePem: cert.certificatePem, roles: ROLES };
    const secretApp: EmulatorApp = { tenantId: "7a2e0d5f-3c8b-4f40-8b62-1d9e8f7c6b53", clientId: "c0ffee00-0000-4000-8000-0000000000c3", clientSecret: "renewal-test-secret-value", roles: ROLES };
    const GPC = "/deviceManagement/groupPolicyConfigurations";
    let rolledCertDir: string;
    const running: RunningEmulator[] = [];
    const start = async (options: Parameters<typeof startEmulator>[0]): Promise<RunningEmulator> => {
        const emu = await startEmulator(options);
        running.push(emu);
        return emu;
    };
    before(async () => {
        await (await start({ port: 0 })).stop(); // makes sure the default certificate folder exists
        rolledCertDir = certDirWithNewSigningKey();
    });
    after(() => fs.rmSync(rolledCertDir, { recursive: true, force: true }));
    afterEach(async () => {
        resetSharedGraphClients();
        await Promise.all(running.splice(0).map((e) => e.stop()));
    });

    /** The shared client of `settings`, with the real credentials; records every token they hand out. */
    const sharedClient = (settings: AuthSettings) => {
        const issued: string[] = [];
        const credentials: TokenCredential[] = [];
        const client = getSharedGraphClient(settings, {
            credentialFactory: (s, o) => {
                const credential = createCredential(s, o);
                credentials.push(credential);
                return {
                    getToken: async (scopes, options) => {
                        const token = await credential.getToken(scopes, options);
                        if (token !== null) issued.push(token.token);
                        return token;
                    },
                };
            },
        });
        return { client, issued, credentials };
    };
    const settingsFor = (emu: RunningEmulator, values: Record<string, string>): AuthSettings =>
        resolveAuthSettings(config({ graphBaseUrl: emu.graphBaseUrl, authorityHost: emu.authorityHost, caCertPath: emu.caCertPath, ...values }), {});
    const tokenRequests = (emu: RunningEmulator) => emu.log().filter((e) => e.path.endsWith("/oauth2/v2.0/token"));
    const graphStatuses = (emu: RunningEmulator) => emu.log().filter((e) => e.path.startsWith("/beta/")).map((e) => e.status);

    for (const [method, credentialClass, values] of [
        ["clientSecret", ClientSecretCredential, { tenantId: secretApp.tenantId, clientId: secretApp.clientId, clientSecret: secretApp.clientSecret! }],
        ["clientCertificate", ClientCertificateCredential, { tenantId: certApp.tenantId, clientId: certApp.clientId, clientCertificatePem: cert.combinedPem }],
    ] as const) {
        it(`${method}: requests a new token from the token endpoint once when Graph rejects a valid one, and uses it`, async () => {
            const first = await start({ port: 0, apps: [secretApp, certApp] });
            const { client, issued, credentials } = sharedClient(settingsFor(first, values));
            assert.equal((await client.get(GPC)).status, 200);
            assert.ok(credentials[0] instanceof credentialClass);
            const port = first.port;
            await first.stop();
            const rolled = await start({ port, certDir: rolledCertDir, apps: [secretApp, certApp] });

            // Concurrent requests all meet the rejection; one renewal serves them all.
            const answers = await Promise.all([1, 2, 3, 4].map(() => client.get(GPC)));
            assert.deepEqual(answers.map((a) => a.status), [200, 200, 200, 200]);
            assert.equal(tokenRequests(rolled).length, 1, "one token request after the 401s");
            assert.equal(credentials.length, 2, "the renewal used a new credential (the first answers from its cache)");
            assert.ok(credentials[1] instanceof credentialClass);
            assert.equal(new Set(issued).size, 2);
            assert.notEqual(issued.at(-1), issued[0]);
            assert.deepEqual(graphStatuses(rolled).filter((s) => s === 401).length > 0, true);
            assert.equal(graphStatuses(rolled).at(-1), 200);
            assert.equal((await client.get(GPC)).status, 200);
            assert.equal(tokenRequests(rolled).length, 1, "the new token is cached");
        });
    }

    it("after a failed renewal, following Graph requests do not each start a token request", async () => {
        const first = await start({ port: 0, apps: [secretApp] });
        const { client } = sharedClient(settingsFor(first, { tenantId: secretApp.tenantId, clientId: secretApp.clientId, clientSecret: secretApp.clientSecret! }));
        assert.equal((await client.get(GPC)).status, 200);
        const port = first.port;
        await first.stop();
        // The app's secret was replaced meanwhile: the renewal fails (AADSTS7000215).
        const rolled = await start({ port, certDir: rolledCertDir, apps: [{ ...secretApp, clientSecret: "the-next-secret-value" }] });
        for (let i = 0; i < 5; i++) {
            await assert.rejects(client.get(GPC), (e: Error) => {
                assert.match(e.message, /could not get a token.*AADSTS7000215/);
                assert.ok(!e.message.includes(secretApp.clientSecret!));
                return true;
            });
        }
        assert.equal(tokenRequests(rolled).length, 1, "one failed token request for five Graph requests");
        assert.deepEqual(graphStatuses(rolled), [401], "only the first request reached Graph");
    });
});
