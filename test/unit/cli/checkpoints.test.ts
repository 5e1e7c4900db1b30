import assert from "node:assert/strict";
import { checkpointChoice, SKIP_CHECKPOINTS_ABOVE } from "../../../cli/checkpoints";
import { parseArgs } from "../../../cli/main";

describe("checkpointChoice", () => {
    it("keeps checkpoints up to the documented size and skips them above it", () => {
        assert.equal(checkpointChoice({ assignments: SKIP_CHECKPOINTS_ABOVE, checkpointsFlag: false, env: {} }).skipCheckpoints, undefined);
        assert.equal(checkpointChoice({ assignments: 0, checkpointsFlag: false, env: {} }).skipCheckpoints, undefined);
        const large = checkpointChoice({ assignments: SKIP_CHECKPOINTS_ABOVE + 1, checkpointsFlag: false, env: {} });
        assert.equal(large.skipCheckpoints, "true");
        assert.match(large.reason, /--checkpoints keeps them/);
    });

    it("--checkpoints keeps them at any size, even when the environment asks to skip", () => {
        for (const env of [{}, { PULUMI_SKIP_CHECKPOINTS: "true" }]) {
            assert.equal(checkpointChoice({ assignments: 5000, checkpointsFlag: true, env }).skipCheckpoints, "false");
        }
    });

    it("leaves a PULUMI_SKIP_CHECKPOINTS the user set alone", () => {
        assert.equal(checkpointChoice({ assignments: 5000, checkpointsFlag: false, env: { PULUMI_SKIP_CHECKPOINTS: "false" } }).skipCheckpoints, undefined);
        assert.equal(checkpointChoice({ assignments: 1, checkpointsFlag: false, env: { PULUMI_SKIP_CHECKPOINTS: "true" } }).skipCheckpoints, undefined);
        // An empty value is no setting.
        assert.equal(checkpointChoice({ assignments: 5000, checkpointsFlag: false, env: { PULUMI_SKIP_CHECKPOINTS: "" } }).skipCheckpoints, "true");
    });

    it("is reachable from the command line as --checkpoints", () => {
        assert.deepEqual(parseArgs(["up", "--stack", "prod", "--checkpoints"]).values, { stack: "prod", checkpoints: true });
    });
});
