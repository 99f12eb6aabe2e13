// The detail view: the full image, its metadata, text items, every path of the content and similar images, in a modal
// dialog (Escape closes it and focus returns to the card); the arrow keys step through the results.
import * as api from './api.js';
import { $, el, fileName, formatBytes, formatDate } from './dom.js';

export class DetailView {
  constructor(app) {
    this.app = app;
    this.dialog = $('detail');
    this.index = -1;
    this.id = '';
    this.controller = null;
    this.returnFocus = null;
    $('detail-close').addEventListener('click', () => this.close());
    $('detail-prev').addEventListener('click', () => this.step(-1));
    $('detail-next').addEventListener('click', () => this.step(1));
    $('detail-like').addEventListener('click', () => {
      const id = this.id;
      const thumb = this.thumbnailUrl;
      this.close(false);
      this.app.search.moreLike(id, thumb);
    });
    this.dialog.addEventListener('cancel', (event) => {
      event.preventDefault();
      this.close();
    });
    this.dialog.addEventListener('keydown', (event) => {
      if (event.target.closest('input, textarea, select')) return;
      if (event.key === 'ArrowRight') { event.preventDefault(); this.step(1); }
      if (event.key === 'ArrowLeft') { event.preventDefault(); this.step(-1); }
    });
  }

  get isOpen() {
    return this.dialog.open;
  }

  /** Opens the content with this id; index is its place in the result grid, or -1 when it is not there. */
  open(id, index, { push = true } = {}) {
    if (!this.isOpen) {
      this.returnFocus = document.activeElement;
      this.dialog.showModal();
    }
    this.id = id;
    this.index = index;
    const result = index >= 0 ? this.app.search.results[index] : null;
    this.thumbnailUrl = result?.thumbnailUrl;
    $('detail-prev').disabled = index <= 0;
    $('detail-next').disabled = index < 0 || index >= this.app.search.results.length - 1;
    if (push) {
      this.app.state.item = id;
      this.app.pushUrl();
    }
    this.render(result);
    $('detail-close').focus();
    this.load(id);
  }

  render(result) {
    $('detail-title').textContent = result ? fileName(result.path) : 'Loading…';
    const image = $('detail-image');
    image.src = result ? result.thumbnailUrl : '';
    image.alt = result ? fileName(result.path) : '';
    for (const id of ['detail-meta', 'detail-texts', 'detail-paths', 'detail-similar']) $(id).replaceChildren();
    $('detail-status').textContent = 'Loading details…';
  }

  async load(id) {
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    const collection = this.app.state.collection;
    try {
      const [asset, similar] = await Promise.all([
        api.asset(id, collection, controller.signal),
        api.similar(id, collection, 13, controller.signal),
      ]);
      if (this.id !== id) return;
      this.fill(asset, similar.results.filter((r) => r.id !== id).slice(0, 12));
      $('detail-status').textContent = '';
    } catch (error) {
      if (error.name === 'AbortError' || this.id !== id) return;
      $('detail-status').textContent = `Could not load the details: ${error.detail || error.title}.`;
    }
  }

  fill(asset, similar) {
    const name = fileName(asset.paths[0]?.path || asset.id);
    $('detail-title').textContent = name;
    this.thumbnailUrl = asset.thumbnailUrl;
    const image = $('detail-image');
    image.alt = name;
    // The thumbnail is already cached and shows at once; the original replaces it when it has arrived.
    const original = new Image();
    original.onload = () => { if (this.id === asset.id) image.src = asset.originalUrl; };
    original.src = asset.originalUrl;

    const camera = [asset.cameraMake, asset.cameraModel].filter(Boolean).join(' ');
    const rows = [
      ['Size', asset.width && asset.height ? `${asset.width} × ${asset.height} pixels` : ''],
      ['Type', asset.mediaType],
      ['Camera', camera],
      ['Taken', formatDate(asset.takenAt)],
      ['Place', asset.latitude != null && asset.longitude != null ? `${asset.latitude.toFixed(5)}, ${asset.longitude.toFixed(5)}` : ''],
      ['File size', asset.paths[0] ? formatBytes(asset.paths[0].bytes) : ''],
      ['Collections', asset.collections.join(', ')],
    ].filter(([, value]) => value);
    $('detail-meta').replaceChildren(...rows.flatMap(([term, value]) => [el('dt', { text: term }), el('dd', { text: value })]));

    const texts = asset.texts.length
      ? asset.texts.map((t) => el('li', {}, el('span', { class: 'kind', text: t.kind }), ' ', t.text))
      : [el('li', { class: 'none', text: 'No text items.' })];
    $('detail-texts').replaceChildren(...texts);
    $('detail-paths').replaceChildren(...asset.paths.map((p) =>
      el('li', {}, el('code', { text: p.path }), el('span', { class: 'muted', text: ` ${p.collection}, ${formatBytes(p.bytes)}` }))));
    $('detail-similar').replaceChildren(...similar.map((r) => el('li', { class: 'card' },
      el('button', { type: 'button', class: 'thumb', 'aria-label': `Open ${fileName(r.path)}`,
        onclick: () => this.open(r.id, this.app.search.results.findIndex((x) => x.id === r.id)) },
      el('img', { src: r.thumbnailUrl, alt: fileName(r.path), loading: 'lazy', width: 128, height: 128 })))));
  }

  locate(results) {
    this.index = results.findIndex((r) => r.id === this.id);
    $('detail-prev').disabled = this.index <= 0;
    $('detail-next').disabled = this.index < 0 || this.index >= results.length - 1;
  }

  step(delta) {
    const next = this.index + delta;
    const results = this.app.search.results;
    if (this.index < 0 || next < 0 || next >= results.length) return;
    this.open(results[next].id, next);
    this.app.search.active = next;
    this.app.search.updateTabStops();
  }

  /** Closes the dialog; with push, as a new history entry (back reopens it). */
  close(push = true) {
    this.controller?.abort();
    this.id = '';
    if (this.isOpen) this.dialog.close();
    if (push && this.app.state.item) {
      this.app.state.item = '';
      this.app.pushUrl();
    }
    const cards = this.app.search.grid.children;
    if (this.index >= 0 && cards[this.index]) this.app.search.focusCard(this.index);
    else this.returnFocus?.focus?.();
  }
}
