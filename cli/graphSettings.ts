/** Graph settings and clients for the CLI commands: `msgraph:*` keys (stack config, flags) over AZURE_* env. */
import { getSharedGraphClient, resolveAuthSettings, type GraphClient } from "../provider/graph";

/** A flat map of `msgraph:<key>` → value. */
export type GraphConfig = Readonly<Record<string, string | undefined>>;

export function graphClientFor(config: GraphConfig, env: NodeJS.ProcessEnv = process.env): GraphClient {
    const source = { get: (key: string) => config[key.includes(":") ? key : `msgraph:${key}`] };
    return getSharedGraphClient(resolveAuthSettings(source, env));
}
