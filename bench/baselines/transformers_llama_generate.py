#!/usr/bin/env python3
"""Reference point for the GPU check (docs/gpu.md): transformers' own LlamaForCausalLM.generate on a random-weight
decoder of the given config, prompt = PREFIX random embedding rows + TEXT token embeddings (inputs_embeds), greedy,
batch 1. Needs torch >= 2.0 and transformers; prints one JSON line like pytorch_llama_baseline.py."""
import argparse, json, time
import torch
from transformers import LlamaConfig, LlamaForCausalLM

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--config", required=True); ap.add_argument("--prefix", type=int, default=576); ap.add_argument("--text", type=int, default=16)
    ap.add_argument("--new-tokens", type=int, default=128); ap.add_argument("--dtype", default="fp16", choices=["fp32", "bf16", "fp16"])
    ap.add_argument("--device", default="cuda"); ap.add_argument("--seed", type=int, default=20261130)
    a = ap.parse_args()
    torch.manual_seed(a.seed)
    dt = {"fp32": torch.float32, "bf16": torch.bfloat16, "fp16": torch.float16}[a.dtype]
    cfg = LlamaConfig(**{k: v for k, v in json.load(open(a.config)).items() if k != "model_type"})
    with torch.device(a.device):
        model = LlamaForCausalLM(cfg).to(dt).eval()
    with torch.inference_mode():
        prefix = torch.randn(1, a.prefix, cfg.hidden_size, device=a.device, dtype=dt) * 0.02
        ids = torch.randint(3, cfg.vocab_size, (1, a.text), device=a.device)
        embeds = torch.cat([prefix, model.get_input_embeddings()(ids)], dim=1)
        mask = torch.ones(embeds.shape[:2], dtype=torch.long, device=a.device)

        def run(n):
            sync = torch.cuda.synchronize if a.device.startswith("cuda") else (lambda: None)
            sync(); t = time.perf_counter()
            out = model.generate(inputs_embeds=embeds, attention_mask=mask, max_new_tokens=n, min_new_tokens=n, do_sample=False, pad_token_id=0)
            sync()
            return out, time.perf_counter() - t

        run(2)  # warm-up
        _, first = run(1)
        out, total = run(a.new_tokens)
    print(json.dumps({"torch": torch.__version__, "dtype": a.dtype, "device": a.device, "prompt_tokens": a.prefix + a.text,
                      "new_tokens": out.shape[1], "ttft_s": round(first, 4),
                      "decode_tokens_per_s": round((a.new_tokens - 1) / (total - first), 3), "ids": out[0, :8].tolist()}))

if __name__ == "__main__":
    main()
