import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import * as path from "node:path";
import { ClientCertificateCredential, ClientSecretCredential } from "@azure/identity";
import { generateClientCertificate, startEmulator, trustEmulatorCa, type RunningEmulator } from "../../emulator";
import { call, getToken, GPC, tokenRequest } from "./helpers";

const SCOPE = "https://graph.microsoft.com/.default";

describe("Entra token endpoint", () => {
  let emu: RunningEmulator;
  beforeEach(async () => {
    emu = await startEmulator({ port: 0 });
  });
  afterEach(() => emu.stop());

  it("serves OpenID discovery with a token endpoint on the emulator", async () => {
    const reply = await call(emu, "GET", `/${emu.tenantId}/v2.0/.well-known/openid-configuration`);
    assert.equal(reply.status, 200);
    assert.equal(reply.body.token_endpoint, `${emu.authorityHost}/${emu.tenantId}/oauth2/v2.0/token`);
    for (const key of ["issuer", "jwks_uri", "authorization_endpoint"]) assert.ok(reply.body[key], key);
  });

  it("issues an RS256 Graph token with tid, appid, roles and exp", async () => {
    const token = await getToken(emu);
    const [header, payload] = token.split(".").slice(0, 2).map((p) => JSON.parse(Buffer.from(p, "base64url").toString()));
    assert.equal(header.alg, "RS256");
    assert.equal(payload.aud, "https://graph.microsoft.com");
    assert.equal(payload.tid, emu.tenantId);
    assert.equal(payload.appid, emu.clientId);
    assert.ok(payload.roles.includes("DeviceManagementConfiguration.ReadWrite.All"));
    assert.ok(payload.roles.includes("CloudPC.ReadWrite.All"));
    assert.ok(payload.exp - payload.iat >= 3599);
  });

  it("answers a wrong secret with 401 invalid_client AADSTS7000215 in Entra's shape", async () => {
    const reply = await tokenRequest(emu, { grant_type: "client_credentials", client_id: emu.clientId, client_secret: "wrong", scope: SCOPE });
    assert.equal(reply.status, 401);
    assert.equal(reply.body.error, "invalid_client");
    assert.match(reply.body.error_description, /^AADSTS7000215: Invalid client secret provided\./);
    assert.deepEqual(reply.body.error_codes, [7000215]);
    for (const key of ["timestamp", "trace_id", "correlation_id"]) assert.ok(reply.body[key], key);
  });

  it("answers an unknown client with AADSTS700016 and an unknown tenant with AADSTS90002", async () => {
    const unknownApp = await tokenRequest(emu, { grant_type: "client_credentials", client_id: "00000000-0000-4000-8000-000000000001", client_secret: "x", scope: SCOPE });
    assert.equal(unknownApp.status, 400);
    assert.equal(unknownApp.body.error, "unauthorized_client");
    assert.deepEqual(unknownApp.body.error_codes, [700016]);
    const unknownTenant = await tokenRequest(emu, { grant_type: "client_credentials", client_id: emu.clientId, client_secret: emu.clientSecret, scope: SCOPE }, "00000000-0000-4000-8000-000000000002");
    assert.deepEqual(unknownTenant.body.error_codes, [90002]);
  });

  it("rejects scopes other than a single <resource>/.default", async () => {
    const reply = await tokenRequest(emu, { grant_type: "client_credentials", client_id: emu.clientId, client_secret: emu.clientSecret, scope: "User.Read" });
    assert.equal(reply.status, 400);
    assert.equal(reply.body.error, "invalid_scope");
  });
});

describe("Graph bearer-token checks", () => {
  let emu: RunningEmulator;
  beforeEach(async () => {
    emu = await startEmulator({
      port: 0,
      apps: [{ tenantId: "6f1d9c4e-2b7a-4e3f-9a51-0c8d7e6b5a42", clientId: "c0ffee00-0000-4000-8000-000000000001", clientSecret: "s", roles: ["CloudPC.Read.All"] }],
    });
  });
  afterEach(() => emu.stop());

  it("answers 401 InvalidAuthenticationToken without a token, with a bad signature and with a wrong audience", async () => {
    const none = await call(emu, "GET", GPC);
    assert.equal(none.status, 401);
    assert.equal(none.body.error.code, "InvalidAuthenticationToken");
    assert.ok(none.headers["www-authenticate"]);
    const token = await getToken(emu);
    const [h, p, s] = token.split(".");
    const tampered = `${h}.${p}.${s.slice(0, -4)}${s.slice(-4) === "AAAA" ? "BBBB" : "AAAA"}`;
    assert.equal((await call(emu, "GET", GPC, { token: tampered })).status, 401);
    const payload = JSON.parse(Buffer.from(p, "base64url").toString());
    const otherAud = `${h}.${Buffer.from(JSON.stringify({ ...payload, aud: "https://management.azure.com" })).toString("base64url")}.${s}`;
    const wrongAud = await call(emu, "GET", GPC, { token: otherAud });
    assert.equal(wrongAud.status, 401);
    assert.equal((await call(emu, "GET", GPC, { token: "not.a.jwt" })).status, 401);
  });

  it("answers 401 once the token has expired (tokenLifetimeSeconds 1)", async function () {
    this.timeout(5000);
    // Its own emulator: exp is whole seconds, so a 1 s token may already be spent when it arrives, which would make
    // any other test that needs a valid token flaky. Only the expiry is asserted here.
    const shortLived = await startEmulator({ port: 0, tokenLifetimeSeconds: 1 });
    try {
      const token = await getToken(shortLived);
      await new Promise((r) => setTimeout(r, 2100));
      const expired = await call(shortLived, "GET", GPC, { token });
      assert.equal(expired.status, 401);
      assert.match(expired.body.error.message, /expired/);
    } finally {
      await shortLived.stop();
    }
  });

  it("answers 403 when the token lacks the route's role", async () => {
    const token = await getToken(emu, "c0ffee00-0000-4000-8000-000000000001", "s");
    const intune = await call(emu, "GET", GPC, { token });
    assert.equal(intune.status, 403);
    assert.equal(intune.body.error.code, "Forbidden");
    const groups = await call(emu, "GET", "/beta/groups", { token });
    assert.equal(groups.status, 403);
    assert.equal(groups.body.error.code, "Authorization_RequestDenied");
    assert.equal((await call(emu, "GET", "/beta/deviceManagement/virtualEndpoint/provisioningPolicies", { token })).status, 200);
    const write = await call(emu, "POST", "/beta/deviceManagement/virtualEndpoint/provisioningPolicies", { token, body: { displayName: "x" } });
    assert.equal(write.status, 403, "a Read role does not allow writes");
  });
});

describe("@azure/identity against the emulator", () => {
  let emu: RunningEmulator;
  const cert = generateClientCertificate("identity-test");
  const certClientId = "c0ffee00-0000-4000-8000-0000000000c1";
  beforeEach(async () => {
    emu = await startEmulator({
      port: 0,
      apps: [{ tenantId: "6f1d9c4e-2b7a-4e3f-9a51-0c8d7e6b5a42", clientId: certClientId, certificatePem: cert.certificatePem, roles: ["DeviceManagementConfiguration.ReadWrite.All"] }],
    });
    // In process, the CA is added to Node's default store (tls.setDefaultCACertificates), which MSAL's https uses.
    trustEmulatorCa(emu.caCertPem);
  });
  afterEach(() => emu.stop());

  const options = () => ({ authorityHost: emu.authorityHost, disableInstanceDiscovery: true });

  it("ClientSecretCredential gets a token that Graph accepts", async () => {
    const credential = new ClientSecretCredential(emu.tenantId, emu.clientId, emu.clientSecret, options());
    const token = await credential.getToken(SCOPE);
    assert.ok(token.expiresOnTimestamp > Date.now());
    assert.equal((await call(emu, "GET", GPC, { token: token.token })).status, 200);
  });

  it("ClientCertificateCredential gets a token that Graph accepts (client assertion verified against the cert)", async () => {
    const credential = new ClientCertificateCredential(emu.tenantId, certClientId, { certificate: cert.combinedPem }, options());
    const token = await credential.getToken(SCOPE);
    const payload = JSON.parse(Buffer.from(token.token.split(".")[1], "base64url").toString());
    assert.equal(payload.appid, certClientId);
    assert.equal(payload.appidacr, "2");
    assert.equal((await call(emu, "GET", GPC, { token: token.token })).status, 200);
  });

  it("ClientCertificateCredential with an unregistered certificate fails with AADSTS700027", async () => {
    const other = generateClientCertificate("stranger");
    const credential = new ClientCertificateCredential(emu.tenantId, certClientId, { certificate: other.combinedPem }, options());
    await assert.rejects(credential.getToken(SCOPE), /AADSTS700027/);
  });

  it("a wrong secret fails with invalid_client / AADSTS7000215", async () => {
    const credential = new ClientSecretCredential(emu.tenantId, emu.clientId, "wrong-secret", options());
    await assert.rejects(credential.getToken(SCOPE), (err: Error) => /invalid_client/.test(err.message) && /AADSTS7000215/.test(err.message));
  });

  it("works in a child process that trusts the CA through NODE_EXTRA_CA_CERTS", async () => {
    const script = `
      const { ClientSecretCredential } = require("@azure/identity");
      new ClientSecretCredential(process.env.T, process.env.C, process.env.S, { authorityHost: process.env.A, disableInstanceDiscovery: true })
        .getToken("${SCOPE}").then(async (t) => {
          const r = await fetch(process.env.A + "/beta/deviceManagement/groupPolicyConfigurations", { headers: { authorization: "Bearer " + t.token } });
          console.log(r.status);
        }, (e) => { console.log("ERR " + e.message); });`;
    const out = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, ["-e", script], {
        cwd: path.resolve(__dirname, "../../.."),
        env: { ...process.env, NODE_EXTRA_CA_CERTS: emu.caCertPath, T: emu.tenantId, C: emu.clientId, S: emu.clientSecret, A: emu.authorityHost },
      }, (err, stdout) => (err ? reject(err) : resolve(stdout.trim())));
    });
    assert.equal(out, "200");
  });
});
