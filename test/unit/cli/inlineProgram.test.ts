import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { useOwnConnectionPerEngine } from "../../../cli/inlineProgram";

// grpc-js as @pulumi/pulumi loads it (a dependency of theirs, not ours).
const pulumiRequire = createRequire(require.resolve("@pulumi/pulumi"));
const grpc = pulumiRequire("@grpc/grpc-js") as typeof import("@grpc/grpc-js");
const settings = pulumiRequire("./runtime/settings") as { grpcClientOptions: Record<string, unknown> };

const service = {
    ping: {
        path: "/test.Engine/Ping",
        requestStream: false,
        responseStream: false,
        requestSerialize: (x: string) => Buffer.from(x),
        requestDeserialize: (b: Buffer) => b.toString(),
        responseSerialize: (x: string) => Buffer.from(x),
        responseDeserialize: (b: Buffer) => b.toString(),
    },
};
const Client = grpc.makeGenericClientConstructor(service, "Engine");

function startEngine(port: number): Promise<{ server: import("@grpc/grpc-js").Server; port: number }> {
    return new Promise((resolve, reject) => {
        const server = new grpc.Server();
        server.addService(service, { ping: (_call: unknown, callback: (e: null, r: string) => void) => callback(null, "pong") });
        server.bindAsync(`127.0.0.1:${port}`, grpc.ServerCredentials.createInsecure(), (error, bound) =>
            error ? reject(error) : resolve({ server, port: bound }),
        );
    });
}

function ping(client: InstanceType<typeof Client>): Promise<string> {
    return new Promise((resolve) =>
        (client as unknown as { ping(x: string, cb: (e: { code: number; details: string } | null, r?: string) => void): void }).ping(
            "x",
            (error, reply) => resolve(error ? `${error.code} ${error.details}` : String(reply)),
        ),
    );
}

/**
 * Without the setting, grpc-js's process-wide pool hands the new client the old subchannel while it is in back-off
 * (about a second), and the call fails at once with "14 No connection established" (measured here; not asserted,
 * because the back-off is timing-dependent on a loaded machine). An inline run's engine exits; a later run's engine gets the same loopback port. The later run's client must reach
 * its own engine, not inherit the dead engine's connection in back-off (the CI failure: a run that registered nothing).
 */
async function reachNewEngineOnReusedPort(options: Record<string, unknown>): Promise<string> {
    const first = await startEngine(0);
    const old = new Client(`127.0.0.1:${first.port}`, grpc.credentials.createInsecure(), options);
    assert.equal(await ping(old), "pong");
    first.server.forceShutdown();
    old.close();
    const late = new Client(`127.0.0.1:${first.port}`, grpc.credentials.createInsecure(), options);
    assert.match(await ping(late), /^14 /, "a call to the engine that is gone fails");
    const second = await startEngine(first.port);
    const client = new Client(`127.0.0.1:${first.port}`, grpc.credentials.createInsecure(), options);
    try {
        return await ping(client);
    } finally {
        client.close();
        late.close();
        second.server.forceShutdown();
    }
}

describe("inline runs: a connection per engine client", () => {
    it("with Pulumi's client options after useOwnConnectionPerEngine, the new engine is reached", async () => {
        useOwnConnectionPerEngine();
        assert.equal(settings.grpcClientOptions["grpc.use_local_subchannel_pool"], 1);
        const { interceptors: _interceptors, ...channelOptions } = settings.grpcClientOptions;
        assert.equal(await reachNewEngineOnReusedPort(channelOptions), "pong");
    });
});
