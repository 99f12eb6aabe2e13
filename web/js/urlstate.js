// The page's state in its URL (?collection=&q=&like=&after=&before=&folder=&camera=&type=&sort=&scores=&item=&mode=&question=),
// so back, forward, reload and a shared link all show the same thing.

const keys = ['mode', 'collection', 'q', 'like', 'after', 'before', 'folder', 'camera', 'type', 'sort', 'scores', 'item', 'question'];

export function read() {
  const params = new URLSearchParams(location.search);
  const state = {};
  for (const key of keys) state[key] = params.get(key) || '';
  return state;
}

function toUrl(state) {
  const params = new URLSearchParams();
  for (const key of keys) {
    if (state[key]) params.set(key, state[key]);
  }
  const query = params.toString();
  return query ? `?${query}` : location.pathname;
}

/** A new history entry when the state differs from the current URL's; nothing otherwise. */
export function push(state) {
  const url = toUrl(state);
  if (url !== location.search && !(url === location.pathname && !location.search)) history.pushState(null, '', url);
}

export function replace(state) {
  history.replaceState(null, '', toUrl(state));
}
