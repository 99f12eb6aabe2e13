// The search view: as-you-type text search, query by image (picker, drop, paste) and by an asset ("more like this"),
// filters and sorting, a grid that loads pages as it scrolls and moves focus with the arrow keys.
import * as api from './api.js';
import { $, el, fileName, folderOf, showMessage, hideMessage } from './dom.js';

const pageSize = 40;
// The debounce leaves most of the 300 ms budget from the last keystroke to the first results for the request itself.
const debounceMs = 150;

export class SearchView {
  constructor(app) {
    this.app = app;
    this.results = [];
    this.seen = new Set();
    this.generation = 0;
    this.controller = null;
    this.hasMore = false;
    this.loading = false;
    this.upload = null;
    this.timer = 0;
    this.active = 0;
    this.query = $('query');
    this.grid = $('results');
    this.status = $('status');
    this.message = $('message');
    this.bind();
  }

  bind() {
    this.query.addEventListener('input', () => {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.fromInput(), debounceMs);
    });
    $('search-form').addEventListener('submit', (event) => {
      event.preventDefault();
      clearTimeout(this.timer);
      this.fromInput();
    });
    $('image-file').addEventListener('change', (event) => {
      const file = event.target.files[0];
      event.target.value = '';
      if (file) this.searchImage(file);
    });
    $('query-chip-clear').addEventListener('click', () => this.clearReference());
    for (const id of ['f-after', 'f-before', 'f-type', 'f-sort', 'f-folder', 'f-camera']) {
      $(id).addEventListener('change', () => this.filtersChanged());
    }
    $('f-scores').addEventListener('change', () => {
      this.app.state.scores = $('f-scores').checked ? '1' : '';
      this.grid.classList.toggle('show-scores', $('f-scores').checked);
      this.app.replaceUrl();
    });
    $('f-clear').addEventListener('click', () => this.clearFilters());
    this.grid.addEventListener('keydown', (event) => this.onGridKey(event));
    new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) this.loadMore();
    }, { rootMargin: '800px' }).observe($('sentinel'));
    this.bindDropAndPaste();
  }

  bindDropAndPaste() {
    const overlay = $('drop-overlay');
    let depth = 0;
    const hasFile = (event) => [...(event.dataTransfer?.types || [])].includes('Files');
    document.addEventListener('dragenter', (event) => {
      if (!hasFile(event)) return;
      depth++;
      overlay.hidden = false;
    });
    document.addEventListener('dragleave', () => {
      if (--depth <= 0) { depth = 0; overlay.hidden = true; }
    });
    document.addEventListener('dragover', (event) => { if (hasFile(event)) event.preventDefault(); });
    document.addEventListener('drop', (event) => {
      if (!hasFile(event)) return;
      event.preventDefault();
      depth = 0;
      overlay.hidden = true;
      const file = [...event.dataTransfer.files].find((f) => f.type.startsWith('image/'));
      if (file) this.searchImage(file);
      else this.showError(new api.ApiError(415, 'Not an image', 'the dropped file is not an image'));
    });
    document.addEventListener('paste', (event) => {
      if (this.app.state.mode === 'ask') return;
      const file = [...(event.clipboardData?.files || [])].find((f) => f.type.startsWith('image/'));
      if (file) {
        event.preventDefault();
        this.searchImage(file);
      }
    });
  }

  /** Puts the URL's state into the controls (after load, back or forward). */
  applyState(state) {
    this.query.value = state.q;
    $('f-after').value = state.after;
    $('f-before').value = state.before;
    $('f-folder').value = state.folder;
    $('f-camera').value = state.camera;
    $('f-type').value = state.type;
    $('f-sort').value = state.sort || 'relevance';
    $('f-scores').checked = state.scores === '1';
    this.grid.classList.toggle('show-scores', state.scores === '1');
    const active = ['after', 'before', 'folder', 'camera', 'type'].filter((k) => state[k]).length + (state.sort === 'takenAt' ? 1 : 0);
    $('filter-count').textContent = active ? `(${active} active)` : '';
    if (active) $('filters').open = true;
  }

  fromInput() {
    const state = this.app.state;
    const text = this.query.value.trim();
    if (text === state.q && !state.like && !this.upload) return;
    state.q = text;
    state.like = '';
    state.item = '';
    this.upload = null;
    this.app.pushUrl();
    this.run();
  }

  filtersChanged() {
    const state = this.app.state;
    state.after = $('f-after').value;
    state.before = $('f-before').value;
    state.folder = $('f-folder').value.trim();
    state.camera = $('f-camera').value.trim();
    state.type = $('f-type').value;
    state.sort = $('f-sort').value === 'takenAt' ? 'takenAt' : '';
    this.app.pushUrl();
    this.applyState(state);
    this.run();
  }

  clearFilters() {
    for (const id of ['f-after', 'f-before', 'f-folder', 'f-camera', 'f-type']) $(id).value = '';
    $('f-sort').value = 'relevance';
    this.filtersChanged();
  }

  moreLike(id, thumbnailUrl) {
    this.likeThumbnail = thumbnailUrl;
    const state = this.app.state;
    state.like = id;
    state.q = '';
    state.item = '';
    this.upload = null;
    this.query.value = '';
    this.app.pushUrl();
    this.run();
    this.grid.focus();
  }

  searchImage(file) {
    const state = this.app.state;
    state.q = '';
    state.like = '';
    state.item = '';
    this.query.value = '';
    this.upload = file;
    this.app.pushUrl();
    this.run();
  }

  clearReference() {
    this.upload = null;
    this.app.state.like = '';
    this.app.pushUrl();
    this.run();
    this.query.focus();
  }

  filters() {
    const s = this.app.state;
    const filters = {};
    if (s.after) filters.takenAfter = `${s.after}T00:00:00`;
    if (s.before) filters.takenBefore = `${s.before}T23:59:59`;
    if (s.folder) filters.pathPrefix = s.folder;
    if (s.camera) filters.camera = s.camera;
    if (s.type) filters.mediaType = s.type;
    return Object.keys(filters).length ? filters : undefined;
  }

  /** Starts the search the state describes; anything still in flight is cancelled and its answer ignored. */
  run() {
    this.controller?.abort();
    this.generation++;
    this.results = [];
    this.seen.clear();
    this.hasMore = false;
    this.active = 0;
    this.grid.replaceChildren();
    hideMessage(this.message);
    this.renderReference();
    const s = this.app.state;
    if (!s.collection) return;
    if (!s.q && !s.like && !this.upload) {
      this.setStatus('');
      showMessage(this.message, 'intro', 'Search your photos',
        'Type what you are looking for (“a dog on a beach”), or drop, paste or pick an image to find similar ones.');
      return;
    }
    this.fetchPage(0);
  }

  loadMore() {
    if (this.hasMore && !this.loading && this.app.state.mode !== 'ask') this.fetchPage(this.results.length);
  }

  async fetchPage(offset) {
    const generation = this.generation;
    const controller = new AbortController();
    this.controller = controller;
    this.loading = true;
    this.grid.setAttribute('aria-busy', 'true');
    if (offset === 0) this.setStatus('Searching…');
    const s = this.app.state;
    try {
      let response;
      if (this.upload) {
        response = await api.searchByImage(s.collection, this.upload, pageSize, offset, controller.signal);
      } else {
        const body = { collection: s.collection, k: pageSize, offset, filters: this.filters() };
        if (s.like) body.assetId = s.like; else body.text = s.q;
        if (s.sort === 'takenAt') body.sort = 'takenAt';
        response = await api.search(body, controller.signal);
      }
      // A newer search started while this one was in flight: its answer is out of date.
      if (generation !== this.generation) return;
      this.append(response.results);
      this.hasMore = response.results.length === pageSize;
      this.afterPage();
    } catch (error) {
      if (error.name === 'AbortError' || generation !== this.generation) return;
      this.showError(error);
    } finally {
      if (generation === this.generation) {
        this.loading = false;
        this.grid.removeAttribute('aria-busy');
      }
    }
  }

  afterPage() {
    const s = this.app.state;
    const n = this.results.length;
    if (n === 0) {
      this.setStatus('No results.');
      const filtered = this.filters();
      showMessage(this.message, 'empty', 'No matching photos',
        filtered ? 'Nothing matches both the search and the filters. Try clearing the filters or other words.'
          : 'Nothing in this collection matches. Try other words or another image.',
        filtered ? [['Clear filters', () => this.clearFilters(), true]] : []);
      return;
    }
    // An item opened from the URL before its page arrived gets its place in the grid (Previous / Next work).
    if (this.app.detail.isOpen && this.app.detail.index < 0) this.app.detail.locate(this.results);
    const what = this.upload ? 'the uploaded image' : s.like ? 'the chosen photo' : `“${s.q}”`;
    this.setStatus(`${n}${this.hasMore ? '+' : ''} result${n === 1 && !this.hasMore ? '' : 's'} for ${what}.`);
    // Keep the loader going while the sentinel is still on screen (a tall window shows more than a page).
    if (this.hasMore) requestAnimationFrame(() => {
      const box = $('sentinel').getBoundingClientRect();
      if (box.top < innerHeight + 800) this.loadMore();
    });
  }

  append(results) {
    const fragment = document.createDocumentFragment();
    for (const result of results) {
      // Pages of a changing index may overlap: a content shows (and its thumbnail loads) once.
      if (this.seen.has(result.id)) continue;
      this.seen.add(result.id);
      const index = this.results.push(result) - 1;
      fragment.append(this.card(result, index));
      this.app.suggest(result);
    }
    this.grid.append(fragment);
    this.updateTabStops();
  }

  card(result, index) {
    const name = fileName(result.path);
    const meta = [result.width && result.height ? `${result.width}×${result.height}` : '', result.camera || '',
      result.takenAt ? result.takenAt.slice(0, 10) : ''].filter(Boolean).join(' · ');
    return el('li', { class: 'card', 'data-id': result.id },
      el('button', { type: 'button', class: 'thumb', 'data-index': index, tabindex: '-1',
        'aria-label': `Open ${name}${meta ? `, ${meta}` : ''}`, onclick: () => this.app.openDetail(index) },
      el('img', { src: result.thumbnailUrl, alt: name, loading: 'lazy', decoding: 'async', width: 256, height: 256 })),
      el('span', { class: 'score', text: result.score.toFixed(3), title: 'cosine similarity to the query' }),
      result.duplicates ? el('span', { class: 'dups', text: `+${result.duplicates}`, title: `${result.duplicates} near-duplicates` }) : null,
      el('div', { class: 'card-foot' },
        el('span', { class: 'name', text: name, title: result.path }),
        el('button', { type: 'button', class: 'like', tabindex: '-1', text: 'More like this',
          'aria-label': `More like this: ${name}`, onclick: () => this.moreLike(result.id, result.thumbnailUrl) })));
  }

  renderReference() {
    const s = this.app.state;
    const chip = $('query-chip');
    const image = $('query-chip-image');
    if (this.upload) {
      if (image.dataset.url) URL.revokeObjectURL(image.dataset.url);
      image.dataset.url = URL.createObjectURL(this.upload);
      image.src = image.dataset.url;
      image.alt = 'the uploaded image';
      $('query-chip-text').textContent = `Photos like ${this.upload.name || 'the pasted image'}`;
      chip.hidden = false;
    } else if (s.like) {
      image.src = this.likeThumbnail || `/api/assets/${encodeURIComponent(s.like)}/thumbnail`;
      image.alt = 'the chosen photo';
      $('query-chip-text').textContent = 'Photos like this one';
      chip.hidden = false;
    } else {
      chip.hidden = true;
    }
  }

  showError(error) {
    this.setStatus('');
    this.app.handleError(error, this.message, () => this.run());
  }

  setStatus(text) {
    this.status.textContent = text;
  }

  /** Roving tab stop: one card (its image and its button) is in the tab order; the arrow keys move it. */
  updateTabStops() {
    const cards = this.grid.children;
    for (let i = 0; i < cards.length; i++) {
      const stop = i === this.active ? '0' : '-1';
      for (const button of cards[i].querySelectorAll('button')) button.tabIndex = Number(stop);
    }
  }

  focusCard(index) {
    const cards = this.grid.children;
    if (!cards.length) return;
    this.active = Math.max(0, Math.min(index, cards.length - 1));
    this.updateTabStops();
    const button = cards[this.active].querySelector('.thumb');
    button.focus();
    button.scrollIntoView({ block: 'nearest' });
    if (this.active >= cards.length - 4) this.loadMore();
  }

  columns() {
    const cards = this.grid.children;
    if (cards.length < 2) return 1;
    const top = cards[0].offsetTop;
    let n = 1;
    while (n < cards.length && cards[n].offsetTop === top) n++;
    return n;
  }

  onGridKey(event) {
    const card = event.target.closest('.card');
    if (!card) return;
    const index = [...this.grid.children].indexOf(card);
    const moves = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: this.columns(), ArrowUp: -this.columns(), Home: -index, End: this.grid.children.length };
    if (event.key in moves) {
      event.preventDefault();
      this.focusCard(index + moves[event.key]);
    }
  }
}
