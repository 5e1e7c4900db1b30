import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as path from "node:path";

describe("emulator CLI", () => {
  it("prints the URLs and credentials and stops cleanly on SIGTERM", async function () {
    this.timeout(10000);
    const cli = path.resolve(__dirname, "../../emulator/cli.js");
    const child = spawn(process.execPath, [cli, "--port", "0", "--data-file", ""], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    await new Promise<void>((resolve, reject) => {
      child.stdout.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes("Ctrl-C stops it.")) resolve();
      });
      child.on("exit", (code) => reject(new Error(`exited early with ${code}: ${out}`)));
    });
    for (const needle of ["AZURE_TENANT_ID=", "AZURE_CLIENT_ID=", "AZURE_CLIENT_SECRET=", "NODE_EXTRA_CA_CERTS=", "Graph base URL", "curl -s --cacert"]) {
      assert.ok(out.includes(needle), needle);
    }
    const exitCode = await new Promise<number | null>((resolve) => {
      child.removeAllListeners("exit");
      child.on("exit", (code) => resolve(code));
      child.kill("SIGTERM");
    });
    assert.equal(exitCode, 0);
  });
});
