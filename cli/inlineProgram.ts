/**
 * Guards for Automation API inline programs (the `preview`/`up` commands, and the tests' and demo's runs): this
 * process serves the language runtime and talks gRPC to the engine the CLI starts.
 */
import * as pulumi from "@pulumi/pulumi";
import type * as automation from "@pulumi/pulumi/automation";

/**
 * Every inline run talks to a new engine on a new loopback port, and ports get reused. grpc-js keeps connections in a
 * process-wide pool keyed by address, so a later run could be handed the dead connection of an earlier engine that
 * had the same port, still in back-off, and every call fails at once with "14 UNAVAILABLE: No connection
 * established" (grpc/grpc-node#2853). A pool per client means each run connects afresh to its own engine.
 */
export function useOwnConnectionPerEngine(): void {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const settings = require("@pulumi/pulumi/runtime/settings") as { grpcClientOptions: Record<string, unknown> };
    settings.grpcClientOptions["grpc.use_local_subchannel_pool"] = 1;
}

/**
 * Pulumi's in-process language server treats a gRPC error thrown by the program as "the engine already reported
 * it" and ends the run successfully. When the program never reached the engine, that would be an `up` that
 * silently registered nothing. This wrapper waits for every resource the program declared to be registered and
 * turns a lost connection into an ordinary error, which fails the run (the tests' harness then runs it once more).
 * In a pipeline this matters: an `up` whose program silently registered nothing would delete every assignment.
 * Other gRPC errors are left as they were: the engine reports those itself.
 */
export function failOnLostRegistrations(program: automation.PulumiFn): automation.PulumiFn {
    return async () => {
        const declared: pulumi.Resource[] = [];
        pulumi.runtime.registerStackTransformation((args) => {
            declared.push(args.resource);
            return undefined;
        });
        const outputs = await program();
        for (const resource of declared) {
            try {
                // Output.promise() is internal to @pulumi/pulumi but stable; it settles when the registration does.
                await (resource.urn as unknown as { promise(): Promise<unknown> }).promise();
            } catch (error) {
                const e = error as { code?: unknown; message?: unknown };
                if (e?.code === 14 && /No connection established/.test(String(e.message))) throw new Error(`the program could not register a resource with the engine: ${String(e.message)}`);
                throw error;
            }
        }
        return outputs;
    };
}
