#!/usr/bin/python3
"""PyTorch CPU reference timing of one training step of the lab's model (design-lab.md sections 1, 2, 4):
forward, backward, gradient clipping at global norm 1 and torch.optim.AdamW with section 4's schedule, in
float32 on one thread (torch.set_num_threads(1)), per configuration (masks:attention, every layer and head
alike). The model is section 1's, written for speed the way a torch user would (heads batched as
(B, H, n, h), masks precomputed); --check compares its loss and gradients with the oracle's text-faithful
rebuild (tests/oracle/lab_torch_oracle.py) on the same weights and batch, so both benchmarks time the same
model. The batch is torch's own random tokens each step (the objective's targets: next token for forward,
previous for backward, 15% masked positions otherwise): only the timing is compared, never the numbers.
A benchmark, never a test.

Usage: /usr/bin/python3 bench/lab_torch_bench.py --vocab V --configs forward:softmax,bidirectional:softmax
         [--n 64] [--width 64] [--heads 4] [--layers 2] [--batch 16] [--steps 100] [--warmup 10] [--check]
       prints CSV: config,vocab,n,width,heads,layers,batch,steps,median_step_ms_cpu,median_step_ms_wall,
       steps_per_s_cpu,tokens_per_s_cpu,base_rss_kb,peak_rss_kb (RSS with torch loaded, before any model,
       and the process's peak after that configuration: configurations run in order in one process, so
       run one per process for each one's own peak)
       --info prints JSON (torch version, threads, the BLAS/LAPACK libraries loaded). Debian's torch calls
       the system's libblas.so.3 (BLAS_INFO=generic): the reference BLAS unless an optimised one is the
       alternative or comes first on LD_LIBRARY_PATH (lab-bench.mjs --torch-lib-dir).
"""
import os

# One thread, like the native trainer; must be set before torch loads its OpenMP and BLAS.
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import pathlib  # noqa: E402
import resource  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

LAYER_NORM_EPS = 1e-5
GELU_CUBIC = 0.044715
MASK_FRACTION = 0.15
ADAMW = {"beta1": 0.9, "beta2": 0.95, "eps": 1e-8, "weight_decay": 0.1, "clip_norm": 1.0,
         "warmup_fraction": 0.05, "final_fraction": 0.1}
DECAYED = ("attn.wq", "attn.wk", "attn.wv", "attn.wo", "mlp.w1", "mlp.w2")


def allowed(pattern, n):
    """(n, n) bool, row i = the keys query i may attend to (forward, backward, bidirectional only)."""
    i = torch.arange(n)[:, None]
    j = torch.arange(n)[None, :]
    rules = {"bidirectional": torch.ones(n, n, dtype=torch.bool), "forward": j <= i, "backward": j >= i}
    if pattern not in rules:
        raise ValueError(f"masks={pattern}: the torch bench knows forward, backward, bidirectional")
    return rules[pattern]


def parameter_shapes(c):
    v, n, d, layers = c["vocab"], c["n"], c["width"], c["layers"]
    shapes = {"tok_emb": (v, d), "pos_emb": (n, d)}
    for l in range(layers):
        for part, shape in (("ln1.g", (d,)), ("ln1.b", (d,)), ("attn.wq", (d, d)), ("attn.wk", (d, d)),
                            ("attn.wv", (d, d)), ("attn.wo", (d, d)), ("ln2.g", (d,)), ("ln2.b", (d,)),
                            ("mlp.w1", (d, 4 * d)), ("mlp.w2", (4 * d, d))):
            shapes[f"layers.{l}.{part}"] = shape
    shapes["ln_f.g"] = shapes["ln_f.b"] = (d,)
    return shapes


def init_params(c, generator):
    """Section 1's init: N(0, 0.02^2), Wo and W2 N(0, (0.02 / sqrt(2 L))^2), g = 1, b = 0."""
    params = {}
    for name, shape in parameter_shapes(c).items():
        if name.endswith(".g"):
            t = torch.ones(shape)
        elif name.endswith(".b"):
            t = torch.zeros(shape)
        else:
            std = 0.02 / math.sqrt(2 * c["layers"]) if name.endswith(("attn.wo", "mlp.w2")) else 0.02
            t = torch.randn(shape, generator=generator) * std
        params[name] = t.requires_grad_(True)
    return params


def gelu(x):  # section 1's tanh form
    return 0.5 * x * (1 + torch.tanh(math.sqrt(2 / math.pi) * (x + GELU_CUBIC * x ** 3)))


def forward_loss(c, p, allowed_mask, tokens, targets):
    """Section 1's model, heads batched: x (B, n, D); q, k, v (B, H, n, h)."""
    b, n = tokens.shape
    d, heads = c["width"], c["heads"]
    h = d // heads
    x = p["tok_emb"][tokens] + p["pos_emb"][None]
    for l in range(c["layers"]):
        w = lambda part: p[f"layers.{l}.{part}"]  # noqa: E731
        y = F.layer_norm(x, (d,), w("ln1.g"), w("ln1.b"), LAYER_NORM_EPS)
        q, k, v = ((y @ w(f"attn.w{s}")).view(b, n, heads, h).transpose(1, 2) for s in "qkv")
        if c["attention"] == "softmax":
            scores = (q @ k.transpose(-1, -2)) / math.sqrt(h)
            weights = torch.softmax(scores.masked_fill(~allowed_mask, float("-inf")), dim=-1)
        else:  # linear: phi = elu + 1 on h^(-1/4) Q and K (the core's linear attention, s = 1)
            scale = h ** -0.25
            kernel = (F.elu(scale * q) + 1) @ (F.elu(scale * k) + 1).transpose(-1, -2) * allowed_mask
            weights = kernel / kernel.sum(dim=-1, keepdim=True)
        x = x + (weights @ v).transpose(1, 2).reshape(b, n, d) @ w("attn.wo")
        y = F.layer_norm(x, (d,), w("ln2.g"), w("ln2.b"), LAYER_NORM_EPS)
        x = x + gelu(y @ w("mlp.w1")) @ w("mlp.w2")
    x = F.layer_norm(x, (d,), p["ln_f.g"], p["ln_f.b"], LAYER_NORM_EPS)
    logits = x @ p["tok_emb"].T
    return F.cross_entropy(logits.reshape(-1, c["vocab"]), targets.reshape(-1), ignore_index=-1)


def make_batch(c, generator):
    """Random tokens and section 2's targets for the objective of the mask (-1: no loss there)."""
    b, n, vocab = c["batch"], c["n"], c["vocab"]
    tokens = torch.randint(0, vocab - 2, (b, n), generator=generator)  # the last two ids: MASK, SEP
    targets = torch.full((b, n), -1, dtype=torch.long)
    if c["masks"] == "forward":
        targets[:, :-1] = tokens[:, 1:]
    elif c["masks"] == "backward":
        targets[:, 1:] = tokens[:, :-1]
    else:  # masked LM: 15% of positions (at least one) replaced by MASK
        chosen = torch.rand((b, n), generator=generator).argsort(dim=1)[:, :max(1, round(MASK_FRACTION * n))]
        targets.scatter_(1, chosen, tokens.gather(1, chosen))
        tokens = tokens.scatter(1, chosen, vocab - 2)
    return tokens, targets


def learning_rate(step, total, peak):
    warmup = math.floor(ADAMW["warmup_fraction"] * total)
    if step < warmup:
        return peak * (step + 1) / warmup
    final = ADAMW["final_fraction"] * peak
    return final + 0.5 * (1 + math.cos(math.pi * (step - warmup) / (total - warmup))) * (peak - final)


def make_optimizer(p, peak):
    groups = [{"params": [t for name, t in p.items() if name.endswith(DECAYED)], "weight_decay": ADAMW["weight_decay"]},
              {"params": [t for name, t in p.items() if not name.endswith(DECAYED)], "weight_decay": 0.0}]
    return torch.optim.AdamW(groups, lr=peak, betas=(ADAMW["beta1"], ADAMW["beta2"]), eps=ADAMW["eps"])


def config_of(args, entry):
    masks, _, attention = entry.partition(":")
    return {"vocab": args.vocab, "n": args.n, "width": args.width, "heads": args.heads, "layers": args.layers,
            "batch": args.batch, "masks": masks, "attention": attention or "softmax"}


def time_config(c, steps, warmup, peak_lr):
    """Median CPU and wall ms of one whole training step (batch, forward, backward, clip, AdamW)."""
    generator = torch.Generator().manual_seed(1)
    p = init_params(c, generator)
    optimizer = make_optimizer(p, peak_lr)
    mask = allowed(c["masks"], c["n"])
    total = warmup + steps
    cpu, wall = [], []
    for step in range(total):
        t_cpu, t_wall = time.process_time(), time.perf_counter()
        tokens, targets = make_batch(c, generator)
        optimizer.zero_grad(set_to_none=True)
        loss = forward_loss(c, p, mask, tokens, targets)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(list(p.values()), ADAMW["clip_norm"])
        for group in optimizer.param_groups:
            group["lr"] = learning_rate(step, total, peak_lr)
        optimizer.step()
        if not math.isfinite(loss.item()):
            raise RuntimeError(f"{c['masks']}:{c['attention']}: loss {loss.item()} at step {step}")
        if step >= warmup:
            cpu.append((time.process_time() - t_cpu) * 1e3)
            wall.append((time.perf_counter() - t_wall) * 1e3)
    return statistics.median(cpu), statistics.median(wall)


def check_against_oracle(c):
    """Loss and gradients of this file's model against the oracle's rebuild (float64, same weights and batch)."""
    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "tests" / "oracle"))
    import lab_torch_oracle as oracle  # noqa: E402
    generator = torch.Generator().manual_seed(2)
    p = {name: t.detach().double().requires_grad_(True) for name, t in init_params(c, generator).items()}
    tokens, targets = make_batch(c, generator)
    ours = forward_loss(c, p, allowed(c["masks"], c["n"]), tokens, targets)
    ours_grads = torch.autograd.grad(ours, list(p.values()))
    oracle_config = {**c, "positions": "learned", "prefix": 0, "window": 1,
                     "masks": [[c["masks"]] * c["heads"]] * c["layers"],
                     "attention": [[c["attention"]] * c["heads"]] * c["layers"]}
    reference, grads = oracle.loss_and_grads(oracle_config, p, tokens, targets, torch.float64)
    worst = max(oracle.normwise(g, grads[name]) for g, name in zip(ours_grads, p))
    return abs(ours.item() - reference) / abs(reference), worst


def resident_kb():
    """VmRSS of /proc/self/status in kB (0 when unreadable)."""
    try:
        for line in pathlib.Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--configs", default="forward:softmax")
    parser.add_argument("--vocab", type=int, default=0)
    parser.add_argument("--n", type=int, default=64)
    parser.add_argument("--width", type=int, default=64)
    parser.add_argument("--heads", type=int, default=4)
    parser.add_argument("--layers", type=int, default=2)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--steps", type=int, default=100)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--learning-rate", type=float, default=1e-3)  # the CLI's default peak
    parser.add_argument("--check", action="store_true", help="compare with the oracle's model first")
    parser.add_argument("--info", action="store_true")
    args = parser.parse_args()
    torch.set_num_threads(1)
    if args.info:
        with open("/proc/self/maps") as maps:
            paths = {line.split()[-1] for line in maps if "/" in line}
        keywords = ("blas", "lapack", "mkl", "blis", "dnnl")
        print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(),
                          "interop_threads": torch.get_num_interop_threads(),
                          "blas_lapack_loaded": sorted(p for p in paths
                                                       if any(k in os.path.basename(p).lower() for k in keywords))}))
        return 0
    if args.vocab < 3:
        parser.error("--vocab V (>= 3) is required: the native run's vocabulary (lab-bench.mjs passes it)")
    print("config,vocab,n,width,heads,layers,batch,steps,median_step_ms_cpu,median_step_ms_wall,steps_per_s_cpu,"
          "tokens_per_s_cpu,base_rss_kb,peak_rss_kb")
    base_kb = resident_kb()
    for entry in args.configs.split(","):
        c = config_of(args, entry)
        if args.check:
            loss_error, grad_error = check_against_oracle(c)
            print(f"# {entry}: against the oracle's model (f64): loss {loss_error:.1e}, grads {grad_error:.1e}",
                  file=sys.stderr)
            if not (loss_error < 1e-10 and grad_error < 1e-10):
                raise SystemExit(f"{entry}: this bench's model differs from the oracle's")
        cpu_ms, wall_ms = time_config(c, args.steps, args.warmup, args.learning_rate)
        peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(f"{entry},{c['vocab']},{c['n']},{c['width']},{c['heads']},{c['layers']},{c['batch']},{args.steps},"
              f"{cpu_ms:.3f},{wall_ms:.3f},{1e3 / cpu_ms:.2f},{1e3 / cpu_ms * c['batch'] * c['n']:.0f},{base_kb},{peak_kb}")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
