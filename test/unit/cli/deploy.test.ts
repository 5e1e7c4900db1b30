import assert from "node:assert/strict";
import type * as automation from "@pulumi/pulumi/automation";
import { deploy } from "../../../cli/deploy";

/** A stack that records the options each operation was started with, and succeeds. */
function recordingStack() {
    const calls: { operation: string; options: Record<string, unknown> }[] = [];
    const record = (operation: string) => async (options: Record<string, unknown>) => {
        calls.push({ operation, options });
        return { summary: {} };
    };
    const stack = { name: "dev", preview: record("preview"), up: record("up") } as unknown as automation.Stack;
    return { stack, calls };
}

describe("cli/deploy engine options", () => {
    it("passes --parallel to the engine, and leaves the engine's default alone when none is given", async () => {
        const { stack, calls } = recordingStack();
        assert.equal((await deploy({ stack, operation: "up", parallel: 64 })).exitCode, 0);
        assert.equal((await deploy({ stack, operation: "preview", parallel: 3 })).exitCode, 0);
        assert.equal((await deploy({ stack, operation: "up" })).exitCode, 0);
        assert.deepEqual(calls.map((c) => [c.operation, c.options.parallel]), [["up", 64], ["preview", 3], ["up", undefined]]);
        assert.equal("parallel" in calls[2]!.options, false);
    });

    it("goes on past a failed assignment on up unless told to stop; preview never takes the flag", async () => {
        const { stack, calls } = recordingStack();
        await deploy({ stack, operation: "up" });
        await deploy({ stack, operation: "up", stopOnError: true });
        await deploy({ stack, operation: "preview" });
        assert.deepEqual(calls.map((c) => c.options.continueOnError), [true, undefined, undefined]);
    });
});
