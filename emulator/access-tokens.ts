/**
 * Signing and verifying the emulator's access tokens (RS256 JWTs shaped like Entra's v1 Graph app tokens).
 * Entra issues and Graph verifies; in the emulator both sides share this one key.
 */
import { createHash, createPrivateKey, createPublicKey } from "node:crypto";
import { errors as joseErrors, importJWK, jwtVerify, SignJWT, type CryptoKey, type JWK } from "jose";
import { GRAPH_APP_ID, GRAPH_RESOURCE } from "./constants";
import { GraphError } from "./errors";
import { newGuid } from "./ids";

/** Claims the Graph side relies on. */
export interface AccessTokenClaims {
  readonly tid: string;
  readonly appid: string;
  readonly roles: readonly string[];
  readonly exp: number;
}

/** What the Entra side puts into a new token. */
export interface TokenSubject {
  readonly tenantId: string;
  readonly clientId: string;
  readonly roles: readonly string[];
  /** "1" for a client secret, "2" for a certificate (Entra's appidacr). */
  readonly credentialKind: "1" | "2";
}

/** Holds the signing key; create with {@link TokenKeys.load}. */
export class TokenKeys {
  private constructor(
    private readonly privateKey: CryptoKey,
    private readonly publicKey: CryptoKey,
    /** Public JWK with kid/use/alg, as served on the JWKS endpoint. */
    readonly publicJwk: JWK,
  ) {}

  /** Imports a PKCS#8 RSA key; the kid is a thumbprint of the public key so it is stable across restarts. */
  static async load(privateKeyPem: string): Promise<TokenKeys> {
    const privateJwk = createPrivateKey(privateKeyPem).export({ format: "jwk" }) as JWK;
    const publicJwk = createPublicKey(privateKeyPem).export({ format: "jwk" }) as JWK;
    const kid = createHash("sha256").update(`${publicJwk.n}.${publicJwk.e}`).digest("base64url").slice(0, 27);
    const jwk: JWK = { kty: "RSA", use: "sig", alg: "RS256", kid, x5t: kid, n: publicJwk.n, e: publicJwk.e };
    return new TokenKeys(
      (await importJWK(privateJwk, "RS256")) as CryptoKey,
      (await importJWK(jwk, "RS256")) as CryptoKey,
      jwk,
    );
  }

  /** Signs a Graph access token valid for `lifetimeSeconds`. */
  async sign(subject: TokenSubject, lifetimeSeconds: number): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const issuer = `https://sts.windows.net/${subject.tenantId}/`;
    // The service principal's object id is stable per app, as in a real tenant.
    const oid = guidFrom(`${subject.tenantId}/${subject.clientId}`);
    return new SignJWT({
      appid: subject.clientId,
      appidacr: subject.credentialKind,
      idp: issuer,
      idtyp: "app",
      oid,
      roles: [...subject.roles],
      sub: oid,
      tid: subject.tenantId,
      uti: newGuid().replace(/-/g, "").slice(0, 22),
      ver: "1.0",
    })
      .setProtectedHeader({ typ: "JWT", alg: "RS256", kid: this.publicJwk.kid!, x5t: this.publicJwk.kid! })
      .setAudience(GRAPH_RESOURCE)
      .setIssuer(issuer)
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(now + lifetimeSeconds)
      .sign(this.privateKey);
  }

  /**
   * Verifies the Authorization header of a Graph request.
   * @throws GraphError 401 InvalidAuthenticationToken with Graph's messages.
   */
  async verify(authorization: string | undefined): Promise<AccessTokenClaims> {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
    if (!match) throw unauthenticated("Access token is empty.");
    try {
      const { payload } = await jwtVerify(match[1], this.publicKey, { algorithms: ["RS256"], clockTolerance: 0 });
      const aud = payload.aud;
      const audiences = Array.isArray(aud) ? aud : [aud];
      if (!audiences.some((a) => a === GRAPH_RESOURCE || a === `${GRAPH_RESOURCE}/` || a === GRAPH_APP_ID)) {
        throw unauthenticated("Access token validation failure. Invalid audience.");
      }
      const { tid, appid, roles, exp } = payload as Record<string, unknown>;
      if (typeof tid !== "string" || typeof appid !== "string" || typeof exp !== "number") {
        throw unauthenticated("Access token validation failure.");
      }
      return { tid, appid, exp, roles: Array.isArray(roles) ? roles.filter((r): r is string => typeof r === "string") : [] };
    } catch (err) {
      if (GraphError.isInstance(err)) throw err;
      if (err instanceof joseErrors.JWTExpired) throw unauthenticated("Lifetime validation failed, the token is expired.");
      if (err instanceof joseErrors.JWSSignatureVerificationFailed) throw unauthenticated("Access token validation failure. Invalid signature.");
      if (err instanceof joseErrors.JWTClaimValidationFailed) throw unauthenticated("Access token has expired or is not yet valid.");
      throw unauthenticated("IDX14100: JWT is not well formed. Access token validation failure.");
    }
  }
}

function unauthenticated(message: string): GraphError {
  return new GraphError(401, "InvalidAuthenticationToken", message, {
    "WWW-Authenticate": `Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="${GRAPH_APP_ID}"`,
  });
}

/** A GUID-formatted digest of `text` (deterministic ids for derived objects). */
function guidFrom(text: string): string {
  const h = createHash("sha256").update(text).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
