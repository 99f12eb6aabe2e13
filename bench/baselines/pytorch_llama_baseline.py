#!/usr/bin/env python3
"""Baseline for the decoder benchmark: a Llama decoder (RMSNorm, rotary positions, grouped-query attention, SwiGLU)
with a plain eager generate loop and a KV cache, in PyTorch, written the way the transformers Llama code reads.
Random weights; the shape comes from a Llama config.json (default: TinyLlama-1.1B's). The prompt is PREFIX random
embedding rows (LLaVA-1.5's 576 image tokens) followed by TEXT token ids; generation is greedy, batch 1.

  python3 pytorch_llama_baseline.py [--config C] [--prefix 576] [--text 16] [--new-tokens 32] [--dtype fp32|bf16]
Common: --threads N (default: all cores), --device cpu|cuda, --seed S.
Needs python3-torch; on Debian also libopenblas0-pthread (else a reference BLAS ~20x slower).
Prints one JSON line: time to first token (prefill + first pick), decode tokens/s after the first token, peak RSS."""
import argparse, json, os, resource, time
import torch
from torch import nn
import torch.nn.functional as F

TINYLLAMA = {"vocab_size": 32000, "hidden_size": 2048, "intermediate_size": 5632, "num_hidden_layers": 22,
             "num_attention_heads": 32, "num_key_value_heads": 4, "rms_norm_eps": 1e-5, "rope_theta": 10000.0}

class RMSNorm(nn.Module):
    def __init__(self, w, eps):
        super().__init__()
        self.weight, self.eps = nn.Parameter(torch.ones(w)), eps

    def forward(self, x):
        h = x.float()
        h = h * torch.rsqrt(h.pow(2).mean(-1, keepdim=True) + self.eps)
        return self.weight * h.to(x.dtype)

def rotate_half(x):
    x1, x2 = x.chunk(2, dim=-1)
    return torch.cat((-x2, x1), dim=-1)

class Attention(nn.Module):
    def __init__(self, c):
        super().__init__()
        w, self.h, self.kv = c["hidden_size"], c["num_attention_heads"], c["num_key_value_heads"]
        self.d = w // self.h
        self.q_proj, self.o_proj = nn.Linear(w, self.h * self.d, bias=False), nn.Linear(self.h * self.d, w, bias=False)
        self.k_proj, self.v_proj = nn.Linear(w, self.kv * self.d, bias=False), nn.Linear(w, self.kv * self.d, bias=False)

    def forward(self, x, cos, sin, cache):
        b, n, _ = x.shape
        q = self.q_proj(x).view(b, n, self.h, self.d).transpose(1, 2)
        k = self.k_proj(x).view(b, n, self.kv, self.d).transpose(1, 2)
        v = self.v_proj(x).view(b, n, self.kv, self.d).transpose(1, 2)
        q, k = q * cos + rotate_half(q) * sin, k * cos + rotate_half(k) * sin
        if cache is not None:
            k, v = torch.cat([cache[0], k], dim=2), torch.cat([cache[1], v], dim=2)
        new_cache = (k, v)
        rep = self.h // self.kv
        k, v = k.repeat_interleave(rep, dim=1), v.repeat_interleave(rep, dim=1)
        scores = (q @ k.transpose(2, 3)) / self.d ** 0.5
        if n > 1:
            t = k.shape[2]
            mask = torch.full((n, t), float("-inf"), device=x.device).triu(t - n + 1)
            scores = scores + mask
        attn = F.softmax(scores.float(), dim=-1).to(q.dtype)
        out = (attn @ v).transpose(1, 2).reshape(b, n, self.h * self.d)
        return self.o_proj(out), new_cache

class Block(nn.Module):
    def __init__(self, c):
        super().__init__()
        w, m = c["hidden_size"], c["intermediate_size"]
        self.input_layernorm, self.post_attention_layernorm = RMSNorm(w, c["rms_norm_eps"]), RMSNorm(w, c["rms_norm_eps"])
        self.self_attn = Attention(c)
        self.gate_proj, self.up_proj, self.down_proj = nn.Linear(w, m, bias=False), nn.Linear(w, m, bias=False), nn.Linear(m, w, bias=False)

    def forward(self, x, cos, sin, cache):
        a, cache = self.self_attn(self.input_layernorm(x), cos, sin, cache)
        x = x + a
        h = self.post_attention_layernorm(x)
        return x + self.down_proj(F.silu(self.gate_proj(h)) * self.up_proj(h)), cache

class Llama(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.c = c
        self.embed_tokens = nn.Embedding(c["vocab_size"], c["hidden_size"])
        self.layers = nn.ModuleList([Block(c) for _ in range(c["num_hidden_layers"])])
        self.norm = RMSNorm(c["hidden_size"], c["rms_norm_eps"])
        self.lm_head = nn.Linear(c["hidden_size"], c["vocab_size"], bias=False)
        d = c["hidden_size"] // c["num_attention_heads"]
        self.inv_freq = 1.0 / (c.get("rope_theta", 10000.0) ** (torch.arange(0, d, 2).float() / d))

    def forward(self, x, start, caches):
        pos = torch.arange(start, start + x.shape[1], device=x.device).float()
        freqs = torch.outer(pos, self.inv_freq.to(x.device))
        emb = torch.cat([freqs, freqs], dim=-1)
        cos, sin = emb.cos().to(x.dtype), emb.sin().to(x.dtype)
        new = []
        for layer, cache in zip(self.layers, caches):
            x, cache = layer(x, cos, sin, cache)
            new.append(cache)
        # Like transformers' generate, only the last position goes through the vocabulary projection.
        return self.lm_head(self.norm(x[:, -1:])), new

def generate(model, prefix, ids, new_tokens):
    """Greedy decoding with a KV cache; returns (generated ids, seconds to the first token, seconds for the rest)."""
    t0 = time.perf_counter()
    x = torch.cat([prefix, model.embed_tokens(ids)], dim=1)
    logits, caches = model(x, 0, [None] * len(model.layers))
    token = logits[:, -1].argmax(-1, keepdim=True)
    out = [token.item()]
    t1 = time.perf_counter()
    length = x.shape[1]
    for _ in range(new_tokens - 1):
        logits, caches = model(model.embed_tokens(token), length, caches)
        length += 1
        token = logits[:, -1].argmax(-1, keepdim=True)
        out.append(token.item())
    return out, t1 - t0, time.perf_counter() - t1

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--config"); ap.add_argument("--prefix", type=int, default=576); ap.add_argument("--text", type=int, default=16)
    ap.add_argument("--new-tokens", type=int, default=32); ap.add_argument("--dtype", default="fp32", choices=["fp32", "bf16", "fp16"])
    ap.add_argument("--threads", type=int, default=os.cpu_count()); ap.add_argument("--device", default="cpu"); ap.add_argument("--seed", type=int, default=20261130)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    cfg = json.load(open(a.config)) if a.config else TINYLLAMA
    dt = {"fp32": torch.float32, "bf16": torch.bfloat16, "fp16": torch.float16}[a.dtype]
    dev = torch.device(a.device)
    if dev.type == "cuda" and hasattr(torch, "set_default_device"):
        torch.set_default_device(dev)  # torch >= 2.0: build the weights on the GPU, not in host memory first
    with torch.inference_mode():
        model = Llama(cfg).eval().to(dev, dt)
        prefix = (torch.randn(1, a.prefix, cfg["hidden_size"], device=dev) * 0.02).to(dt)
        ids = torch.randint(3, cfg["vocab_size"], (1, a.text), device=dev)
        generate(model, prefix[:, :8], ids[:, :4], 3)  # warm-up: kernels chosen, allocator primed
        out, first, rest = generate(model, prefix, ids, a.new_tokens)
    print(json.dumps({"torch": torch.__version__, "threads": a.threads, "dtype": a.dtype, "prompt_tokens": a.prefix + a.text,
                      "new_tokens": len(out), "ttft_s": round(first, 4), "decode_tokens_per_s": round((len(out) - 1) / rest, 3),
                      "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1), "ids": out[:8]}))

if __name__ == "__main__":
    main()
