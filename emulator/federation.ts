/**
 * Federated identity credentials of app registrations and the check Entra makes on a client assertion issued by an
 * external OIDC issuer (workload identity federation): known issuer, signature, lifetime, then an exact
 * (case-sensitive) issuer + subject + audience match. Errors reproduce Entra's AADSTS codes and wording.
 */
import { TOKEN_EXCHANGE_AUDIENCE } from "./constants";
import { EntraError } from "./errors";
import type { OidcIssuers } from "./oidc-issuers";

/** A federated identity credential as Entra stores it on an application. */
export interface FederatedIdentityCredential {
  /** Display name, unique per app in Entra; informational here. */
  readonly name?: string;
  /** `iss` of accepted assertions, compared exactly. */
  readonly issuer: string;
  /** `sub` of accepted assertions, compared exactly. */
  readonly subject: string;
  /** Accepted `aud` values; default [api://AzureADTokenExchange]. */
  readonly audiences?: readonly string[];
}

/** What a successful federated assertion proved, for the request log. */
export interface FederatedMatch {
  readonly issuer: string;
  readonly subject: string;
}

const DOCS = "https://learn.microsoft.com/entra/workload-id/workload-identity-federation";

function appKey(tenantId: string, clientId: string): string {
  return `${tenantId.toLowerCase()}/${clientId.toLowerCase()}`;
}

/** Federated credentials per app, mutable through the admin API; reset() restores those given at start. */
export class FederatedCredentialRegistry {
  private readonly initial: Map<string, FederatedIdentityCredential[]>;
  private current: Map<string, FederatedIdentityCredential[]>;

  constructor(apps: readonly { tenantId: string; clientId: string; federatedCredentials?: readonly FederatedIdentityCredential[] }[]) {
    this.initial = new Map(apps.map((a) => [appKey(a.tenantId, a.clientId), (a.federatedCredentials ?? []).map(normalize)]));
    this.current = this.copyInitial();
  }

  private copyInitial(): Map<string, FederatedIdentityCredential[]> {
    return new Map([...this.initial].map(([k, v]) => [k, v.map((c) => ({ ...c }))]));
  }

  /** Credentials of an app (a copy). */
  list(tenantId: string, clientId: string): FederatedIdentityCredential[] {
    return (this.current.get(appKey(tenantId, clientId)) ?? []).map((c) => ({ ...c, audiences: [...(c.audiences ?? [])] }));
  }

  /** Adds a credential to an app. */
  add(tenantId: string, clientId: string, credential: FederatedIdentityCredential): FederatedIdentityCredential {
    const key = appKey(tenantId, clientId);
    const c = normalize(credential);
    this.current.set(key, [...(this.current.get(key) ?? []), c]);
    return { ...c };
  }

  reset(): void {
    this.current = this.copyInitial();
  }

  /**
   * Verifies a federated client assertion for an app.
   * @param iss the assertion's (unverified) issuer, already known not to be the app itself.
   * @throws EntraError AADSTS700211 (no credential for the issuer), 700027 (signature), 700024 (lifetime),
   *   70021 (no credential matching issuer + subject + audience).
   */
  async verify(tenantId: string, clientId: string, assertion: string, iss: string, issuers: OidcIssuers): Promise<FederatedMatch> {
    const credentials = this.current.get(appKey(tenantId, clientId)) ?? [];
    const forIssuer = credentials.filter((c) => c.issuer === iss);
    const issuer = issuers.byIssuer(iss);
    if (forIssuer.length === 0 || issuer === undefined) {
      // An issuer the emulator does not host cannot be verified; Entra answers the same when it cannot match one.
      throw new EntraError(401, "invalid_client", 700211,
        `No matching federated identity record found for presented assertion issuer '${iss}'. Please check your ` +
          `federated identity credential Subject, Audience and Issuer against the presented assertion. ${DOCS}`);
    }
    const verified = await issuer.verify(assertion);
    if (!verified.ok) {
      if (verified.reason === "signature") {
        throw new EntraError(401, "invalid_client", 700027, `Client assertion failed signature validation.`);
      }
      if (verified.reason === "lifetime") throw outOfTimeRange(assertion);
      throw new EntraError(401, "invalid_client", 50027, `JWT token is invalid or malformed.`);
    }
    const { sub, aud } = verified.payload;
    const audiences = (Array.isArray(aud) ? aud : [aud]).filter((a): a is string => typeof a === "string");
    const match = forIssuer.find((c) => c.subject === sub && audiences.some((a) => (c.audiences ?? []).includes(a)));
    if (!match) {
      throw new EntraError(400, "invalid_request", 70021,
        `No matching federated identity record found for presented assertion. Assertion Issuer: '${iss}'. ` +
          `Assertion Subject: '${String(sub)}'. Assertion Audience: '${audiences.join(",")}'. ${DOCS}`);
    }
    return { issuer: iss, subject: match.subject };
  }
}

function normalize(c: FederatedIdentityCredential): FederatedIdentityCredential {
  if (typeof c?.issuer !== "string" || !c.issuer || typeof c.subject !== "string" || !c.subject) {
    throw new TypeError("a federated identity credential needs a non-empty issuer and subject");
  }
  const audiences = c.audiences === undefined || c.audiences.length === 0 ? [TOKEN_EXCHANGE_AUDIENCE] : [...c.audiences];
  return { ...(c.name !== undefined ? { name: c.name } : {}), issuer: c.issuer, subject: c.subject, audiences };
}

/** AADSTS700024 with the times Entra quotes. */
function outOfTimeRange(assertion: string): EntraError {
  const claims = JSON.parse(Buffer.from(assertion.split(".")[1] ?? "", "base64url").toString("utf8") || "{}") as Record<string, unknown>;
  const at = (s: unknown) => (typeof s === "number" ? new Date(s * 1000).toISOString() : "(none)");
  return new EntraError(401, "invalid_client", 700024,
    `Client assertion is not within its valid time range. Current time: ${new Date().toISOString()}, assertion ` +
      `valid from ${at(claims.nbf ?? claims.iat)}, expiry time of assertion ${at(claims.exp)}. Review the documentation ` +
      `at https://docs.microsoft.com/azure/active-directory/develop/active-directory-certificate-credentials .`);
}
