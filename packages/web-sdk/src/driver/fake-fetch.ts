// Test-only: a fetch that answers from a route table and records every request. Not exported from the driver's index.

export interface RecordedRequest {
  method: string;
  path: string; // pathname + search, without the origin
  headers: Record<string, string>;
  body: unknown; // parsed JSON, a FormData, or undefined
}

export interface FakeResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** A handler gets the request and answers; throwing makes fetch reject (a network error). */
export type Route = (request: RecordedRequest) => FakeResponse | Promise<FakeResponse>;

export interface FakeFetch {
  fetch: typeof fetch;
  requests: RecordedRequest[];
  /** `routes['GET /v1/sessions/abc/preflight'] = …`; unmatched requests answer 404. */
  routes: Record<string, Route>;
  count(method: string, pathPrefix: string): number;
}

export function createFakeFetch(): FakeFetch {
  const requests: RecordedRequest[] = [];
  const routes: Record<string, Route> = {};
  const fake: FakeFetch = {
    requests,
    routes,
    count: (method, pathPrefix) => requests.filter((r) => r.method === method && r.path.startsWith(pathPrefix)).length,
    fetch: (async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = new URL(String(input));
      const method = init?.method ?? 'GET';
      const headers = Object.fromEntries(Object.entries((init?.headers as Record<string, string> | undefined) ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
      const raw = init?.body;
      const body = typeof raw === 'string' ? JSON.parse(raw) : raw ?? undefined;
      const request: RecordedRequest = { method, path: url.pathname + url.search, headers, body };
      requests.push(request);
      if (init?.signal?.aborted) throw new DOMException('aborted', 'AbortError');
      const route = routes[`${method} ${url.pathname}`] ?? routes[`${method} ${url.pathname}${url.search}`];
      const answer = route ? await route(request) : { status: 404, body: { error: { type: 'not_found', message: 'no route', request_id: 'req_x' } } };
      const text = answer.body === undefined ? '' : typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
      return new Response(answer.status === 204 ? null : text, { status: answer.status, headers: answer.headers ?? {} });
    }) as typeof fetch,
  };
  return fake;
}
