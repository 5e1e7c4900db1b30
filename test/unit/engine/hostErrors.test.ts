import assert from "node:assert/strict";
import { FRAMES_LEFT_OUT, withoutHostFrames } from "../../../provider/engine/hostErrors";
import { GraphError } from "../../../provider/graph";

describe("withoutHostFrames", () => {
    it("passes a result through untouched", async () => {
        assert.equal(await withoutHostFrames(async () => 42), 42);
    });

    it("leaves the frames out of Graph's errors and of the provider's own refusals, keeping the message", async () => {
        for (const error of [new GraphError({ status: 403, method: "GET", path: "/x", code: "Forbidden" }), new Error("policy p holds no assignment a")]) {
            const message = error.message;
            await assert.rejects(withoutHostFrames(async () => { throw error; }), (thrown: Error) => thrown === error && thrown.stack === FRAMES_LEFT_OUT && thrown.message === message);
        }
    });

    it("keeps the frames of a programming error: a TypeError is a bug to report", async () => {
        const bug = new TypeError("cannot read properties of undefined");
        const stack = bug.stack;
        await assert.rejects(withoutHostFrames(async () => { throw bug; }), (thrown: Error) => thrown.stack === stack && /\n\s+at /.test(stack ?? ""));
    });
});
