// Ask mode: a question over a document collection, answered by POST /api/ask as server-sent events: `sources` (the
// numbered passages and figures), `token` (the answer as it is written), `done` (the checked answer and citations) or
// `error` (problem details). [n] in the answer links to source n; cited figure crops show beside the answer.
import * as api from './api.js';
import { readEvents } from './sse.js';
import { $, el, fileName, showMessage, hideMessage } from './dom.js';

export class AskView {
  constructor(app) {
    this.app = app;
    this.controller = null;
    this.sources = new Map();
    this.text = '';
    this.answer = $('answer');
    this.status = $('ask-status');
    this.message = $('ask-message');
    $('ask-form').addEventListener('submit', (event) => {
      event.preventDefault();
      this.ask();
    });
    $('question').addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey) {
        event.preventDefault();
        this.ask();
      }
    });
    $('ask-stop').addEventListener('click', () => this.stop('Stopped.'));
    this.answer.addEventListener('click', (event) => {
      const link = event.target.closest('a.cite');
      if (!link) return;
      event.preventDefault();
      this.showSource(link.dataset.n);
    });
  }

  applyState(state) {
    $('question').value = state.question;
  }

  async ask() {
    const question = $('question').value.trim();
    const collection = this.app.state.collection;
    if (!question || !collection) return;
    this.app.state.question = question;
    this.app.pushUrl();
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    this.reset();
    this.busy(true);
    this.status.textContent = 'Finding sources…';
    try {
      const response = await fetch('/api/ask', {
        method: 'POST',
        headers: api.headers({ 'Content-Type': 'application/json', Accept: 'text/event-stream' }),
        body: JSON.stringify({ collection, question }),
        signal: controller.signal,
      }).catch((error) => {
        if (error.name === 'AbortError') throw error;
        throw new api.ApiError(0, 'Service unreachable', 'the service did not answer');
      });
      if (!response.ok) throw await api.problemOf(response);
      let finished = false;
      for await (const { event, data } of readEvents(response, controller.signal)) {
        if (controller !== this.controller) return;
        finished = this.onEvent(event, JSON.parse(data)) || finished;
      }
      if (!finished && controller === this.controller) {
        throw new api.ApiError(0, 'Answer cut off', 'the connection closed before the answer was complete');
      }
    } catch (error) {
      if (error.name === 'AbortError' || controller !== this.controller) return;
      this.status.textContent = '';
      if (error.status === 404 && !error.detail?.includes('collection')) {
        showMessage(this.message, 'error', 'Ask is not available', 'This service does not answer questions (no /api/ask). Update MultiModalSearch, or use Search.');
      } else {
        this.app.handleError(error, this.message, () => this.ask());
      }
    } finally {
      if (controller === this.controller) this.busy(false);
    }
  }

  /** Returns true for the events that end the stream. */
  onEvent(event, data) {
    switch (event) {
      case 'sources':
        this.renderSources(data);
        this.status.textContent = data.length ? `Answering from ${data.length} sources…` : 'Answering…';
        return false;
      case 'token':
        this.text += data.text;
        this.renderAnswer(this.text, null);
        return false;
      case 'done':
        this.finish(data);
        return true;
      case 'error':
        this.status.textContent = '';
        showMessage(this.message, 'error', data.title || 'The answer failed', `${data.detail || 'the service could not answer'}. Try again, or ask differently.`,
          [['Retry', () => this.ask(), true]]);
        return true;
      default:
        return false;
    }
  }

  reset() {
    this.text = '';
    this.sources.clear();
    this.answer.replaceChildren();
    $('figures').replaceChildren();
    $('sources').replaceChildren();
    $('sources-section').hidden = true;
    hideMessage(this.message);
    delete this.answer.dataset.state;
  }

  busy(on) {
    this.answer.setAttribute('aria-busy', on ? 'true' : 'false');
    $('ask-submit').disabled = on;
    $('ask-stop').hidden = !on;
  }

  stop(why) {
    this.controller?.abort();
    this.controller = null;
    this.busy(false);
    this.status.textContent = why;
  }

  renderSources(sources) {
    const list = $('sources');
    list.replaceChildren();
    for (const source of sources) {
      this.sources.set(String(source.n), source);
      const where = `${fileName(source.documentPath || source.documentId || '')}${source.page ? `, page ${source.page}` : ''}`;
      list.append(el('li', { id: `source-${source.n}`, value: source.n, tabindex: '-1', class: `source ${source.kind}` },
        el('span', { class: 'kind', text: source.kind === 'figure' ? 'Figure' : 'Passage' }), ' ',
        source.pageUrl ? el('a', { href: source.pageUrl, target: '_blank', rel: 'noopener', text: where }) : el('span', { text: where }),
        source.kind === 'figure' && source.cropUrl ? el('img', { src: source.cropUrl, alt: `Figure ${source.n}: ${source.text || where}`, loading: 'lazy', class: 'crop' }) : null,
        source.text ? el('p', { text: source.text }) : null));
    }
    $('sources-section').hidden = sources.length === 0;
  }

  /** The answer with each [n] of a given source as a link to it; other brackets stay text. */
  renderAnswer(text, removed) {
    const nodes = [];
    let last = 0;
    for (const match of text.matchAll(/\[(\d+)\]/g)) {
      const n = match[1];
      nodes.push(text.slice(last, match.index));
      if (this.sources.has(n) && !removed?.has(Number(n))) {
        nodes.push(el('a', { href: `#source-${n}`, class: 'cite', 'data-n': n, text: `[${n}]`, 'aria-label': `source ${n}` }));
      } else {
        nodes.push(match[0]);
      }
      last = match.index + match[0].length;
    }
    nodes.push(text.slice(last));
    const paragraphs = [];
    let current = el('p');
    for (const node of nodes) {
      if (typeof node !== 'string') { current.append(node); continue; }
      const parts = node.split(/\n{2,}/);
      parts.forEach((part, i) => {
        if (i > 0) { paragraphs.push(current); current = el('p'); }
        current.append(part);
      });
    }
    paragraphs.push(current);
    this.answer.replaceChildren(...paragraphs);
  }

  finish(done) {
    const removed = new Set(done.removedCitations || []);
    this.text = done.answer ?? this.text;
    this.renderAnswer(this.text, removed);
    this.answer.dataset.state = done.refused ? 'refused' : 'answered';
    const cited = new Set((done.citations || []).map(String));
    for (const item of $('sources').children) item.classList.toggle('cited', cited.has(item.id.replace('source-', '')));
    const figures = [...cited].map((n) => this.sources.get(n)).filter((s) => s?.kind === 'figure' && s.cropUrl);
    $('figures').replaceChildren(...figures.map((s) => el('figure', {},
      el('a', { href: `#source-${s.n}`, class: 'cite', 'data-n': s.n, onclick: (e) => { e.preventDefault(); this.showSource(s.n); } },
        el('img', { src: s.cropUrl, alt: `Figure ${s.n}: ${s.text || fileName(s.documentPath || '')}` })),
      el('figcaption', { text: `[${s.n}] ${fileName(s.documentPath || '')}${s.page ? `, page ${s.page}` : ''}` }))));
    const notes = [];
    if (done.refused) notes.push('No source was relevant enough to answer from.');
    if (done.extractive) notes.push('The answer is quoted from the sources (no language model was used).');
    if (done.singleFigure) notes.push('The model reads one figure at a time: it was shown only the figure that goes with the best source, and the best passage is quoted after its answer.');
    if (removed.size) notes.push(`Removed citations to sources that were not given: ${[...removed].map((n) => `[${n}]`).join(' ')}.`);
    if (notes.length) this.answer.append(el('p', { class: 'note', text: notes.join(' ') }));
    this.status.textContent = done.refused ? 'No answer: nothing relevant was found.' : `Answered with ${cited.size} citation${cited.size === 1 ? '' : 's'}.`;
  }

  showSource(n) {
    const item = document.getElementById(`source-${n}`);
    if (!item) return;
    for (const other of $('sources').children) other.classList.remove('highlight');
    item.classList.add('highlight');
    item.scrollIntoView({ block: 'nearest' });
    item.focus();
  }
}
