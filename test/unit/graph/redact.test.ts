import assert from "node:assert/strict";
import { MIN_SECRET_LENGTH, REDACTED, redactHeaders, redactSecrets, redactUrl } from "../../../provider/graph/redact";

describe("redactHeaders", () => {
    it("never lets Authorization or cookies through", () => {
        const out = redactHeaders({ Authorization: "Bearer abc.def.ghi", cookie: "a=b", "Set-Cookie": ["x=y"] });
        assert.deepEqual(out, { authorization: REDACTED, cookie: REDACTED, "set-cookie": REDACTED });
        assert.ok(!JSON.stringify(out).includes("abc.def.ghi"));
    });
    it("redacts unknown headers", () => {
        assert.deepEqual(redactHeaders({ "x-custom-secret": "s3cr3t", "proxy-authorization": "Basic Zm9v" }), {
            "x-custom-secret": REDACTED,
            "proxy-authorization": REDACTED,
        });
    });
    it("keeps allow-listed headers and x-ms-*", () => {
        assert.deepEqual(
            redactHeaders({
                "Content-Type": "application/json",
                "request-id": "r1",
                "client-request-id": "c1",
                "Retry-After": "3",
                "x-ms-ags-diagnostic": "{}",
                "content-length": 12,
                date: "Wed, 21 Oct 2015 07:28:00 GMT",
                location: "https://graph.microsoft.com/beta/x",
                skipped: undefined,
            }),
            {
                "content-type": "application/json",
                "request-id": "r1",
                "client-request-id": "c1",
                "retry-after": "3",
                "x-ms-ags-diagnostic": "{}",
                "content-length": "12",
                date: "Wed, 21 Oct 2015 07:28:00 GMT",
                location: "https://graph.microsoft.com/beta/x",
            },
        );
    });
});

describe("redactUrl", () => {
    it("keeps OData query values and redacts others", () => {
        assert.equal(
            redactUrl("/deviceManagement/x/assignments?$filter=id%20eq%20'1'&$top=5&$skiptoken=SECRET&sig=abc"),
            `/deviceManagement/x/assignments?$filter=id%20eq%20'1'&$top=5&$skiptoken=${REDACTED}&sig=${REDACTED}`,
        );
    });
    it("drops credentials and fragments of absolute URLs", () => {
        assert.equal(redactUrl("https://user:pw@graph.microsoft.com/beta/x?code=abc#frag"), `https://graph.microsoft.com/beta/x?code=${REDACTED}`);
    });
    it("leaves a path without a query alone", () => {
        assert.equal(redactUrl("/deviceManagement/groupPolicyConfigurations/1/assignments/2"), "/deviceManagement/groupPolicyConfigurations/1/assignments/2");
    });
});

describe("redactSecrets", () => {
    it("replaces every occurrence of known secrets", () => {
        assert.equal(redactSecrets("token=abcdef123 and again abcdef123", ["abcdef123"]), `token=${REDACTED} and again ${REDACTED}`);
    });
    it("replaces the longer of overlapping secrets fully", () => {
        assert.equal(redactSecrets("x supersecretvalue y", ["secret", "supersecretvalue"]), `x ${REDACTED} y`);
    });
    it("ignores undefined and very short secrets", () => {
        assert.equal(redactSecrets("a b c", [undefined, "a"]), "a b c");
        assert.equal(redactSecrets("pin 123 of 1234", ["123"]), "pin 123 of 1234", "3 characters are not a secret");
    });
    it("replaces secrets from 4 characters on (the CLI's former threshold; the provider's was 6)", () => {
        assert.equal(MIN_SECRET_LENGTH, 4);
        assert.equal(redactSecrets("password 9x7q, passphrase k3y5z", ["9x7q", "k3y5z"]), `password ${REDACTED}, passphrase ${REDACTED}`);
        // A short secret also goes inside longer words: a harmless match is masked rather than a secret let through.
        assert.equal(redactSecrets("latest test", ["test"]), `la${REDACTED} ${REDACTED}`);
    });
    it("replaces in one pass: a marker put in for one secret is not matched by another", () => {
        assert.equal(redactSecrets("key=long-secret-value", ["long-secret-value", "DACT"]), `key=${REDACTED}`);
    });
    it("treats secrets literally (no regex injection)", () => {
        assert.equal(redactSecrets("p.a+s$s(w)ord!", ["p.a+s$s(w)ord"]), `${REDACTED}!`);
    });
    it("scrubs anything that looks like a bearer token or JWT", () => {
        const jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJl";
        assert.equal(redactSecrets(`Authorization: Bearer ${jwt}`), `Authorization: Bearer ${REDACTED}`);
        assert.equal(redactSecrets(`token ${jwt} leaked`), `token ${REDACTED} leaked`);
    });
    it("scrubs OIDC tokens inside JSON-escaped error text, after an escaped newline or quote", () => {
        const oidc = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJodHRwczovL3Zzd.c2ln-_";
        // What AzurePipelinesCredential puts into an error: the OIDC answer, JSON inside JSON.
        const text = JSON.stringify({ bodyAsText: JSON.stringify({ oidcToken: oidc }) });
        assert.ok(!redactSecrets(text).includes(oidc));
        assert.ok(!redactSecrets(JSON.stringify(`line\n${oidc}`)).includes(oidc), "after an escaped newline");
        assert.ok(!redactSecrets(`client_assertion=${oidc}&scope=x`).includes(oidc));
    });
    it("scrubs GitHub's lower-case `bearer` scheme and CI request tokens passed as secrets", () => {
        assert.equal(redactSecrets("authorization: bearer ghrt_abcdef0123456789"), `authorization: bearer ${REDACTED}`);
        const requestToken = "ghrt_Zm9vYmFyYmF6cXV4";
        const accessToken = "adost_c3lzdGVtYWNjZXNz";
        const out = redactSecrets(`request to ...?token=${requestToken} with ${accessToken}`, [requestToken, accessToken]);
        assert.ok(!out.includes(requestToken) && !out.includes(accessToken), out);
    });
});
