#!/usr/bin/env python3
"""Baseline for side-by-side benchmarks: a BERT encoder (post-LayerNorm blocks, as transformers' eager BertModel)
in plain PyTorch eager, with random weights, fed ready token ids as a Python user's batches are fed.

  python3 pytorch_bert_baseline.py embed  [--layers 12] [--batch 32] [--tokens 256] [--seconds 20]   passages/s (CLS pooled, L2-normalised)
  python3 pytorch_bert_baseline.py rerank [--layers 6]  [--batch 32] [--tokens 256] [--seconds 20]   pairs/s (pooler + one-label classifier)
Common: --hidden 384, --heads 12, --intermediate 1536, --vocab 30522, --threads N (default: all cores), --device cpu|cuda.
Needs python3-torch; on Debian also libopenblas0-pthread (else a reference BLAS ~20x slower). Prints one JSON line."""
import argparse, json, math, os, time
import torch
from torch import nn
import torch.nn.functional as F

class Layer(nn.Module):
    def __init__(self, w, heads, inner):
        super().__init__()
        self.heads = heads
        self.q, self.k, self.v, self.o = nn.Linear(w, w), nn.Linear(w, w), nn.Linear(w, w), nn.Linear(w, w)
        self.ln1, self.ln2 = nn.LayerNorm(w, eps=1e-12), nn.LayerNorm(w, eps=1e-12)
        self.fc1, self.fc2 = nn.Linear(w, inner), nn.Linear(inner, w)

    def forward(self, x, bias):
        b, n, w = x.shape
        split = lambda t: t.view(b, n, self.heads, w // self.heads).transpose(1, 2)
        q, k, v = split(self.q(x)), split(self.k(x)), split(self.v(x))
        scores = q @ k.transpose(-1, -2) / math.sqrt(w // self.heads) + bias
        context = (scores.softmax(-1) @ v).transpose(1, 2).reshape(b, n, w)
        x = self.ln1(x + self.o(context))
        return self.ln2(x + self.fc2(F.gelu(self.fc1(x))))

class Bert(nn.Module):
    def __init__(self, a):
        super().__init__()
        w = a.hidden
        self.word, self.pos, self.segment = nn.Embedding(a.vocab, w), nn.Embedding(512, w), nn.Embedding(2, w)
        self.ln = nn.LayerNorm(w, eps=1e-12)
        self.layers = nn.ModuleList([Layer(w, a.heads, a.intermediate) for _ in range(a.layers)])
        self.pooler, self.classifier = nn.Linear(w, w), nn.Linear(w, 1)

    def forward(self, ids, mask, types):
        x = self.ln(self.word(ids) + self.segment(types) + self.pos.weight[: ids.shape[1]])
        bias = (1.0 - mask[:, None, None, :].to(x.dtype)) * torch.finfo(x.dtype).min
        for layer in self.layers:
            x = layer(x, bias)
        return x

    def embed(self, ids, mask, types):
        return F.normalize(self(ids, mask, types)[:, 0], dim=-1)

    def rerank(self, ids, mask, types):
        return self.classifier(torch.tanh(self.pooler(self(ids, mask, types)[:, 0])))

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["embed", "rerank"])
    ap.add_argument("--hidden", type=int, default=384); ap.add_argument("--layers", type=int)
    ap.add_argument("--heads", type=int, default=12); ap.add_argument("--intermediate", type=int, default=1536)
    ap.add_argument("--vocab", type=int, default=30522); ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--tokens", type=int, default=256); ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--threads", type=int, default=os.cpu_count()); ap.add_argument("--device", default="cpu")
    a = ap.parse_args()
    a.layers = a.layers or (12 if a.mode == "embed" else 6)
    torch.set_num_threads(a.threads)
    dev = torch.device(a.device)
    torch.manual_seed(20261123)
    m = Bert(a).eval().to(dev)
    run = m.embed if a.mode == "embed" else m.rerank
    ids = torch.randint(1000, a.vocab, (a.batch, a.tokens), device=dev); ids[:, 0], ids[:, -1] = 101, 102
    mask = torch.ones_like(ids)
    types = torch.zeros_like(ids)
    if a.mode == "rerank":
        types[:, a.tokens // 8:] = 1  # a short query, then the passage
    with torch.inference_mode():
        run(ids, mask, types); n, t = 0, time.perf_counter()
        while time.perf_counter() - t < a.seconds:
            run(ids, mask, types); n += a.batch
        rate = n / (time.perf_counter() - t)
    print(json.dumps({"mode": a.mode, "torch": torch.__version__, "threads": a.threads, "batch": a.batch, "tokens": a.tokens,
                      "layers": a.layers, "hidden": a.hidden, "per_s": round(rate, 2)}))

if __name__ == "__main__":
    main()
