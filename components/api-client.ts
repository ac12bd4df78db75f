// The browser's way to call Vigil's API: same-origin fetch with the session cookie; a refusal becomes an
// Error carrying the server's own explanation (problem+json `detail` and field errors).
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly fieldErrors: { path: string; message: string }[] = [],
  ) {
    super(message);
  }
}

export async function callApi<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const res = await fetch(path, {
    method: init.method ?? "GET",
    headers: init.body === undefined ? undefined : { "content-type": "application/json" },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    credentials: "same-origin",
  });
  const text = await res.text();
  const body = text ? (JSON.parse(text) as unknown) : null;
  if (!res.ok) {
    const problem = (body ?? {}) as { detail?: string; errors?: { path: string; message: string }[] };
    throw new ApiError(problem.detail ?? `The server answered ${res.status}`, res.status, problem.errors);
  }
  return body as T;
}
