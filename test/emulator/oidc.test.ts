import assert from "node:assert/strict";
import { AzurePipelinesCredential, ClientAssertionCredential } from "@azure/identity";
import { generateKeyPair, SignJWT } from "jose";
import {
  DEFAULT_ADO_SERVICE_CONNECTION_ID,
  DEFAULT_GITHUB_SUBJECT,
  GITHUB_ACTIONS_ISSUER,
  TOKEN_EXCHANGE_AUDIENCE,
  startEmulator,
  trustEmulatorCa,
  type RunningEmulator,
} from "../../emulator";
import { gitHubOidcTokenFetcher } from "../../provider/graph/githubOidc";
import { call, GPC, tokenRequest, type Reply } from "./helpers";

const SCOPE = "https://graph.microsoft.com/.default";
const JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

function claimsOf(jwt: string): Record<string, any> {
  return JSON.parse(Buffer.from(jwt.split(".")[1], "base64url").toString("utf8"));
}

/** The path and query of an emulator URL (helpers.call prepends the origin). */
function pathOf(emu: RunningEmulator, url: string): string {
  assert.ok(url.startsWith(emu.graphBaseUrl), url);
  return url.slice(emu.graphBaseUrl.length);
}

function githubToken(emu: RunningEmulator, audience: string | undefined, requestToken = emu.githubOidc.requestToken): Promise<Reply> {
  const q = audience === undefined ? "" : `&audience=${encodeURIComponent(audience)}`;
  return call(emu, "GET", `${pathOf(emu, emu.githubOidc.requestUrl)}${q}`, { headers: { authorization: `bearer ${requestToken}` } });
}

function adoToken(emu: RunningEmulator, query: string, accessToken = emu.azureDevOpsOidc.systemAccessToken, method = "POST"): Promise<Reply> {
  return call(emu, method, `${pathOf(emu, emu.azureDevOpsOidc.oidcRequestUri)}${query}`, {
    headers: { authorization: `Bearer ${accessToken}`, "content-type": "application/json", "x-tfs-fedauthredirect": "Suppress" },
  });
}

function exchange(emu: RunningEmulator, assertion: string, clientId = emu.clientId): Promise<Reply> {
  return tokenRequest(emu, { grant_type: "client_credentials", client_id: clientId, scope: SCOPE, client_assertion_type: JWT_BEARER, client_assertion: assertion });
}

function assertEntraError(reply: Reply, status: number, code: number, message: RegExp): void {
  assert.equal(reply.status, status, reply.text);
  assert.deepEqual(reply.body.error_codes, [code]);
  assert.match(reply.body.error_description, new RegExp(`^AADSTS${code}: ${message.source}`));
}

/** A token signed by a key the emulator has never seen. */
async function forged(claims: Record<string, unknown>): Promise<string> {
  const { privateKey } = await generateKeyPair("RS256");
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ iat: now, nbf: now, exp: now + 300, ...claims }).setProtectedHeader({ alg: "RS256", typ: "JWT", kid: "forged" }).sign(privateKey);
}

describe("OIDC token services and federated credentials", () => {
  let emu: RunningEmulator;
  before(async () => {
    emu = await startEmulator({ port: 0 });
    trustEmulatorCa(emu.caCertPem);
  });
  after(() => emu.stop());
  beforeEach(() => emu.admin.reset());

  describe("GitHub Actions ID token service", () => {
    it("issues an RS256 token for the requested audience with the job's subject", async () => {
      assert.match(emu.githubOidc.requestUrl, /\?api-version=2\.0$/, "the URL carries a query, as GitHub's does");
      const reply = await githubToken(emu, TOKEN_EXCHANGE_AUDIENCE);
      assert.equal(reply.status, 200, reply.text);
      assert.equal(typeof reply.body.value, "string");
      const header = JSON.parse(Buffer.from(reply.body.value.split(".")[0], "base64url").toString());
      assert.equal(header.alg, "RS256");
      const c = claimsOf(reply.body.value);
      assert.equal(c.iss, GITHUB_ACTIONS_ISSUER);
      assert.equal(c.sub, DEFAULT_GITHUB_SUBJECT);
      assert.equal(c.aud, TOKEN_EXCHANGE_AUDIENCE);
      assert.equal(c.repository, "contoso/intune-config");
      assert.equal(c.ref, "refs/heads/main");
      assert.ok(c.exp > c.iat && c.exp - c.iat <= 600);
      assert.equal(emu.githubOidc.subject, DEFAULT_GITHUB_SUBJECT);
    });

    it("defaults the audience to the owner URL, as GitHub does", async () => {
      const reply = await githubToken(emu, undefined);
      assert.equal(claimsOf(reply.body.value).aud, "https://github.com/contoso");
    });

    it("refuses a missing or unknown request token and other verbs, and logs neither token nor answer", async () => {
      const path = pathOf(emu, emu.githubOidc.requestUrl);
      assert.equal((await call(emu, "GET", path)).status, 401);
      assert.equal((await githubToken(emu, TOKEN_EXCHANGE_AUDIENCE, "ghrt_not-a-real-token")).status, 401);
      const post = await call(emu, "POST", path, { headers: { authorization: `bearer ${emu.githubOidc.requestToken}` } });
      assert.equal(post.status, 405);
      const ok = await githubToken(emu, TOKEN_EXCHANGE_AUDIENCE);
      const log = JSON.stringify(emu.log());
      assert.ok(!log.includes(emu.githubOidc.requestToken), "request token logged");
      assert.ok(!log.includes(ok.body.value), "ID token logged");
      assert.deepEqual(emu.log().filter((e) => e.path.startsWith("/github-oidc/")).map((e) => e.status), [401, 401, 405, 200]);
    });

    it("gives a job registered through the admin API its own subject", async () => {
      const requestToken = emu.admin.addGitHubJob("repo:contoso/intune-config:environment:production");
      const reply = await githubToken(emu, TOKEN_EXCHANGE_AUDIENCE, requestToken);
      assert.equal(claimsOf(reply.body.value).sub, "repo:contoso/intune-config:environment:production");
      const http = await call(emu, "POST", "/_emulator/github-oidc/jobs", { body: { subject: "repo:contoso/other:pull_request" } });
      assert.equal(http.status, 201);
      const viaHttp = await githubToken(emu, TOKEN_EXCHANGE_AUDIENCE, http.body.requestToken);
      assert.equal(claimsOf(viaHttp.body.value).sub, "repo:contoso/other:pull_request");
    });
  });

  describe("Azure DevOps OIDC service", () => {
    const query = (id = DEFAULT_ADO_SERVICE_CONNECTION_ID) => `?api-version=7.1&serviceConnectionId=${id}`;

    it("answers POST {SYSTEM_OIDCREQUESTURI}?api-version=7.1&serviceConnectionId= with {oidcToken}", async () => {
      assert.equal(emu.azureDevOpsOidc.serviceConnectionId, DEFAULT_ADO_SERVICE_CONNECTION_ID);
      assert.ok(!emu.azureDevOpsOidc.oidcRequestUri.includes("?"), "AzurePipelinesCredential appends its own '?'");
      const reply = await adoToken(emu, query());
      assert.equal(reply.status, 200, reply.text);
      const c = claimsOf(reply.body.oidcToken);
      assert.match(c.iss, /^https:\/\/vstoken\.dev\.azure\.com\/[0-9a-f-]{36}$/);
      assert.equal(c.iss, emu.azureDevOpsOidc.issuer);
      assert.equal(c.sub, "sc://contoso/intune-config/msgraph-emulator");
      assert.equal(c.sub, emu.azureDevOpsOidc.subject);
      assert.equal(c.aud, TOKEN_EXCHANGE_AUDIENCE);
    });

    it("refuses a wrong access token, a missing api-version, an unknown connection and GET", async () => {
      const wrong = await adoToken(emu, query(), "adost_wrong");
      assert.equal(wrong.status, 401);
      assert.match(wrong.body.message, /^TF400813/);
      assert.equal((await adoToken(emu, `?serviceConnectionId=${DEFAULT_ADO_SERVICE_CONNECTION_ID}`)).status, 400);
      const unknown = await adoToken(emu, query("00000000-0000-4000-8000-000000000099"));
      assert.equal(unknown.status, 400);
      assert.match(unknown.body.message, /not found/);
      assert.equal((await adoToken(emu, query(), undefined, "GET")).status, 405);
      assert.ok(!JSON.stringify(emu.log()).includes(emu.azureDevOpsOidc.systemAccessToken));
    });

    it("serves service connections added through the admin API with sc://org/project/name", async () => {
      const http = await call(emu, "POST", "/_emulator/ado-oidc/serviceConnections", { body: { name: "prod-graph" } });
      assert.equal(http.status, 201);
      assert.equal(http.body.subject, "sc://contoso/intune-config/prod-graph");
      const reply = await adoToken(emu, query(http.body.id));
      assert.equal(claimsOf(reply.body.oidcToken).sub, "sc://contoso/intune-config/prod-graph");
    });
  });

  describe("token endpoint with federated assertions", () => {
    it("exchanges a GitHub ID token for a Graph token that Graph accepts, and logs the federated grant", async () => {
      const id = (await githubToken(emu, TOKEN_EXCHANGE_AUDIENCE)).body.value as string;
      const reply = await exchange(emu, id);
      assert.equal(reply.status, 200, reply.text);
      const access = claimsOf(reply.body.access_token);
      assert.equal(access.appid, emu.clientId);
      assert.equal(access.appidacr, "2");
      assert.equal((await call(emu, "GET", GPC, { token: reply.body.access_token })).status, 200);
      const grant = emu.log().find((e) => e.path.endsWith("/oauth2/v2.0/token"));
      assert.equal(grant?.credential, "federated");
      assert.equal(grant?.federatedIssuer, GITHUB_ACTIONS_ISSUER);
      assert.equal(grant?.federatedSubject, DEFAULT_GITHUB_SUBJECT);
      assert.ok(!JSON.stringify(emu.log()).includes(id), "assertion logged");
    });

    it("exchanges an Azure DevOps token", async () => {
      const oidc = (await adoToken(emu, `?api-version=7.1&serviceConnectionId=${DEFAULT_ADO_SERVICE_CONNECTION_ID}`)).body.oidcToken as string;
      const reply = await exchange(emu, oidc);
      assert.equal(reply.status, 200, reply.text);
      assert.equal(emu.log().find((e) => e.credential !== undefined)?.federatedIssuer, emu.azureDevOpsOidc.issuer);
    });

    it("refuses a subject with no federated credential: 400 AADSTS70021", async () => {
      const job = emu.admin.addGitHubJob("repo:contoso/intune-config:ref:refs/heads/feature");
      const id = (await githubToken(emu, TOKEN_EXCHANGE_AUDIENCE, job)).body.value as string;
      const reply = await exchange(emu, id);
      assertEntraError(reply, 400, 70021, /No matching federated identity record found for presented assertion\. Assertion Issuer: 'https:\/\/token\.actions\.githubusercontent\.com'\. Assertion Subject: 'repo:contoso\/intune-config:ref:refs\/heads\/feature'\. Assertion Audience: 'api:\/\/AzureADTokenExchange'\./);
      assert.equal(reply.body.error, "invalid_request");
    });

    it("compares the subject case-sensitively, as Entra does", async () => {
      const job = emu.admin.addGitHubJob(DEFAULT_GITHUB_SUBJECT.replace("contoso", "Contoso"));
      const reply = await exchange(emu, (await githubToken(emu, TOKEN_EXCHANGE_AUDIENCE, job)).body.value);
      assertEntraError(reply, 400, 70021, /No matching federated identity record/);
    });

    it("refuses a wrong audience: AADSTS70021", async () => {
      const id = (await githubToken(emu, "api://SomethingElse")).body.value as string;
      assertEntraError(await exchange(emu, id), 400, 70021, /.*Assertion Audience: 'api:\/\/SomethingElse'/);
    });

    it("refuses an issuer the app does not trust: 401 AADSTS700211", async () => {
      const foreign = await forged({ iss: "https://token.example.com", sub: DEFAULT_GITHUB_SUBJECT, aud: TOKEN_EXCHANGE_AUDIENCE });
      const reply = await exchange(emu, foreign);
      assertEntraError(reply, 401, 700211, /No matching federated identity record found for presented assertion issuer 'https:\/\/token\.example\.com'\./);
      assert.equal(reply.body.error, "invalid_client");
      // A hosted issuer the app has no credential for is refused the same way.
      const otherApp = "c0ffee00-0000-4000-8000-0000000000f1";
      const emu2 = await startEmulator({
        port: 0,
        apps: [{ tenantId: emu.tenantId, clientId: otherApp, roles: [], federatedCredentials: [{ issuer: "https://token.example.com", subject: "x" }] }],
      });
      try {
        const id = (await githubToken(emu2, TOKEN_EXCHANGE_AUDIENCE)).body.value as string;
        assertEntraError(await exchange(emu2, id, otherApp), 401, 700211, /.*'https:\/\/token\.actions\.githubusercontent\.com'/);
      } finally {
        await emu2.stop();
      }
    });

    it("refuses an expired assertion: 401 AADSTS700024", async () => {
      const now = Math.floor(Date.now() / 1000);
      const expired = await emu.mintOidcToken("github", { sub: DEFAULT_GITHUB_SUBJECT, aud: TOKEN_EXCHANGE_AUDIENCE, iat: now - 3600, nbf: now - 3600, exp: now - 1200 });
      assertEntraError(await exchange(emu, expired), 401, 700024, /Client assertion is not within its valid time range\. Current time: .*expiry time of assertion /);
      const notYet = await emu.mintOidcToken("github", { sub: DEFAULT_GITHUB_SUBJECT, aud: TOKEN_EXCHANGE_AUDIENCE, nbf: now + 1200, exp: now + 1800 });
      assertEntraError(await exchange(emu, notYet), 401, 700024, /Client assertion is not within its valid time range/);
      const valid = await emu.mintOidcToken("github", { sub: DEFAULT_GITHUB_SUBJECT, aud: TOKEN_EXCHANGE_AUDIENCE });
      assert.equal((await exchange(emu, valid)).status, 200, "the same claims with a live lifetime pass");
    });

    it("refuses a token with the trusted issuer name but another key: 401 AADSTS700027", async () => {
      const fake = await forged({ iss: GITHUB_ACTIONS_ISSUER, sub: DEFAULT_GITHUB_SUBJECT, aud: TOKEN_EXCHANGE_AUDIENCE });
      assertEntraError(await exchange(emu, fake), 401, 700027, /Client assertion failed signature validation\./);
    });

    it("accepts a credential added through the admin API and forgets it on reset", async () => {
      const subject = "repo:contoso/intune-config:environment:production";
      const job = emu.admin.addGitHubJob(subject);
      const added = await call(emu, "POST", `/_emulator/apps/${emu.clientId}/federatedCredentials`, { body: { name: "prod", issuer: GITHUB_ACTIONS_ISSUER, subject } });
      assert.equal(added.status, 201);
      assert.deepEqual(added.body.audiences, [TOKEN_EXCHANGE_AUDIENCE]);
      const listed = await call(emu, "GET", `/_emulator/apps/${emu.clientId}/federatedCredentials`);
      assert.deepEqual(listed.body.value.map((c: { subject: string }) => c.subject), [DEFAULT_GITHUB_SUBJECT, emu.azureDevOpsOidc.subject, subject]);
      assert.equal((await exchange(emu, (await githubToken(emu, TOKEN_EXCHANGE_AUDIENCE, job)).body.value)).status, 200);
      emu.admin.reset();
      assert.equal(emu.admin.listFederatedCredentials(emu.clientId).length, 2);
      assert.equal((await exchange(emu, (await githubToken(emu, TOKEN_EXCHANGE_AUDIENCE, job)).body.value)).status, 400);
      const bad = await call(emu, "POST", `/_emulator/apps/${emu.clientId}/federatedCredentials`, { body: { issuer: GITHUB_ACTIONS_ISSUER } });
      assert.equal(bad.status, 400);
    });

    it("honours custom audiences on a credential", async () => {
      const subject = "repo:contoso/aud-test:ref:refs/heads/main";
      emu.admin.addFederatedCredential(emu.clientId, { issuer: GITHUB_ACTIONS_ISSUER, subject, audiences: ["api://custom"] });
      const job = emu.admin.addGitHubJob(subject);
      assert.equal((await exchange(emu, (await githubToken(emu, "api://custom", job)).body.value)).status, 200);
      assert.equal((await exchange(emu, (await githubToken(emu, TOKEN_EXCHANGE_AUDIENCE, job)).body.value)).status, 400);
    });
  });

  describe("the provider's GitHub ID token fetcher", () => {
    it("fetches a fresh token with audience api://AzureADTokenExchange on every call, keeping the URL's query", async () => {
      const fetch = gitHubOidcTokenFetcher({ requestUrl: emu.githubOidc.requestUrl, requestToken: emu.githubOidc.requestToken });
      const [a, b] = [await fetch(), await fetch()];
      assert.notEqual(a, b, "no caching");
      assert.equal(claimsOf(a).aud, TOKEN_EXCHANGE_AUDIENCE);
      const calls = emu.log().filter((e) => e.path.startsWith("/github-oidc/"));
      assert.deepEqual(calls.map((e) => e.query), [1, 2].map(() => ({ "api-version": "2.0", audience: TOKEN_EXCHANGE_AUDIENCE })));
    });

    it("fails with the status and a hint, never the request token", async () => {
      const requestToken = "ghrt_wrong-request-token-value";
      const fetch = gitHubOidcTokenFetcher({ requestUrl: emu.githubOidc.requestUrl, requestToken });
      await assert.rejects(fetch(), (e: Error) => {
        assert.match(e.message, /GitHub Actions OIDC token request to https:\/\/127\.0\.0\.1:\d+\/github-oidc\/_apis\/pipelines\/idtoken\?api-version=2\.0 failed: HTTP 401/);
        assert.match(e.message, /permissions: id-token: write/);
        assert.ok(!e.message.includes(requestToken));
        return true;
      });
    });
  });

  describe("@azure/identity credentials", () => {
    const options = () => ({ authorityHost: emu.authorityHost, disableInstanceDiscovery: true });

    it("ClientAssertionCredential with a GitHub ID token gets a Graph token", async () => {
      let calls = 0;
      const credential = new ClientAssertionCredential(emu.tenantId, emu.clientId, async () => {
        calls++;
        return (await githubToken(emu, TOKEN_EXCHANGE_AUDIENCE)).body.value as string;
      }, options());
      const token = await credential.getToken(SCOPE);
      assert.ok(calls >= 1, "the assertion callback ran");
      assert.equal(claimsOf(token.token).appid, emu.clientId);
      assert.equal((await call(emu, "GET", GPC, { token: token.token })).status, 200);
    });

    it("AzurePipelinesCredential gets a Graph token through SYSTEM_OIDCREQUESTURI", async () => {
      const saved = process.env.SYSTEM_OIDCREQUESTURI;
      process.env.SYSTEM_OIDCREQUESTURI = emu.azureDevOpsOidc.oidcRequestUri;
      try {
        const credential = new AzurePipelinesCredential(
          emu.tenantId, emu.clientId, emu.azureDevOpsOidc.serviceConnectionId, emu.azureDevOpsOidc.systemAccessToken, options(),
        );
        const token = await credential.getToken(SCOPE);
        assert.equal((await call(emu, "GET", GPC, { token: token.token })).status, 200);
        const oidcCall = emu.log().find((e) => e.path.startsWith("/ado-oidc/"));
        assert.equal(oidcCall?.method, "POST");
        assert.deepEqual(oidcCall?.query, { "api-version": "7.1", serviceConnectionId: emu.azureDevOpsOidc.serviceConnectionId });
        assert.equal(emu.log().find((e) => e.credential !== undefined)?.credential, "federated");
      } finally {
        if (saved === undefined) delete process.env.SYSTEM_OIDCREQUESTURI;
        else process.env.SYSTEM_OIDCREQUESTURI = saved;
      }
    });
  });
});
