/** Shared helpers for the emulator tests: plain HTTPS calls that trust the emulator's CA, token fetching, and a seeded-emulator fixture. */
import * as https from "node:https";
import { startEmulator, type PolicyKind, type RunningEmulator } from "../../emulator";

/** A decoded HTTP answer. */
export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON body, or undefined for an empty body. */
  body: any;
  text: string;
}

/** Options of {@link call}. */
export interface CallOptions {
  body?: unknown;
  /** Raw string body (sent as-is). */
  raw?: string;
  token?: string;
  headers?: Record<string, string>;
}

/** One HTTPS request to the emulator with its CA trusted (node's https, since fetch cannot take a CA). */
export function call(emu: RunningEmulator, method: string, path: string, options: CallOptions = {}): Promise<Reply> {
  const payload = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const headers: Record<string, string> = { ...options.headers };
  if (payload !== undefined && !headers["content-type"]) headers["content-type"] = "application/json";
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  return new Promise((resolve, reject) => {
    const req = https.request(`${emu.graphBaseUrl}${path}`, { method, headers, ca: emu.caCertPem, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("error", reject);
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        let body: unknown;
        try {
          body = text ? JSON.parse(text) : undefined;
        } catch {
          body = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text });
      });
    });
    req.on("error", reject);
    req.end(payload);
  });
}

/** Posts a client-credentials form to the token endpoint. */
export function tokenRequest(emu: RunningEmulator, form: Record<string, string>, tenant = emu.tenantId): Promise<Reply> {
  return call(emu, "POST", `/${tenant}/oauth2/v2.0/token`, {
    raw: new URLSearchParams(form).toString(),
    headers: { "content-type": "application/x-www-form-urlencoded" },
  });
}

/** Gets an access token for the default app (or the given client). */
export async function getToken(emu: RunningEmulator, clientId = emu.clientId, clientSecret = emu.clientSecret, tenant = emu.tenantId): Promise<string> {
  const reply = await tokenRequest(emu, {
    grant_type: "client_credentials", client_id: clientId, client_secret: clientSecret, scope: "https://graph.microsoft.com/.default",
  }, tenant);
  if (reply.status !== 200) throw new Error(`token request failed: ${reply.status} ${reply.text}`);
  return reply.body.access_token as string;
}

/** What {@link useEmulator} sets up before each test; the fields are replaced for every test. */
export interface EmulatorSession {
  /** A fresh emulator on a free port (a test may stop it and put another in its place; the one here is stopped after the test). */
  emu: RunningEmulator;
  /** An access token of the default app on {@link emu}. */
  token: string;
}

/** What {@link useSeededEmulator} sets up: an {@link EmulatorSession} with one seeded policy. */
export interface SeededEmulator extends EmulatorSession {
  /** The id of the one policy seeded on {@link emu}. */
  policyId: string;
}

/**
 * Registers mocha hooks in the calling `describe`: before each test, start an emulator on port 0 and fetch a token
 * for the default app; after each test, stop the emulator. Read the fields of the returned object inside the tests
 * (they are set by the hook, not at `describe` time).
 */
export function useEmulator(): EmulatorSession {
  const session = {} as EmulatorSession;
  beforeEach(async () => {
    session.emu = await startEmulator({ port: 0 });
    session.token = await getToken(session.emu);
  });
  afterEach(() => session.emu.stop());
  return session;
}

/** {@link useEmulator}, plus one policy of `kind` named `displayName` seeded before each test. */
export function useSeededEmulator(kind: PolicyKind, displayName: string): SeededEmulator {
  const seeded = useEmulator() as SeededEmulator;
  beforeEach(() => {
    seeded.policyId = seeded.emu.admin.seedPolicy(kind, { displayName }).id;
  });
  return seeded;
}

export const GROUP_A = "11111111-1111-4111-8111-111111111111";
export const GROUP_B = "22222222-2222-4222-8222-222222222222";
export const FILTER_ID = "33333333-3333-4333-8333-333333333333";
export const SERVICE_PLAN = "44444444-4444-4444-8444-444444444444";

/** Intune group target in the form Intune's own examples write (no leading '#'). */
export function groupTarget(groupId: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { "@odata.type": "microsoft.graph.groupAssignmentTarget", groupId, ...extra };
}

export const GPC = "/beta/deviceManagement/groupPolicyConfigurations";
export const VE = "/beta/deviceManagement/virtualEndpoint/provisioningPolicies";
