"""The `tabcorr bench train` reference model in PyTorch, for the side-by-side measurement of
docs/PERFORMANCE.md (## Training). Same model, batch, loss and optimiser as
Sources/Lab/Bench/TrainingBenchmark.swift: batch 500 of the 30 standardised numeric columns of
breast_cancer; generator noise 128 -> 256 -> 256 (LeakyReLU 0.2 + BatchNorm) -> 30 tokens x 16 +
column embedding -> one post-norm 2-head self-attention block (FFN 16->32->16) -> per-column heads
(a masked block-diagonal product); critic 30 -> 256 -> 256 -> 1 (LeakyReLU 0.2, dropout 0.5).
One step = one WGAN-GP critic step (penalty 10) + one generator step with -D(G(z)) + 1.0 x mean
over pairs of (corr(G(z)) - C_train)^2; Adam 2e-4, betas (0.5, 0.9). Like ours, the generator step
does not compute critic parameter gradients, and the critic step does not record the generator.

Usage: .venv/bin/python scripts/bench/torch_reference.py [--threads N] [--steps N] [--json]
Prints one row per model (reference, reference-no-attention): steps/s, rows/s, process CPU ms
per step (all threads) and peak RSS MB.
"""
import argparse
import csv
import json
import math
import resource
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

BATCH, NOISE, TOKEN, HEADS, FFN, SLOPE = 500, 128, 16, 2, 32, 0.2


def load_standardised(path):
    with open(path) as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    numeric = []
    for j in range(len(header)):
        try:
            numeric.append([float(r[j]) for r in body])
        except ValueError:
            continue
    x = torch.tensor(numeric, dtype=torch.float32).T.contiguous()
    return (x - x.mean(0)) / x.std(0, unbiased=False)


class AttentionBlock(nn.Module):
    def __init__(self):
        super().__init__()
        self.q, self.k, self.v, self.o = (nn.Linear(TOKEN, TOKEN) for _ in range(4))
        self.norm1, self.norm2 = nn.LayerNorm(TOKEN), nn.LayerNorm(TOKEN)
        self.ffn = nn.Sequential(nn.Linear(TOKEN, FFN), nn.LeakyReLU(SLOPE), nn.Linear(FFN, TOKEN))

    def forward(self, x):
        n, f, e = x.shape
        split = lambda t: t.view(n, f, HEADS, e // HEADS).transpose(1, 2)
        mixed = F.scaled_dot_product_attention(split(self.q(x)), split(self.k(x)), split(self.v(x)))
        x1 = self.norm1(x + self.o(mixed.transpose(1, 2).reshape(n, f, e)))
        return self.norm2(x1 + self.ffn(x1))


class Generator(nn.Module):
    def __init__(self, columns, attention):
        super().__init__()
        self.columns = columns
        self.trunk = nn.Sequential(nn.Linear(NOISE, 256), nn.LeakyReLU(SLOPE), nn.BatchNorm1d(256),
                                   nn.Linear(256, 256), nn.LeakyReLU(SLOPE), nn.BatchNorm1d(256))
        self.to_tokens = nn.Linear(256, columns * TOKEN)
        self.embedding = nn.Parameter(0.1 * torch.randn(columns, TOKEN))
        self.block = AttentionBlock() if attention else None
        mask = torch.zeros(columns * TOKEN, columns)
        for j in range(columns):
            mask[j * TOKEN:(j + 1) * TOKEN, j] = 1
        self.register_buffer("mask", mask)
        self.head_weight = nn.Parameter(torch.randn(columns * TOKEN, columns) * 0.3 * mask)
        self.head_bias = nn.Parameter(torch.zeros(columns))

    def forward(self, z):
        n = z.shape[0]
        tokens = self.to_tokens(self.trunk(z)).view(n, self.columns, TOKEN) + self.embedding
        if self.block is not None:
            tokens = self.block(tokens)
        return tokens.reshape(n, -1) @ (self.head_weight * self.mask) + self.head_bias


def critic(width):
    return nn.Sequential(nn.Linear(width, 256), nn.LeakyReLU(SLOPE), nn.Dropout(0.5),
                         nn.Linear(256, 256), nn.LeakyReLU(SLOPE), nn.Dropout(0.5), nn.Linear(256, 1))


def batch_correlation(x, eps=1e-8):
    c = x - x.mean(0, keepdim=True)
    c = c / (c.pow(2).sum(0, keepdim=True) + eps).sqrt()
    return c.T @ c


def make_step(data, attention):
    k = data.shape[1]
    g, d = Generator(k, attention), critic(k)
    opt_g = torch.optim.Adam(g.parameters(), lr=2e-4, betas=(0.5, 0.9))
    opt_d = torch.optim.Adam(d.parameters(), lr=2e-4, betas=(0.5, 0.9))
    target = batch_correlation(data)
    pairs = torch.triu(torch.ones(k, k), diagonal=1)
    pairs = pairs / pairs.sum()
    order, position = torch.randperm(data.shape[0]), [0]

    def next_batch():
        nonlocal order
        parts, need = [], BATCH
        while need > 0:
            if position[0] >= len(order):
                order, position[0] = torch.randperm(data.shape[0]), 0
            take = min(need, len(order) - position[0])
            parts.append(order[position[0]:position[0] + take])
            position[0] += take
            need -= take
        return data[torch.cat(parts)]

    def step():
        real = next_batch()
        with torch.no_grad():
            fake = g(torch.randn(BATCH, NOISE))
        alpha = torch.rand(BATCH, 1)
        mixed = (alpha * real + (1 - alpha) * fake).requires_grad_(True)
        grad = torch.autograd.grad(d(mixed).sum(), mixed, create_graph=True)[0]
        penalty = (((grad * grad).sum(1) + 1e-12).sqrt() - 1).pow(2).mean()
        loss_d = d(fake).mean() - d(real).mean() + 10 * penalty
        opt_d.zero_grad(set_to_none=True)
        loss_d.backward()
        opt_d.step()

        for p in d.parameters():
            p.requires_grad_(False)
        fake = g(torch.randn(BATCH, NOISE))
        loss_g = -d(fake).mean() + 1.0 * ((batch_correlation(fake) - target).pow(2) * pairs).sum()
        opt_g.zero_grad(set_to_none=True)
        loss_g.backward()
        opt_g.step()
        for p in d.parameters():
            p.requires_grad_(True)
        return loss_d.item(), loss_g.item()

    return step


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--steps", type=int, default=100)
    parser.add_argument("--data", default="Experiments/datasets/breast_cancer.csv")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    data = load_standardised(args.data)
    results = []
    for attention in (True, False):
        step = make_step(data, attention)
        for _ in range(3):
            step()
        start, cpu_start = time.perf_counter(), time.process_time()
        for _ in range(args.steps):
            losses = step()
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
        assert all(math.isfinite(v) for v in losses)
        results.append({"model": "reference" if attention else "reference-no-attention", "attention": attention,
                        "threads": args.threads, "steps_per_s": args.steps / elapsed,
                        "rows_per_s": args.steps * BATCH / elapsed, "cpu_ms_per_step": cpu * 1000 / args.steps,
                        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                        "torch": torch.__version__})
    if args.json:
        print(json.dumps(results))
    else:
        for r in results:
            print(f"{r['model']:24} threads {r['threads']}  {r['steps_per_s']:7.2f} steps/s  {r['rows_per_s']:8.0f} rows/s  "
                  f"CPU {r['cpu_ms_per_step']:.1f} ms/step  peak RSS {r['peak_rss_mb']:.0f} MB  (torch {r['torch']})")


if __name__ == "__main__":
    main()
