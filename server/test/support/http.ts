// The JSON client test fixtures and benchmarks use for setup calls against a stack: a bearer
// token when given, and a non-2xx answer thrown with its status.
export class HttpStatusError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function requestJson<T>(
  url: string,
  init: RequestInit & { token?: string } = {},
): Promise<T> {
  const { token, ...rest } = init;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(url, { ...rest, headers: { ...headers, ...(init.headers ?? {}) } });
  const text = await res.text();
  if (!res.ok) {
    throw new HttpStatusError(res.status, `${init.method ?? 'GET'} ${url} → ${res.status} ${text}`);
  }
  return (text ? JSON.parse(text) : undefined) as T;
}
