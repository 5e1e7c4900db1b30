import assert from "node:assert/strict";
import { clouds, isMicrosoftAuthorityHost, resolveEndpoints } from "../../../provider/graph/clouds";

describe("resolveEndpoints", () => {
    it("defaults to the global cloud and beta", () => {
        assert.deepEqual(resolveEndpoints(), {
            cloud: "global",
            graphBaseUrl: "https://graph.microsoft.com",
            authorityHost: "https://login.microsoftonline.com",
            scope: "https://graph.microsoft.com/.default",
            apiVersion: "beta",
        });
    });
    it("knows the national clouds", () => {
        assert.equal(resolveEndpoints({ cloud: "usgov" }).graphBaseUrl, "https://graph.microsoft.us");
        assert.equal(resolveEndpoints({ cloud: "usgovdod" }).scope, "https://dod-graph.microsoft.us/.default");
        assert.equal(resolveEndpoints({ cloud: "usgovdod" }).authorityHost, "https://login.microsoftonline.us");
        assert.equal(resolveEndpoints({ cloud: "china" }).authorityHost, "https://login.chinacloudapi.cn");
        assert.equal(clouds.china.graphBaseUrl, "https://microsoftgraph.chinacloudapi.cn");
    });
    it("keeps the cloud's scope for a custom graphBaseUrl (emulator)", () => {
        const r = resolveEndpoints({ graphBaseUrl: "https://127.0.0.1:8443/", authorityHost: "https://127.0.0.1:8443" });
        assert.equal(r.graphBaseUrl, "https://127.0.0.1:8443");
        assert.equal(r.scope, "https://graph.microsoft.com/.default");
    });
    it("rejects http unless explicitly allowed, and unknown clouds", () => {
        assert.throws(() => resolveEndpoints({ graphBaseUrl: "http://127.0.0.1:1" }), /graphBaseUrl must use https/);
        assert.equal(resolveEndpoints({ graphBaseUrl: "http://127.0.0.1:1", allowInsecureHttp: true }).graphBaseUrl, "http://127.0.0.1:1");
        assert.throws(() => resolveEndpoints({ cloud: "mars" }), /unknown cloud/);
        assert.throws(() => resolveEndpoints({ graphBaseUrl: "https://u:p@x.test" }), /credentials/);
        assert.throws(() => resolveEndpoints({ graphBaseUrl: "not a url" }), /absolute URL/);
        assert.throws(() => resolveEndpoints({ apiVersion: "../x" }), /apiVersion/);
    });
});

describe("isMicrosoftAuthorityHost", () => {
    it("recognizes Microsoft hosts only", () => {
        assert.equal(isMicrosoftAuthorityHost("https://login.microsoftonline.com"), true);
        assert.equal(isMicrosoftAuthorityHost("https://login.microsoftonline.us/"), true);
        assert.equal(isMicrosoftAuthorityHost("https://127.0.0.1:8443"), false);
    });
});
