import assert from "node:assert/strict";

describe("test runtime", () => {
    it("runs on Node 24, not the machine's Node 20", () => {
        const major = Number(process.versions.node.split(".")[0]);
        assert.equal(major, 24, `expected Node 24 from the npm 'node' package, got ${process.version}`);
    });
});
