/** Identifier and timestamp helpers shared by the Graph and Entra handlers. */
import { randomUUID } from "node:crypto";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The all-zero GUID; Intune uses it as "no filter". */
export const EMPTY_GUID = "00000000-0000-0000-0000-000000000000";

/** True when `value` is a GUID in the 8-4-4-4-12 form Graph requires for ids. */
export function isGuid(value: unknown): value is string {
  return typeof value === "string" && GUID.test(value);
}

/** A new random GUID (server-set ids, request ids). */
export function newGuid(): string {
  return randomUUID();
}

/**
 * Now as an ISO 8601 timestamp with seven fractional digits, the precision Graph (.NET DateTimeOffset) writes.
 * A counter makes consecutive calls strictly increasing, so "changes on every write" holds even within one ms.
 */
export function graphTimestamp(): string {
  let now = Date.now();
  if (now <= lastMs) now = lastMs + 1;
  lastMs = now;
  return new Date(now).toISOString().replace(/\.(\d{3})Z$/, ".$10000Z");
}
let lastMs = 0;
