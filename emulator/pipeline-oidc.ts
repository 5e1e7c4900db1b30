/**
 * The CI token services that hand a job its OIDC token, as GitHub Actions and Azure DevOps expose them:
 *
 * - GitHub: GET {ACTIONS_ID_TOKEN_REQUEST_URL}&audience=… with `Authorization: bearer {ACTIONS_ID_TOKEN_REQUEST_TOKEN}`
 *   → `{"count":N,"value":"<jwt>"}`.
 * - Azure DevOps: POST {SYSTEM_OIDCREQUESTURI}?api-version=7.1&serviceConnectionId=… with
 *   `Authorization: Bearer {SYSTEM_ACCESSTOKEN}` → `{"oidcToken":"<jwt>"}` (what @azure/identity's
 *   AzurePipelinesCredential sends and reads).
 *
 * Request tokens are random per start; each maps to the identity (subject) the job has.
 */
import { randomBytes } from "node:crypto";
import { TOKEN_EXCHANGE_AUDIENCE } from "./constants";
import { newGuid } from "./ids";
import type { OidcIssuer } from "./oidc-issuers";

/** An HTTP answer of a token service. */
export interface OidcReply {
  readonly status: number;
  readonly body: unknown;
}

/** GitHub mints ID tokens valid for a few minutes. */
const GITHUB_TOKEN_LIFETIME_SECONDS = 300;
/** Azure DevOps OIDC tokens are short-lived too. */
const ADO_TOKEN_LIFETIME_SECONDS = 600;

/** Path of the GitHub service under the emulator origin. */
export const GITHUB_OIDC_PATH = "/github-oidc/_apis/pipelines/idtoken";
/** Prefix of the Azure DevOps service; the full path mimics dev.azure.com's. */
export const ADO_OIDC_PREFIX = "/ado-oidc/";

function newRequestToken(prefix: string): string {
  return `${prefix}${randomBytes(24).toString("base64url")}`;
}

function bearer(authorization: string | undefined): string | undefined {
  const m = /^bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
  return m?.[1];
}

/** GitHub Actions' ID token service. */
export class GitHubOidcService {
  /** request token → job subject */
  private readonly jobs = new Map<string, string>();
  /** The request token of the default job. */
  readonly defaultRequestToken: string;

  constructor(private readonly issuer: OidcIssuer, readonly defaultSubject: string) {
    this.defaultRequestToken = this.addJob(defaultSubject);
  }

  /** Registers a job whose tokens carry `subject`; returns its request token. */
  addJob(subject: string): string {
    if (typeof subject !== "string" || !subject) throw new TypeError("a GitHub job needs a subject");
    const token = newRequestToken("ghrt_");
    this.jobs.set(token, subject);
    return token;
  }

  /** GET …/idtoken?api-version=2.0&audience=… */
  async handle(method: string, query: URLSearchParams, authorization: string | undefined): Promise<OidcReply> {
    if (method !== "GET") return { status: 405, body: { message: `Method ${method} not allowed; use GET.` } };
    const subject = this.jobs.get(bearer(authorization) ?? "");
    if (subject === undefined) return { status: 401, body: { message: "Bad credentials: the request token is missing, unknown or expired." } };
    const repo = /^repo:([^/:]+)\/([^:]+):/.exec(subject);
    const owner = repo?.[1] ?? "contoso";
    // Without an audience GitHub uses the owner's URL, which Entra does not accept: callers must ask for one.
    const audience = query.get("audience") || `https://github.com/${owner}`;
    const ref = /:ref:(.+)$/.exec(subject)?.[1];
    const value = await this.issuer.sign({
      sub: subject,
      aud: audience,
      ...(ref !== undefined ? { ref, ref_type: ref.startsWith("refs/tags/") ? "tag" : "branch" } : {}),
      ...(repo ? { repository: `${repo[1]}/${repo[2]}`, repository_owner: owner } : {}),
      run_id: String(1_000_000 + Math.floor(Math.random() * 1_000_000)),
      event_name: "push",
      runner_environment: "github-hosted",
    }, GITHUB_TOKEN_LIFETIME_SECONDS);
    return { status: 200, body: { count: value.length, value } };
  }
}

/** An Azure DevOps service connection that uses workload identity federation. */
export interface ServiceConnection {
  readonly id: string;
  readonly name: string;
}

/** Azure DevOps' OIDC token service for one organization and project. */
export class AzureDevOpsOidcService {
  private readonly connections = new Map<string, ServiceConnection>();
  private readonly accessTokens = new Set<string>();
  /** SYSTEM_ACCESSTOKEN of the default job. */
  readonly defaultAccessToken: string;
  /** Path part of SYSTEM_OIDCREQUESTURI (after the origin). */
  readonly requestPath: string;

  constructor(private readonly issuer: OidcIssuer, readonly organization: string, readonly project: string, defaultConnection: ServiceConnection) {
    this.defaultAccessToken = this.addJob();
    this.addServiceConnection(defaultConnection);
    this.requestPath = `${ADO_OIDC_PREFIX}${encodeURIComponent(organization)}/${newGuid()}/_apis/distributedtask/hubs/build/plans/${newGuid()}/jobs/${newGuid()}/oidctoken`;
  }

  /** A new valid SYSTEM_ACCESSTOKEN. */
  addJob(): string {
    const token = newRequestToken("adost_");
    this.accessTokens.add(token);
    return token;
  }

  /** Registers (or replaces) a service connection; returns the `sub` its tokens carry. */
  addServiceConnection(connection: { id?: string; name: string }): { id: string; name: string; subject: string } {
    if (typeof connection?.name !== "string" || !connection.name) throw new TypeError("a service connection needs a name");
    const id = (connection.id ?? newGuid()).toLowerCase();
    this.connections.set(id, { id, name: connection.name });
    return { id, name: connection.name, subject: this.subjectOf(connection.name) };
  }

  /** Entra federated credential subject of a service connection: sc://{org}/{project}/{connection name}. */
  subjectOf(connectionName: string): string {
    return `sc://${this.organization}/${this.project}/${connectionName}`;
  }

  /** POST …/oidctoken?api-version=7.1&serviceConnectionId=… */
  async handle(method: string, path: string, query: URLSearchParams, authorization: string | undefined): Promise<OidcReply> {
    if (!/^\/ado-oidc\/[^/]+\/[^/]+\/_apis\/distributedtask\/hubs\/build\/plans\/[^/]+\/jobs\/[^/]+\/oidctoken$/i.test(path)) {
      return { status: 404, body: vssError("The requested resource does not exist.", "ResourceNotFoundException") };
    }
    if (method !== "POST") return { status: 405, body: vssError(`The requested resource does not support http method '${method}'.`, "HttpMethodNotAllowed") };
    if (!this.accessTokens.has(bearer(authorization) ?? "")) {
      // With X-TFS-FedAuthRedirect: Suppress (which @azure/identity sends) Azure DevOps answers 401 instead of a sign-in redirect.
      return { status: 401, body: vssError("TF400813: The user '' is not authorized to access this resource.", "UnauthorizedRequestException") };
    }
    if (!query.get("api-version")) {
      return { status: 400, body: vssError(`No api-version was supplied for the "POST" request. The version must be supplied either as part of the Accept header (e.g. "application/json; api-version=1.0") or as a query parameter (e.g. "?api-version=1.0").`, "VssVersionNotSpecifiedException") };
    }
    const id = (query.get("serviceConnectionId") ?? "").toLowerCase();
    const connection = this.connections.get(id);
    if (!connection) {
      return { status: 400, body: vssError(`Service connection '${id}' was not found, or the pipeline is not authorized to use it.`, "ArgumentException") };
    }
    const oidcToken = await this.issuer.sign({ sub: this.subjectOf(connection.name), aud: TOKEN_EXCHANGE_AUDIENCE }, ADO_TOKEN_LIFETIME_SECONDS);
    return { status: 200, body: { oidcToken } };
  }
}

/** Azure DevOps' error body shape. */
function vssError(message: string, typeKey: string): unknown {
  return { $id: "1", innerException: null, message, typeName: `Microsoft.VisualStudio.Services.WebApi.${typeKey}`, typeKey, errorCode: 0, eventId: 3000 };
}
