import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as https from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GraphClient } from "../../../provider/graph/client";
import { GraphNetworkError } from "../../../provider/graph/errors";

/** A throwaway CA and a server certificate for 127.0.0.1, made with the openssl CLI (skipped when absent). */
function makeCerts(dir: string): { ca: string; key: string; cert: string } {
    const ossl = (...args: string[]): void => {
        execFileSync("openssl", args, { cwd: dir, stdio: "ignore" });
    };
    const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
    ossl("req", "-x509", ...ec, "-keyout", "ca.key", "-out", "ca.pem", "-days", "1", "-subj", "/CN=graph-test-ca",
        "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign");
    ossl("req", ...ec, "-keyout", "srv.key", "-out", "srv.csr", "-subj", "/CN=127.0.0.1");
    writeFileSync(join(dir, "ext.cnf"), "subjectAltName=IP:127.0.0.1\n");
    ossl("x509", "-req", "-in", "srv.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "srv.pem",
        "-days", "1", "-extfile", "ext.cnf");
    const read = (f: string): string => readFileSync(join(dir, f), "utf8");
    return { ca: read("ca.pem"), key: read("srv.key"), cert: read("srv.pem") };
}

describe("GraphClient over TLS with an extra CA", function () {
    this.timeout(10_000);
    let dir: string;
    let server: https.Server;
    let baseUrl: string;
    let ca: string;
    let requests = 0;
    const clients: GraphClient[] = [];

    before(async function () {
        dir = mkdtempSync(join(tmpdir(), "graph-tls-"));
        let certs;
        try {
            certs = makeCerts(dir);
        } catch {
            this.skip();
        }
        ca = certs.ca;
        server = https.createServer({ key: certs.key, cert: certs.cert }, (req, res) => {
            requests += 1;
            req.resume();
            req.on("end", () => {
                res.writeHead(200, { "content-type": "application/json" });
                res.end('{"value":[]}');
            });
        });
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        baseUrl = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });

    after(async () => {
        for (const c of clients) c.close();
        if (server !== undefined) {
            server.closeAllConnections();
            await new Promise<void>((resolve) => server.close(() => resolve()));
        }
        rmSync(dir, { recursive: true, force: true });
    });

    it("trusts the server when given its CA", async () => {
        const c = new GraphClient({ graphBaseUrl: baseUrl, getToken: async () => "tok-123456", ca });
        clients.push(c);
        const r = await c.get<{ value: unknown[] }>("/x");
        assert.deepEqual(r.body, { value: [] });
    });

    it("rejects an untrusted server without retrying, even for a POST (nothing was sent)", async () => {
        const before = requests;
        const sleeps: number[] = [];
        const c = new GraphClient({ graphBaseUrl: baseUrl, getToken: async () => "tok-123456", sleep: async (ms) => { sleeps.push(ms); } });
        clients.push(c);
        await assert.rejects(c.post("/p/assignments", { a: 1 }), (e: unknown) => {
            assert.ok(GraphNetworkError.isInstance(e), String(e));
            assert.match(e.code, /CERT|SELF_SIGNED|UNABLE/);
            return true;
        });
        assert.equal(requests, before);
        assert.deepEqual(sleeps, []);
    });
});
