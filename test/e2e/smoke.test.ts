import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import path from "node:path";
import type { Stack } from "@pulumi/pulumi/automation";
import { createInlineStack, newStateDir, pulumiEnvironment, type PulumiEnvironment } from "../../scripts/pulumiEnvironment";
import { Echo } from "../support/echoResource";


function echoProgram(message: string) {
    return async () => {
        const echo = new Echo("echo", message);
        return { id: echo.id };
    };
}

describe("the real Pulumi engine (smoke)", function () {
    this.timeout(300_000);
    let stateDir: string;
    let environment: PulumiEnvironment;

    before(() => {
        stateDir = newStateDir("smoke");
        environment = pulumiEnvironment(stateDir);
        const version = execFileSync(environment.cli.path, ["version"], { env: { ...process.env, ...environment.envVars } })
            .toString()
            .trim();
        console.log(`      pulumi version: ${version} (${environment.cli.path})`);
    });

    after(() => rmSync(stateDir, { recursive: true, force: true }));

    async function stackWith(message: string): Promise<Stack> {
        return createInlineStack({
            projectName: "smoke",
            stackName: "dev",
            program: echoProgram(message),
            workDir: path.join(stateDir, "work"),
            environment,
        });
    }

    it("creates, leaves alone, shows an update in preview --diff, and destroys a dynamic resource", async () => {
        const first = await (await stackWith("hello")).up();
        assert.equal(first.summary.result, "succeeded");
        assert.equal(first.summary.resourceChanges?.create, 2, "the stack and the echo resource are created");

        const second = await (await stackWith("hello")).up();
        assert.deepEqual(second.summary.resourceChanges, { same: 2 }, "a second up with the same inputs changes nothing");

        const preview = await (await stackWith("bye")).preview({ diff: true });
        assert.equal(preview.changeSummary.update, 1, "an input change is an update");
        assert.match(preview.stdout, /message.*"hello".*=>.*"bye"/s, "the diff names the changed input");

        const destroyed = await (await stackWith("hello")).destroy();
        assert.equal(destroyed.summary.resourceChanges?.delete, 2);
    });
});
