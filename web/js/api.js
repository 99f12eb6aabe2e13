// The query service's HTTP API: JSON in and out, the API key (kept in this tab only) as a bearer token, and every
// failure turned into an ApiError that carries the RFC 7807 title and detail the service sent.

const keyName = 'mms.apiKey';

export class ApiError extends Error {
  constructor(status, title, detail) {
    super(detail || title);
    this.status = status;
    this.title = title;
    this.detail = detail;
  }
}

export function apiKey() {
  return sessionStorage.getItem(keyName) || '';
}

export function setApiKey(key) {
  if (key) sessionStorage.setItem(keyName, key);
  else sessionStorage.removeItem(keyName);
}

export function headers(extra = {}) {
  const all = { ...extra };
  const key = apiKey();
  if (key) all.Authorization = `Bearer ${key}`;
  return all;
}

/** fetch() that throws ApiError: status 0 when the service could not be reached at all. */
export async function request(path, { method = 'GET', json, body, contentType, signal } = {}) {
  const init = { method, signal, headers: headers() };
  if (json !== undefined) {
    init.body = JSON.stringify(json);
    init.headers['Content-Type'] = 'application/json';
  } else if (body !== undefined) {
    init.body = body;
    if (contentType) init.headers['Content-Type'] = contentType;
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (error) {
    if (error.name === 'AbortError') throw error;
    throw new ApiError(0, 'Service unreachable', 'the search service did not answer');
  }
  if (!response.ok) throw await problemOf(response);
  return response;
}

export async function getJson(path, options) {
  return (await request(path, options)).json();
}

export async function problemOf(response) {
  let title = response.statusText || 'Error';
  let detail = '';
  try {
    const problem = await response.json();
    title = problem.title || title;
    detail = problem.detail || '';
  } catch {
    // Not a problem-details body (a proxy's error page): the status says enough.
  }
  return new ApiError(response.status, title, detail);
}

export const listCollections = (signal) => getJson('/api/collections', { signal });

export const search = (body, signal) => getJson('/api/search', { method: 'POST', json: body, signal });

export function searchByImage(collection, file, k, offset, signal) {
  const query = new URLSearchParams({ collection, k, offset });
  return getJson(`/api/search/image?${query}`, {
    method: 'POST', body: file, contentType: file.type || 'application/octet-stream', signal,
  });
}

export function asset(id, collection, signal) {
  return getJson(`/api/assets/${encodeURIComponent(id)}?collection=${encodeURIComponent(collection)}`, { signal });
}

export function similar(id, collection, k, signal) {
  const query = new URLSearchParams({ collection, k });
  return getJson(`/api/assets/${encodeURIComponent(id)}/similar?${query}`, { signal });
}
