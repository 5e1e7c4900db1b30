/**
 * Warnings attached to a resource in the engine's output, sent from inside Pulumi's dynamic-provider host.
 *
 * The host does not connect `@pulumi/pulumi`'s runtime to the engine (its options carry no engine address, so
 * `log.warn` would only print to stderr, which the engine shows as an unattributed info line), and it hands providers
 * no URN. Two facts make a real warning possible: the engine starts every provider plugin with its own address as the
 * last argument, and the SDK passes each resource's URN as the `__urn` input. With the address given to the runtime
 * (`runtime.resetOptions`, as Pulumi's own provider server does for component providers), the warning goes to the
 * engine's Log RPC with the URN: `pulumi up` lists it under the resource and engine events carry it with the URN.
 */
import * as pulumi from "@pulumi/pulumi";
import { LogRequest, LogSeverity } from "@pulumi/pulumi/proto/engine_pb";

/** The engine address the host was started with: its last argument, `host:port`. */
export function engineAddressFrom(argv: readonly string[]): string | undefined {
    const last = argv[argv.length - 1];
    return last !== undefined && /^(\[[0-9a-f:]+\]|[A-Za-z0-9.-]+):\d{1,5}$/i.test(last) ? last : undefined;
}

function organization(): string {
    try {
        return pulumi.runtime.getOrganization();
    } catch {
        return ""; // the host's runtime has none: nothing reads it here
    }
}

/** The runtime's engine client, connecting it to `address` when it has none yet. */
function engineClient(address: string | undefined): ReturnType<typeof pulumi.runtime.getEngine> {
    const engine = pulumi.runtime.getEngine();
    if (engine !== undefined || address === undefined) return engine;
    const rt = pulumi.runtime;
    rt.resetOptions(rt.getProject(), rt.getStack(), -1, address, "", rt.isDryRun(), organization());
    return rt.getEngine();
}

/**
 * Sends a warning about the resource with `urn` (or about the deployment when the URN is unknown) to the engine; when
 * no engine can be reached, writes it to stderr. Never throws: a warning must not fail the operation it describes.
 */
export async function warnOnResource(message: string, urn: string | undefined, argv: readonly string[] = process.argv): Promise<void> {
    const engine = engineClient(engineAddressFrom(argv));
    if (engine === undefined) {
        process.stderr.write(`warning: ${message}\n`);
        return;
    }
    const request = new LogRequest().setSeverity(LogSeverity.WARNING).setMessage(message).setUrn(urn ?? "").setEphemeral(false);
    await new Promise<void>((resolve) => {
        try {
            engine.log(request, (error) => {
                if (error) process.stderr.write(`warning: ${message}\n`);
                resolve();
            });
        } catch {
            process.stderr.write(`warning: ${message}\n`);
            resolve();
        }
    });
}
