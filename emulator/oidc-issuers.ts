/**
 * The external OIDC issuers the emulator hosts for workload identity federation: GitHub Actions and Azure DevOps.
 * Each has its own RS256 key, generated on first use (so emulators that never federate pay nothing) and kept in
 * memory only: their tokens live minutes, so losing the key on restart costs nothing.
 */
import { randomUUID } from "node:crypto";
import { decodeJwt, errors as joseErrors, exportJWK, generateKeyPair, jwtVerify, SignJWT, type CryptoKey, type JWTPayload } from "jose";

/** The issuers by name. */
export type OidcIssuerName = "github" | "azureDevOps";

interface IssuerKey {
  readonly privateKey: CryptoKey;
  readonly publicKey: CryptoKey;
  readonly kid: string;
}

/** Why a token did not verify against its issuer. */
export type IssuerVerifyFailure = "signature" | "lifetime" | "malformed";

/** One issuer: an `iss` URL and a lazily generated signing key. */
export class OidcIssuer {
  private key: Promise<IssuerKey> | undefined;

  constructor(readonly name: OidcIssuerName, readonly issuer: string) {}

  private signingKey(): Promise<IssuerKey> {
    this.key ??= (async () => {
      const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
      const jwk = await exportJWK(publicKey);
      return { privateKey, publicKey, kid: String(jwk.n).slice(0, 16) };
    })();
    return this.key;
  }

  /**
   * Signs a token with `iss` = this issuer and fresh iat/nbf/exp/jti; fields of `claims` win, so tests can forge
   * expired or foreign tokens with the real key.
   */
  async sign(claims: JWTPayload, lifetimeSeconds: number): Promise<string> {
    const key = await this.signingKey();
    const now = Math.floor(Date.now() / 1000);
    const payload: JWTPayload = { jti: randomUUID(), iss: this.issuer, iat: now, nbf: now, exp: now + lifetimeSeconds, ...claims };
    return new SignJWT(payload).setProtectedHeader({ alg: "RS256", typ: "JWT", kid: key.kid }).sign(key.privateKey);
  }

  /**
   * Verifies signature and lifetime (nbf/exp, 5 minutes of skew as Entra allows; exp is required).
   * @returns the payload, or why it failed.
   */
  async verify(token: string): Promise<{ ok: true; payload: JWTPayload } | { ok: false; reason: IssuerVerifyFailure }> {
    const key = await this.signingKey();
    try {
      const { payload } = await jwtVerify(token, key.publicKey, { algorithms: ["RS256"], clockTolerance: 300, requiredClaims: ["exp"] });
      return { ok: true, payload };
    } catch (err) {
      if (err instanceof joseErrors.JWSSignatureVerificationFailed) return { ok: false, reason: "signature" };
      if (err instanceof joseErrors.JWTExpired || err instanceof joseErrors.JWTClaimValidationFailed) return { ok: false, reason: "lifetime" };
      return { ok: false, reason: "malformed" };
    }
  }
}

/** The emulator's issuers, looked up by name or by `iss`. */
export class OidcIssuers {
  readonly github: OidcIssuer;
  readonly azureDevOps: OidcIssuer;

  constructor(githubIssuer: string, azureDevOpsIssuer: string) {
    this.github = new OidcIssuer("github", githubIssuer);
    this.azureDevOps = new OidcIssuer("azureDevOps", azureDevOpsIssuer);
  }

  byName(name: OidcIssuerName): OidcIssuer {
    return name === "github" ? this.github : this.azureDevOps;
  }

  /** The hosted issuer whose URL is exactly `iss` (Entra compares issuers case-sensitively). */
  byIssuer(iss: string): OidcIssuer | undefined {
    return [this.github, this.azureDevOps].find((i) => i.issuer === iss);
  }
}

/** The unverified payload of a JWT, or undefined when it is not one. */
export function peekClaims(token: string): JWTPayload | undefined {
  try {
    return decodeJwt(token);
  } catch {
    return undefined;
  }
}
