/**
 * Graph JSON batching (`POST /{version}/$batch`): validation of the batch body and the order in which its requests
 * run. Running one request is the server's job (the same pipeline as a standalone request); this module only
 * decides what runs when, and answers 424 for requests whose dependency failed.
 */
import { badRequest, GraphError } from "./errors";

/** Most requests one batch may carry (documented limit). */
export const MAX_BATCH_REQUESTS = 20;

const METHODS = new Set(["GET", "POST", "PATCH", "PUT", "DELETE"]);

/** One validated request of a batch. */
export interface BatchItem {
  /** The client's id, as sent. */
  readonly id: string;
  readonly method: string;
  /** Path below the version root, always with a leading slash, e.g. /deviceManagement/groupPolicyConfigurations. */
  readonly path: string;
  readonly query: URLSearchParams;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  /** The `body` member as sent (undefined when absent); see {@link itemBody}. */
  readonly body: unknown;
  /** Ids (as sent in this batch) that must succeed before this request runs. */
  readonly dependsOn: readonly string[];
}

/** One entry of the batch answer's `responses`. */
export interface BatchItemResponse {
  readonly id: string;
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: unknown;
}

/**
 * Checks a batch body and returns its requests in request order.
 * @throws GraphError 400 for the whole batch, naming the problem: not an object, no `requests` array, none or
 *   more than {@link MAX_BATCH_REQUESTS} requests, a missing or invalid `id`/`method`/`url`/`headers`/`dependsOn`,
 *   duplicate ids (case-insensitive), a body without a Content-Type header, or a dependency cycle.
 */
export function parseBatch(body: unknown): BatchItem[] {
  if (body === null || typeof body !== "object" || Array.isArray(body)) throw invalid("the body must be a JSON object with a 'requests' array");
  const requests = (body as Record<string, unknown>).requests;
  if (!Array.isArray(requests)) throw invalid("property 'requests' must be an array of requests");
  if (requests.length === 0) throw invalid("property 'requests' must contain at least one request");
  if (requests.length > MAX_BATCH_REQUESTS) {
    throw invalid(`property 'requests' has ${requests.length} requests; a batch may contain at most ${MAX_BATCH_REQUESTS}`);
  }
  const items = requests.map((request, index) => parseItem(request, index));
  const seen = new Map<string, string>();
  for (const item of items) {
    const key = item.id.toLowerCase();
    if (seen.has(key)) throw invalid(`request id '${item.id}' is used more than once (ids must be unique in a batch, ignoring case)`);
    seen.set(key, item.id);
  }
  for (const item of items) {
    for (const dep of item.dependsOn) {
      if (!seen.has(dep.toLowerCase())) throw invalid(`request '${item.id}' dependsOn '${dep}', which is not a request of this batch`);
      if (dep.toLowerCase() === item.id.toLowerCase()) throw invalid(`request '${item.id}' depends on itself`);
    }
  }
  rejectCycles(items);
  return items;
}

function parseItem(request: unknown, index: number): BatchItem {
  const where = `requests[${index}]`;
  if (request === null || typeof request !== "object" || Array.isArray(request)) throw invalid(`${where} must be an object`);
  const r = request as Record<string, unknown>;
  if (typeof r.id !== "string" || r.id.trim() === "") throw invalid(`${where} needs an 'id' (a non-empty string)`);
  const id = r.id;
  if (typeof r.method !== "string" || !METHODS.has(r.method.toUpperCase())) {
    throw invalid(`request '${id}' needs a 'method' (one of ${[...METHODS].join(", ")})`);
  }
  if (typeof r.url !== "string" || r.url.trim() === "") throw invalid(`request '${id}' needs a 'url' (relative to the version root, e.g. /deviceManagement/...)`);
  if (/^[a-z][a-z0-9+.-]*:/i.test(r.url) || r.url.startsWith("//")) {
    throw invalid(`request '${id}' has an absolute 'url'; batch urls are relative to the version root, e.g. /deviceManagement/...`);
  }
  const url = new URL(r.url.startsWith("/") ? r.url : `/${r.url}`, "https://batch.invalid");
  const headers: Record<string, string> = {};
  if (r.headers !== undefined) {
    if (r.headers === null || typeof r.headers !== "object" || Array.isArray(r.headers)) throw invalid(`request '${id}' has 'headers' that is not an object`);
    for (const [name, value] of Object.entries(r.headers)) {
      if (typeof value !== "string") throw invalid(`request '${id}' has header '${name}' whose value is not a string`);
      headers[name.toLowerCase()] = value;
    }
  }
  if (r.body !== undefined && headers["content-type"] === undefined) {
    throw invalid(`request '${id}' has a 'body' but no Content-Type header`);
  }
  let dependsOn: string[] = [];
  if (r.dependsOn !== undefined) {
    if (!Array.isArray(r.dependsOn) || r.dependsOn.some((d) => typeof d !== "string")) throw invalid(`request '${id}' has 'dependsOn' that is not an array of request ids`);
    dependsOn = r.dependsOn as string[];
  }
  return { id, method: r.method.toUpperCase(), path: url.pathname, query: url.searchParams, headers, body: r.body, dependsOn };
}

function rejectCycles(items: readonly BatchItem[]): void {
  const byId = new Map(items.map((i) => [i.id.toLowerCase(), i]));
  const state = new Map<string, "visiting" | "done">();
  const visit = (item: BatchItem): void => {
    const key = item.id.toLowerCase();
    if (state.get(key) === "done") return;
    if (state.get(key) === "visiting") throw invalid(`the dependsOn of request '${item.id}' form a cycle`);
    state.set(key, "visiting");
    for (const dep of item.dependsOn) visit(byId.get(dep.toLowerCase())!);
    state.set(key, "done");
  };
  for (const item of items) visit(item);
}

function invalid(problem: string): GraphError {
  return badRequest(`Invalid batch request: ${problem}.`);
}

/**
 * The parsed JSON body of a batch request: the `body` member itself for a JSON content type, otherwise the
 * member is base64 (as Graph documents for non-JSON bodies) and its decoded text is parsed as JSON, which is
 * all the emulated routes accept.
 * @throws GraphError 400 (for that request only) when a base64 body is not JSON.
 */
export function itemBody(item: BatchItem): unknown {
  if (item.body === undefined) return undefined;
  const type = item.headers["content-type"] ?? "";
  if (/json/i.test(type) || typeof item.body !== "string") return item.body;
  try {
    return JSON.parse(Buffer.from(item.body, "base64").toString("utf8"));
  } catch {
    throw new GraphError(400, "BadRequest", "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.");
  }
}

/**
 * Runs a batch: a request starts when the requests it depends on have answered; independent requests run
 * concurrently, as Graph runs them. A request whose dependency answered >= 400 (or was itself skipped) is not run
 * and answers 424. Returns the answers in request order.
 */
export async function runBatch(
  items: readonly BatchItem[],
  run: (item: BatchItem) => Promise<BatchItemResponse>,
  failedDependency: (item: BatchItem, dependency: string) => BatchItemResponse,
): Promise<BatchItemResponse[]> {
  const byId = new Map(items.map((i) => [i.id.toLowerCase(), i]));
  const answers = new Map<string, Promise<BatchItemResponse>>();
  const answer = (item: BatchItem): Promise<BatchItemResponse> => {
    const key = item.id.toLowerCase();
    let pending = answers.get(key);
    if (!pending) {
      pending = (async () => {
        for (const dep of item.dependsOn) {
          const depAnswer = await answer(byId.get(dep.toLowerCase())!);
          if (depAnswer.status >= 400) return failedDependency(item, byId.get(dep.toLowerCase())!.id);
        }
        return run(item);
      })();
      answers.set(key, pending);
    }
    return pending;
  };
  return Promise.all(items.map(answer));
}
