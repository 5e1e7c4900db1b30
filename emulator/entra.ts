/**
 * The slice of Microsoft Entra ID that MSAL Node (and so @azure/identity) needs for the client-credentials flow:
 * OpenID discovery, instance discovery, JWKS and the v2.0 token endpoint with client secrets and certificate
 * assertions. Errors use Entra's AADSTS codes and body shape.
 */
import { timingSafeEqual, createHash } from "node:crypto";
import { decodeProtectedHeader, errors as joseErrors, importX509, jwtVerify } from "jose";
import { certificateThumbprints } from "./certs";
import { GRAPH_APP_ID, GRAPH_RESOURCE } from "./constants";
import { EntraError } from "./errors";
import { isGuid } from "./ids";
import type { TokenKeys } from "./access-tokens";
import type { FederatedCredentialRegistry, FederatedIdentityCredential } from "./federation";
import { peekClaims, type OidcIssuers } from "./oidc-issuers";

/** An app registration (client) the emulator knows, with the application permissions granted to it. */
export interface EmulatorApp {
  /** Directory the app is registered in. */
  readonly tenantId: string;
  /** Application (client) id. */
  readonly clientId: string;
  /** Client secret value, if the app accepts secrets. */
  readonly clientSecret?: string;
  /** PEM of the public certificate that verifies client assertions, if the app accepts certificates. */
  readonly certificatePem?: string;
  /** Application permissions (app roles) written into the token's `roles`. */
  readonly roles: readonly string[];
  /** Shown in the token's app_displayname. */
  readonly displayName?: string;
  /** Federated identity credentials (workload identity federation) at start; more via the admin API. */
  readonly federatedCredentials?: readonly FederatedIdentityCredential[];
}

/** How a token request authenticated, for the request log. */
export interface TokenGrant {
  readonly credential: "clientSecret" | "certificate" | "federated";
  /** For federated: the external issuer and subject that were accepted. */
  readonly federatedIssuer?: string;
  readonly federatedSubject?: string;
}

/** Federated identity credentials and the OIDC issuers whose tokens can satisfy them. */
export interface Federation {
  readonly credentials: FederatedCredentialRegistry;
  readonly issuers: OidcIssuers;
}

const JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/** Entra endpoints for one emulator. */
export class EntraService {
  constructor(
    private readonly apps: () => readonly EmulatorApp[],
    private readonly keys: TokenKeys,
    private readonly tokenLifetimeSeconds: () => number,
    private readonly federation?: Federation,
  ) {}

  /** Tenants that exist: those of the registered apps. */
  private knowsTenant(tenant: string): boolean {
    return this.apps().some((a) => a.tenantId.toLowerCase() === tenant.toLowerCase());
  }

  /** GET /{tenant}/v2.0/.well-known/openid-configuration (the fields MSAL checks, plus the usual neighbours). */
  openIdConfiguration(tenant: string, base: string): unknown {
    this.requireTenant(tenant);
    return {
      token_endpoint: `${base}/${tenant}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
      jwks_uri: `${base}/${tenant}/discovery/v2.0/keys`,
      response_modes_supported: ["query", "fragment", "form_post"],
      subject_types_supported: ["pairwise"],
      id_token_signing_alg_values_supported: ["RS256"],
      response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
      scopes_supported: ["openid", "profile", "email", "offline_access"],
      issuer: `${base}/${tenant}/v2.0`,
      request_uri_parameter_supported: false,
      authorization_endpoint: `${base}/${tenant}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${base}/${tenant}/oauth2/v2.0/devicecode`,
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      end_session_endpoint: `${base}/${tenant}/oauth2/v2.0/logout`,
      claims_supported: ["sub", "iss", "aud", "exp", "iat", "nbf", "tid", "roles"],
      tenant_region_scope: "EU",
      cloud_instance_name: "microsoftonline.com",
      cloud_graph_host_name: "graph.windows.net",
      msgraph_host: "graph.microsoft.com",
    };
  }

  /** GET /common/discovery/instance, for clients that do not disable instance discovery. */
  instanceDiscovery(base: string): unknown {
    const host = new URL(base).host;
    return {
      tenant_discovery_endpoint: `${base}/{tenant}/v2.0/.well-known/openid-configuration`,
      "api-version": "1.1",
      metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
    };
  }

  /** GET /{tenant}/discovery/v2.0/keys */
  jwks(): unknown {
    return { keys: [this.keys.publicJwk] };
  }

  /**
   * POST /{tenant}/oauth2/v2.0/token, client_credentials grant only.
   * @param tokenUrls URLs under which this endpoint is reachable; a client assertion's `aud` must be one of them.
   * @param onGranted told how the client authenticated, before the token is returned (request log).
   * @throws EntraError with Entra's status, error and AADSTS code.
   */
  async token(tenant: string, form: URLSearchParams, tokenUrls: readonly string[], onGranted?: (grant: TokenGrant) => void): Promise<unknown> {
    this.requireTenant(tenant);
    const grantType = form.get("grant_type");
    if (!grantType) throw missingParameter("grant_type");
    if (grantType !== "client_credentials") {
      throw new EntraError(400, "unsupported_grant_type", 70003, `The app requested an unsupported grant type '${grantType}'.`);
    }
    const clientId = form.get("client_id");
    if (!clientId) throw missingParameter("client_id");
    const scope = form.get("scope");
    if (!scope) throw missingParameter("scope");
    const app = this.apps().find((a) => a.tenantId.toLowerCase() === tenant.toLowerCase() && a.clientId.toLowerCase() === clientId.toLowerCase());
    if (!app) {
      throw new EntraError(400, "unauthorized_client", 700016,
        `Application with identifier '${clientId}' was not found in the directory '${tenant}'. This can happen if the ` +
          `application has not been installed by the administrator of the tenant or consented to by any user in the ` +
          `tenant. You may have sent your authentication request to the wrong tenant.`);
    }
    this.checkScope(scope, tenant);
    const secret = form.get("client_secret");
    const assertion = form.get("client_assertion");
    let credentialKind: "1" | "2";
    let grant: TokenGrant;
    if (secret !== null) {
      if (!app.clientSecret || !sameSecret(secret, app.clientSecret)) {
        throw new EntraError(401, "invalid_client", 7000215,
          `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, ` +
            `not the client secret ID, for a secret added to app '${app.clientId}'.`);
      }
      credentialKind = "1";
      grant = { credential: "clientSecret" };
    } else if (assertion !== null) {
      if (form.get("client_assertion_type") !== JWT_BEARER) {
        throw new EntraError(400, "invalid_request", 50027, `Invalid client_assertion_type; expected '${JWT_BEARER}'.`);
      }
      if (this.federation !== undefined && isFederatedAssertion(assertion, app.clientId)) {
        const iss = String(peekClaims(assertion)?.iss);
        const match = await this.federation.credentials.verify(app.tenantId, app.clientId, assertion, iss, this.federation.issuers);
        grant = { credential: "federated", federatedIssuer: match.issuer, federatedSubject: match.subject };
      } else {
        await this.checkAssertion(app, assertion, tokenUrls);
        grant = { credential: "certificate" };
      }
      credentialKind = "2";
    } else {
      throw new EntraError(401, "invalid_client", 7000218,
        `The request body must contain the following parameter: 'client_assertion' or 'client_secret'.`);
    }
    onGranted?.(grant);
    const lifetime = this.tokenLifetimeSeconds();
    const accessToken = await this.keys.sign({ tenantId: app.tenantId, clientId: app.clientId, roles: app.roles, credentialKind }, lifetime);
    return { token_type: "Bearer", expires_in: lifetime, ext_expires_in: lifetime, access_token: accessToken };
  }

  private requireTenant(tenant: string): void {
    if (!this.knowsTenant(tenant)) {
      throw new EntraError(400, "invalid_request", 90002,
        `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`);
    }
  }

  /** Client credentials need exactly one `<resource>/.default` scope; OIDC scopes that MSAL may add are ignored. */
  private checkScope(scope: string, tenant: string): void {
    const scopes = scope.split(/\s+/).filter((s) => s && !["openid", "profile", "offline_access", "email"].includes(s));
    const defaults = scopes.filter((s) => s.endsWith("/.default"));
    if (scopes.length !== 1 || defaults.length !== 1) {
      throw new EntraError(400, "invalid_scope", 1002012,
        `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with ` +
          `/.default suffixed to the resource identifier (application ID URI).`);
    }
    const resource = defaults[0].slice(0, -"/.default".length).replace(/\/$/, "");
    if (resource !== GRAPH_RESOURCE && resource !== GRAPH_APP_ID) {
      throw new EntraError(400, "invalid_resource", 500011,
        `The resource principal named ${resource} was not found in the tenant named ${tenant}. This can happen if the ` +
          `application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`);
    }
  }

  /** Verifies a certificate client assertion: registered thumbprint, signature, iss/sub, aud and lifetime. */
  private async checkAssertion(app: EmulatorApp, assertion: string, tokenUrls: readonly string[]): Promise<void> {
    let header: ReturnType<typeof decodeProtectedHeader>;
    try {
      header = decodeProtectedHeader(assertion);
    } catch {
      throw new EntraError(401, "invalid_client", 50027, "JWT token is invalid or malformed.");
    }
    const alg = header.alg === "PS256" || header.alg === "RS256" ? header.alg : undefined;
    if (!alg) throw new EntraError(401, "invalid_client", 5002738, `Invalid JWT token. '${String(header.alg)}' is not a supported signature algorithm.`);
    if (!app.certificatePem) {
      throw new EntraError(401, "invalid_client", 700027, `The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found.]`);
    }
    const prints = certificateThumbprints(app.certificatePem);
    const x5t = typeof header.x5t === "string" ? header.x5t : undefined;
    const x5t256 = typeof header["x5t#S256"] === "string" ? (header["x5t#S256"] as string) : undefined;
    const matches = (x5t !== undefined && x5t === prints.sha1.toString("base64url")) ||
      (x5t256 !== undefined && x5t256 === prints.sha256.toString("base64url"));
    if (!matches) {
      throw new EntraError(401, "invalid_client", 700027,
        `The certificate with identifier used to sign the client assertion is not registered on application. ` +
          `[Reason - The key was not found., Thumbprint of key used by client: '${thumbprintHex(x5t256 ?? x5t)}']`);
    }
    try {
      const key = await importX509(app.certificatePem, alg);
      const { payload } = await jwtVerify(assertion, key, { algorithms: [alg], clockTolerance: 300 });
      if (payload.iss !== app.clientId || payload.sub !== app.clientId) {
        throw new EntraError(401, "invalid_client", 700021, `Client assertion application identifier doesn't match 'client_id' parameter.`);
      }
      const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
      const allowed = tokenUrls.map((u) => u.toLowerCase());
      if (!audiences.some((a) => typeof a === "string" && allowed.includes(a.toLowerCase()))) {
        throw new EntraError(401, "invalid_client", 50013, `Assertion audience claim does not match the required value. Expected one of: ${tokenUrls.join(", ")}.`);
      }
      if (typeof payload.exp !== "number") {
        throw new EntraError(401, "invalid_client", 700024, `Client assertion is not within its valid time range. The 'exp' claim is required.`);
      }
    } catch (err) {
      if (EntraError.isInstance(err)) throw err;
      if (err instanceof joseErrors.JWTExpired || err instanceof joseErrors.JWTClaimValidationFailed) {
        throw new EntraError(401, "invalid_client", 700024, `Client assertion is not within its valid time range.`);
      }
      if (err instanceof joseErrors.JWSSignatureVerificationFailed) {
        throw new EntraError(401, "invalid_client", 700027, `Client assertion failed signature validation.`);
      }
      throw new EntraError(401, "invalid_client", 50027, `JWT token is invalid or malformed.`);
    }
  }
}

/**
 * A certificate assertion is issued by the app itself (iss = client id) and names its certificate (x5t or
 * x5t#S256); a token from another issuer without a certificate thumbprint is an external (federated) one.
 */
function isFederatedAssertion(assertion: string, clientId: string): boolean {
  const iss = peekClaims(assertion)?.iss;
  if (typeof iss !== "string" || iss.toLowerCase() === clientId.toLowerCase()) return false;
  try {
    const header = decodeProtectedHeader(assertion);
    return header.x5t === undefined && header["x5t#S256"] === undefined;
  } catch {
    return false;
  }
}

function missingParameter(name: string): EntraError {
  return new EntraError(400, "invalid_request", 900144, `The request body must contain the following parameter: '${name}'.`);
}

/** Compares secrets in constant time (hashing first so unequal lengths do not leak through timing). */
function sameSecret(given: string, expected: string): boolean {
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}

function thumbprintHex(base64url: string | undefined): string {
  return base64url ? Buffer.from(base64url, "base64url").toString("hex").toUpperCase() : "";
}

/** True for a path segment usable as a tenant (a GUID or a domain name); used to route Entra paths. */
export function looksLikeTenant(segment: string): boolean {
  return isGuid(segment) || /^[a-z0-9.-]+\.[a-z]{2,}$/i.test(segment);
}
