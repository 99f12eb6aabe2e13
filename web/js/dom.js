// Small DOM helpers: elements are built with text nodes only (never innerHTML), so no file name, caption or answer
// can inject markup.

export const $ = (id) => document.getElementById(id);

export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') node.className = value;
    else if (name === 'text') node.textContent = value;
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children) {
    if (child !== null && child !== undefined) node.append(child);
  }
  return node;
}

export const fileName = (path) => path.split(/[\\/]/).filter(Boolean).pop() || path;

export function folderOf(path) {
  const cut = path.lastIndexOf('/');
  return cut > 0 ? path.slice(0, cut + 1) : '';
}

export function formatDate(value) {
  if (!value) return '';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function formatBytes(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** A message panel: a heading, what happened, what to do, and optional buttons. */
export function showMessage(panel, kind, title, text, actions = []) {
  panel.replaceChildren(
    el('h2', { text: title }),
    el('p', { text }),
    actions.length ? el('div', { class: 'row' }, ...actions.map(([label, handler, primary]) =>
      el('button', { type: 'button', class: primary ? 'primary' : 'quiet', text: label, onclick: handler }))) : null);
  panel.dataset.kind = kind;
  panel.hidden = false;
}

export function hideMessage(panel) {
  panel.hidden = true;
  panel.replaceChildren();
  delete panel.dataset.kind;
}
