/**
 * `npm run emulator`: starts the Graph + Entra emulator in the foreground and prints how to use it.
 *
 * Flags (each also read from an environment variable):
 *   --port N               EMULATOR_PORT            (default 8443; 0 picks a free port)
 *   --data-file PATH       EMULATOR_DATA_FILE       (default .emulator/data.json; "" keeps data in memory)
 *   --cert-dir PATH        EMULATOR_CERT_DIR        (default .emulator/certs)
 *   --faults JSON          EMULATOR_FAULTS          (FaultOptions, e.g. '{"serverErrorRate":0.1,"seed":1,"listPageSize":10}')
 *   --latency-ms N|MIN-MAX EMULATOR_LATENCY_MS
 *   --token-lifetime N     EMULATOR_TOKEN_LIFETIME_SECONDS
 */
import * as path from "node:path";
import { parseArgs } from "node:util";
import { defaultCertDir, startEmulator, type FaultOptions, type LatencyOption } from "./index";

function parseLatency(text: string | undefined): LatencyOption | undefined {
  if (!text) return undefined;
  const range = /^(\d+)-(\d+)$/.exec(text);
  if (range) return { minMs: Number(range[1]), maxMs: Number(range[2]) };
  const n = Number(text);
  if (!Number.isFinite(n)) throw new Error(`--latency-ms expects N or MIN-MAX, got '${text}'`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: "string" },
      "data-file": { type: "string" },
      "cert-dir": { type: "string" },
      faults: { type: "string" },
      "latency-ms": { type: "string" },
      "token-lifetime": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log("usage: npm run emulator -- [--port N] [--data-file PATH] [--cert-dir PATH] [--faults JSON] [--latency-ms N|MIN-MAX] [--token-lifetime N]");
    console.log("  --faults JSON fields (FaultOptions, see emulator/README.md): seed, latency, rateLimit {writesPerWindow, requestsPerWindow,");
    console.log("    windowSeconds} | false, serverErrorRate, resetRate, dropAfterCommitRate, refuseItemRoutes {kind: bool},");
    console.log("    refuseItemReads {kind: bool}, draftProvisioningRoutes (default true), listPageSize (default 100), permissionsRevoked");
    return;
  }
  const env = process.env;
  const port = Number(values.port ?? env.EMULATOR_PORT ?? 8443);
  const dataFileOption = values["data-file"] ?? env.EMULATOR_DATA_FILE ?? path.join(path.dirname(defaultCertDir()), "data.json");
  const faultsText = values.faults ?? env.EMULATOR_FAULTS;
  const faults = faultsText ? (JSON.parse(faultsText) as FaultOptions) : undefined;
  const lifetimeText = values["token-lifetime"] ?? env.EMULATOR_TOKEN_LIFETIME_SECONDS;

  const emu = await startEmulator({
    port,
    dataFile: dataFileOption === "" ? undefined : dataFileOption,
    certDir: values["cert-dir"] ?? env.EMULATOR_CERT_DIR,
    faults,
    latency: parseLatency(values["latency-ms"] ?? env.EMULATOR_LATENCY_MS),
    tokenLifetimeSeconds: lifetimeText ? Number(lifetimeText) : undefined,
  });

  const tokenUrl = `${emu.authorityHost}/${emu.tenantId}/oauth2/v2.0/token`;
  // Handlers first: whoever reads "Ctrl-C stops it." may signal at once, and must get a clean stop.
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping emulator`);
    emu.stop().then(() => process.exit(0), () => process.exit(1));
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
  console.log(`Microsoft Graph + Entra emulator listening on ${emu.graphBaseUrl}
  Graph base URL : ${emu.graphBaseUrl}/beta   (and /v1.0)
  Authority host : ${emu.authorityHost}
  Admin API      : ${emu.adminUrl}   (loopback only, no token)
  Tenant id      : ${emu.tenantId}
  Client id      : ${emu.clientId}
  Client secret  : ${emu.clientSecret}
  CA certificate : ${emu.caCertPath}
  Data file      : ${dataFileOption === "" ? "(in memory)" : path.resolve(dataFileOption)}

Point the provider (or any @azure/identity client) at it:
  export AZURE_TENANT_ID=${emu.tenantId}
  export AZURE_CLIENT_ID=${emu.clientId}
  export AZURE_CLIENT_SECRET='${emu.clientSecret}'
  export AZURE_AUTHORITY_HOST=${emu.authorityHost}
  export NODE_EXTRA_CA_CERTS=${emu.caCertPath}
  export MSGRAPH_BASE_URL=${emu.graphBaseUrl}
  (credentials need { authorityHost: "${emu.authorityHost}", disableInstanceDiscovery: true })

Workload identity federation instead of the client secret (unset AZURE_CLIENT_SECRET; the default app trusts both):
  GitHub Actions (sub ${emu.githubOidc.subject}):
    export ACTIONS_ID_TOKEN_REQUEST_URL='${emu.githubOidc.requestUrl}'
    export ACTIONS_ID_TOKEN_REQUEST_TOKEN=${emu.githubOidc.requestToken}
  Azure DevOps (sub ${emu.azureDevOpsOidc.subject}):
    export SYSTEM_OIDCREQUESTURI=${emu.azureDevOpsOidc.oidcRequestUri}
    export SYSTEM_ACCESSTOKEN=${emu.azureDevOpsOidc.systemAccessToken}
    export AZURESUBSCRIPTION_SERVICE_CONNECTION_ID=${emu.azureDevOpsOidc.serviceConnectionId}

Try it:
  TOKEN=$(curl -s --cacert ${emu.caCertPath} ${tokenUrl} \\
    -d grant_type=client_credentials -d client_id=${emu.clientId} \\
    --data-urlencode 'client_secret=${emu.clientSecret}' \\
    --data-urlencode scope=https://graph.microsoft.com/.default | sed -E 's/.*"access_token":"([^"]+)".*/\\1/')
  curl -s --cacert ${emu.caCertPath} -H "Authorization: Bearer $TOKEN" \\
    ${emu.graphBaseUrl}/beta/deviceManagement/groupPolicyConfigurations

Ctrl-C stops it.`);

}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
