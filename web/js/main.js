// The page: its state (kept in the URL), the collection picker, the API key, the two modes and the error states.
import * as api from './api.js';
import * as url from './urlstate.js';
import { $, el, folderOf, showMessage } from './dom.js';
import { SearchView } from './search.js';
import { DetailView } from './detail.js';
import { AskView } from './ask.js';

class App {
  constructor() {
    this.state = url.read();
    this.collections = [];
    this.folders = new Set();
    this.cameras = new Set();
    this.search = new SearchView(this);
    this.detail = new DetailView(this);
    this.ask = new AskView(this);
    this.bind();
  }

  bind() {
    $('collection').addEventListener('change', (event) => {
      this.state.collection = event.target.value;
      this.state.item = '';
      this.pushUrl();
      this.refresh();
    });
    $('mode-search').addEventListener('click', () => this.setMode(''));
    $('mode-ask').addEventListener('click', () => this.setMode('ask'));
    $('key-button').addEventListener('click', () => this.askForKey());
    $('key-form').addEventListener('submit', (event) => {
      event.preventDefault();
      api.setApiKey($('key-input').value.trim());
      $('key-dialog').close();
      this.start();
    });
    $('key-forget').addEventListener('click', () => {
      api.setApiKey('');
      $('key-dialog').close();
      this.start();
    });
    $('key-cancel').addEventListener('click', () => $('key-dialog').close());
    window.addEventListener('popstate', () => {
      const before = this.state;
      this.state = url.read();
      this.showState(before);
    });
  }

  pushUrl() {
    url.push(this.state);
  }

  replaceUrl() {
    url.replace(this.state);
  }

  /** Loads the collections the caller may read, then shows what the URL asks for. */
  async start() {
    this.updateKeyButton();
    try {
      this.collections = (await api.listCollections()).collections;
    } catch (error) {
      this.collections = [];
      this.renderPicker();
      this.handleError(error, $('message'), () => this.start());
      return;
    }
    if (!this.state.collection && this.collections.length) {
      this.state.collection = this.collections[0].name;
      this.replaceUrl();
    }
    this.renderPicker();
    this.showState(null);
  }

  renderPicker() {
    const select = $('collection');
    const options = this.collections.map((c) => el('option', { value: c.name, text: `${c.name} (${c.contents.toLocaleString()})` }));
    if (this.state.collection && !this.known(this.state.collection)) {
      options.push(el('option', { value: this.state.collection, text: `${this.state.collection} (locked)` }));
    }
    select.replaceChildren(...options);
    select.value = this.state.collection;
    select.disabled = options.length === 0;
  }

  known(name) {
    return this.collections.some((c) => c.name === name);
  }

  /** Brings the page to this.state; previous is the state shown before (null on first load). */
  showState(previous) {
    const s = this.state;
    const mode = s.mode === 'ask' ? 'ask' : '';
    $('search-view').hidden = mode === 'ask';
    $('ask-view').hidden = mode !== 'ask';
    $('mode-search').setAttribute('aria-pressed', String(mode !== 'ask'));
    $('mode-ask').setAttribute('aria-pressed', String(mode === 'ask'));
    $('collection').value = s.collection;
    this.search.applyState(s);
    this.ask.applyState(s);
    if (!this.collections.length && !s.collection) {
      showMessage($('message'), 'empty', 'No collections yet',
        'Index some photos first: ./mms index ~/Pictures --collection photos, then reload this page. A private collection needs an API key.',
        [['Enter API key', () => this.askForKey(), false]]);
      return;
    }
    if (s.collection && !this.known(s.collection)) {
      this.showPrivate($('message'), s.collection);
      this.showPrivate($('ask-message'), s.collection);
      return;
    }
    const searchKeys = ['collection', 'q', 'like', 'after', 'before', 'folder', 'camera', 'type', 'sort'];
    if (!previous || searchKeys.some((k) => previous[k] !== s[k]) || (previous && !s.q && !s.like)) this.search.run();
    if (s.item && mode !== 'ask') {
      if (this.detail.id !== s.item) this.detail.open(s.item, this.search.results.findIndex((r) => r.id === s.item), { push: false });
    } else if (this.detail.isOpen) {
      this.detail.close(false);
    }
  }

  refresh() {
    this.renderPicker();
    this.showState(null);
  }

  setMode(mode) {
    if ((this.state.mode || '') === mode) return;
    this.state.mode = mode;
    this.state.item = '';
    this.pushUrl();
    this.showState(this.state);
    (mode === 'ask' ? $('question') : $('query')).focus();
  }

  openDetail(index) {
    this.search.active = index;
    this.detail.open(this.search.results[index].id, index);
  }

  askForKey() {
    $('key-input').value = api.apiKey();
    $('key-dialog').showModal();
    $('key-input').focus();
  }

  updateKeyButton() {
    $('key-button').textContent = api.apiKey() ? 'API key ✓' : 'API key';
  }

  showPrivate(panel, name) {
    const hasKey = Boolean(api.apiKey());
    showMessage(panel, 'private', `“${name}” is private`,
      hasKey ? `The API key in use cannot read collection “${name}”, or it does not exist. Enter a key that can read it.`
        : `Collection “${name}” needs an API key, or it does not exist. Enter an API key that can read it (ask whoever runs this service).`,
      [['Enter API key', () => this.askForKey(), true], ...(this.collections.length ? [['Show public collections', () => {
        this.state.collection = this.collections[0].name;
        this.pushUrl();
        this.refresh();
      }, false]] : [])]);
  }

  /** An error as a panel that says what happened and what to do. */
  handleError(error, panel, retry) {
    const status = error.status ?? 0;
    if (status === 0) {
      showMessage(panel, 'error', 'Cannot reach the search service',
        'The service did not answer. Check that it is still running (./mms serve) and that this computer is online, then retry.',
        [['Retry', retry, true]]);
    } else if (status === 401) {
      showMessage(panel, 'private', 'The API key was refused',
        `${error.detail || 'the key is unknown or revoked'}. Enter another key, or forget it to see the public collections.`,
        [['Enter API key', () => this.askForKey(), true], ['Forget key', () => { api.setApiKey(''); this.start(); }, false]]);
    } else if (status === 404 && this.state.collection && !this.known(this.state.collection)) {
      this.showPrivate(panel, this.state.collection);
    } else if (status === 429) {
      showMessage(panel, 'error', 'Too many requests', `${error.detail || 'slow down'}. Wait a moment, then retry.`, [['Retry', retry, true]]);
    } else if (status >= 500) {
      showMessage(panel, 'error', 'The search service failed',
        `${error.detail || error.title}. Try again; if it keeps failing, look at the service's log.`, [['Retry', retry, true]]);
    } else {
      showMessage(panel, 'error', error.title || 'The request was refused', `${error.detail || 'the service refused the request'}.`,
        [['Retry', retry, false]]);
    }
  }

  /** Folder and camera suggestions for the filters, from the results seen so far. */
  suggest(result) {
    for (const path of result.paths || [result.path]) {
      const folder = folderOf(path);
      if (folder && !this.folders.has(folder) && this.folders.size < 200) {
        this.folders.add(folder);
        $('folders').append(el('option', { value: folder }));
      }
    }
    if (result.camera && !this.cameras.has(result.camera)) {
      this.cameras.add(result.camera);
      $('cameras').append(el('option', { value: result.camera }));
    }
  }
}

const app = new App();
app.start();
