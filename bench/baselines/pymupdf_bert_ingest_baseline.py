#!/usr/bin/env python3
"""Baseline for the document-ingestion benchmark: the pipeline a Python user would write to turn PDFs into embedded
passages. PyMuPDF (Debian's python3-fitz) extracts each page's text blocks; a plain BERT WordPiece tokenizer (from the
model folder's vocab.txt) counts tokens; paragraphs are packed into passages of at most --tokens ids with --overlap
ids repeated, page by page; the passages are embedded by the plain PyTorch eager BERT of pytorch_bert_baseline.py
(random weights, CLS pooled, L2-normalised) in batches of similar length padded to the longest.

  python3 pymupdf_bert_ingest_baseline.py --pdfs DIR --vocab VOCAB.txt [--tokens 256] [--overlap 32] [--batch 32]
      [--hidden 384] [--layers 12] [--heads 12] [--intermediate 1536] [--threads N]

Needs python3-fitz and python3-torch (with libopenblas0-pthread). Prints one JSON line: pages, passages, tokens,
seconds (whole run, model creation included), pages_per_s."""
import argparse, glob, json, os, time, unicodedata
import fitz
import torch
from pytorch_bert_baseline import Bert

class WordPiece:
    def __init__(self, vocab_path):
        with open(vocab_path, encoding="utf-8") as f:
            self.vocab = {line.rstrip("\r"): i for i, line in enumerate(f.read().split("\n")) if line}
        self.unk = self.vocab["[UNK]"]

    def basic(self, text):
        text = unicodedata.normalize("NFD", text.lower())
        out, word = [], []
        for ch in text:
            if unicodedata.category(ch) == "Mn":
                continue
            if ch.isspace() or unicodedata.category(ch).startswith("P") or ch in "$+<=>^`|~" or 0x4E00 <= ord(ch) <= 0x9FFF:
                if word:
                    out.append("".join(word)); word = []
                if not ch.isspace():
                    out.append(ch)
            else:
                word.append(ch)
        if word:
            out.append("".join(word))
        return out

    def encode(self, text):
        ids = []
        for word in self.basic(text):
            start, pieces = 0, []
            while start < len(word):
                end = len(word)
                while end > start:
                    piece = word[start:end] if start == 0 else "##" + word[start:end]
                    if piece in self.vocab:
                        pieces.append(self.vocab[piece]); break
                    end -= 1
                if end == start:
                    pieces = [self.unk]; break
                start = end
            ids.extend(pieces)
        return ids

def passages(pages, tokenizer, budget, overlap):
    """Paragraphs (PyMuPDF's text blocks) packed into passages of at most budget ids; the last overlap ids repeat."""
    out = []
    for text in pages:
        current = []
        for block in text:
            ids = tokenizer.encode(block)
            while ids:
                room = budget - len(current)
                if room <= 0:
                    out.append(current); current = current[-overlap:] if overlap else []
                    continue
                current.extend(ids[:room]); ids = ids[room:]
        if current:
            out.append(current)
    return out

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pdfs", required=True); ap.add_argument("--vocab", required=True)
    ap.add_argument("--tokens", type=int, default=256); ap.add_argument("--overlap", type=int, default=32)
    ap.add_argument("--batch", type=int, default=32); ap.add_argument("--hidden", type=int, default=384)
    ap.add_argument("--layers", type=int, default=12); ap.add_argument("--heads", type=int, default=12)
    ap.add_argument("--intermediate", type=int, default=1536); ap.add_argument("--vocab-size", type=int, default=30522)
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    a = ap.parse_args()
    if not 0 <= a.overlap * 2 <= a.tokens - 2:
        ap.error("--overlap must be at most half of --tokens")
    start = time.perf_counter()
    torch.set_num_threads(a.threads)
    torch.manual_seed(20261205)
    model = Bert(argparse.Namespace(hidden=a.hidden, vocab=a.vocab_size, heads=a.heads, intermediate=a.intermediate, layers=a.layers)).eval()
    tokenizer = WordPiece(a.vocab)
    page_count, chunks = 0, []
    for path in sorted(glob.glob(os.path.join(a.pdfs, "*.pdf"))):
        with fitz.open(path) as doc:
            pages = [[b[4] for b in page.get_text("blocks") if b[6] == 0] for page in doc]
        page_count += len(pages)
        chunks.extend(passages(pages, tokenizer, a.tokens - 2, a.overlap))
    embeddings = []
    order = sorted(range(len(chunks)), key=lambda i: len(chunks[i]))
    with torch.inference_mode():
        for b in range(0, len(order), a.batch):
            rows = [[101] + chunks[i] + [102] for i in order[b:b + a.batch]]
            width = max(len(r) for r in rows)
            ids = torch.tensor([r + [0] * (width - len(r)) for r in rows])
            mask = (ids != 0).long(); mask[:, 0] = 1
            embeddings.append(model.embed(ids, mask, torch.zeros_like(ids)))
    seconds = time.perf_counter() - start
    print(json.dumps({"pages": page_count, "passages": len(chunks), "tokens": sum(len(c) + 2 for c in chunks),
                      "seconds": round(seconds, 2), "pages_per_s": round(page_count / seconds, 3), "threads": a.threads, "torch": torch.__version__}))

if __name__ == "__main__":
    main()
