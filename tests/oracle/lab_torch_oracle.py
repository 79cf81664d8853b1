#!/usr/bin/env python3
"""PyTorch oracle of the training lab (design-lab.md sections 1, 4, 5 and 7).

Rebuilds section 1's model in torch from the text (not from the C++): embedding (+ learned positions),
pre-LN blocks with per-(layer, head) masks and softmax or linear (elu + 1) heads, the tanh GELU MLP, the
final LN and the tied output, mean cross-entropy over the targeted positions; and section 4's AdamW
(torch.optim.AdamW with torch.nn.utils.clip_grad_norm_ and the schedule of section 4). For each dump
directory in section 7's format (config.json, params/, grads/, tokens.npy, targets.npy, loss.json) it
recomputes the loss and every parameter gradient and compares them with the dump; when the dump has
adamw/<s>/ (tests/oracle/lab_dump.cpp writes it) it also checks every step's loss and gradients, replays
the AdamW steps on the dump's gradients, and (f64) runs the whole loop in torch from the first parameters.

The reference is always torch in float64, also for a float32 dump (its f32 parameters promoted exactly),
so an f32 error is the C++ f32 engine's distance from the exact result; torch's own float32 run of the
same model is printed beside it for scale. Errors are normwise per tensor: max |c++ - torch| / max |torch|
for the loss and gradients; for AdamW, relative to the size of the update (max |torch after - before|),
so an error in the step itself cannot hide behind the size of the weights.

Tolerances (design-lab.md section 5): f64 1e-10 relative. Both sides do the same arithmetic in another
order (fixed-order kernels against torch's BLAS and fused kernels), so they differ by rounding, O(1e-16)
times the growth through ~10 layers of products, LayerNorms and softmaxes: measured below 1e-13 (see
the report printed), so 1e-10 leaves three orders of margin for ill-conditioned draws while a wrong formula
(a missing 1 / sqrt(h), a mask entry, a decay on the wrong tensor) shows at 1e-3 or more. f32 1e-4: single
precision's 6e-8 unit roundoff through the same chain (measured ~1e-6); torch's own f32 run lands there too.
The f64 whole loop (three AdamW steps on each side's own gradients) gets 1e-8: AdamW divides each entry's
step by that entry's own gradient magnitude, so an entry whose gradient is 1e-5 of its tensor's largest
carries its rounding 1e5 times larger into the update (measured up to 4e-11 relative to the change).

Usage: lab_torch_oracle.py DIR   (DIR: a tree with cases.txt from attnrank_lab_dump, or one dump dir)
Exit status 0 when every check is within its tolerance, 1 otherwise.
"""
import json
import math
import pathlib
import sys

import numpy as np
import torch
import torch.nn.functional as F

TOLERANCE = {"float64": 1e-10, "float32": 1e-4}
WHOLE_LOOP_TOLERANCE = 1e-8  # f64; see the docstring
LAYER_NORM_EPS = 1e-5
GELU_CUBIC = 0.044715
DECAYED = ("attn.wq", "attn.wk", "attn.wv", "attn.wo", "mlp.w1", "mlp.w2")  # section 4: the matrices


def parameter_names(config):
    names = ["tok_emb"] + (["pos_emb"] if config["positions"] == "learned" else [])
    for l in range(config["layers"]):
        for part in ("ln1.g", "ln1.b", "attn.wq", "attn.wk", "attn.wv", "attn.wo", "ln2.g", "ln2.b",
                     "mlp.w1", "mlp.w2"):
            names.append(f"layers.{l}.{part}")
    return names + ["ln_f.g", "ln_f.b"]


def load_tensors(directory, names, dtype):
    return {name: torch.from_numpy(np.load(directory / f"{name}.npy")).to(dtype) for name in names}


def mask(pattern, n, prefix, window):
    """(n, n) bool, row i = the keys query i may attend to (the core's masks.h)."""
    i = torch.arange(n)[:, None]
    j = torch.arange(n)[None, :]
    rules = {
        "bidirectional": torch.ones(n, n, dtype=torch.bool),
        "forward": j <= i,
        "backward": j >= i,
        "prefix": (j < prefix) | (j <= i),
        "window": (i - j).abs() < window,
        "forward_window": (i - j >= 0) & (i - j < window),
    }
    if pattern not in rules:
        raise ValueError(f"pattern={pattern} is unknown to the oracle")
    return rules[pattern]


def attention_head(kind, q, k, v, allowed):
    """q, k, v: (B, n, h). Softmax: masked entries exactly 0. Linear: phi = elu + 1 on Q' = c Q, K' = c K,
    c = h^(-1/4) (linear_attention.h with s = 1), A = D^-1 (M o phi(Q') phi(K')^T)."""
    h = q.shape[-1]
    if kind == "softmax":
        scores = (q @ k.transpose(-1, -2)) / math.sqrt(h)
        weights = torch.softmax(scores.masked_fill(~allowed, float("-inf")), dim=-1)
    elif kind == "linear":
        c = h ** -0.25
        kernel = (F.elu(c * q) + 1) @ (F.elu(c * k) + 1).transpose(-1, -2) * allowed
        weights = kernel / kernel.sum(dim=-1, keepdim=True)
    else:
        raise ValueError(f"attention={kind} is unknown to the oracle")
    return weights @ v


def gelu(x):  # section 1's tanh form
    return 0.5 * x * (1 + torch.tanh(math.sqrt(2 / math.pi) * (x + GELU_CUBIC * x ** 3)))


def model_loss(config, p, tokens, targets):
    n, width, heads = config["n"], config["width"], config["heads"]
    h = width // heads
    x = p["tok_emb"][tokens]
    if config["positions"] == "learned":
        x = x + p["pos_emb"][None]
    for l in range(config["layers"]):
        w = lambda part: p[f"layers.{l}.{part}"]  # noqa: E731
        y = F.layer_norm(x, (width,), w("ln1.g"), w("ln1.b"), LAYER_NORM_EPS)
        q, k, v = y @ w("attn.wq"), y @ w("attn.wk"), y @ w("attn.wv")
        outputs = []
        for head in range(heads):
            columns = slice(head * h, (head + 1) * h)
            allowed = mask(config["masks"][l][head], n, config.get("prefix", 0), config.get("window", 1))
            outputs.append(attention_head(config["attention"][l][head], q[..., columns], k[..., columns],
                                          v[..., columns], allowed))
        x = x + torch.cat(outputs, dim=-1) @ w("attn.wo")
        y = F.layer_norm(x, (width,), w("ln2.g"), w("ln2.b"), LAYER_NORM_EPS)
        x = x + gelu(y @ w("mlp.w1")) @ w("mlp.w2")
    x = F.layer_norm(x, (width,), p["ln_f.g"], p["ln_f.b"], LAYER_NORM_EPS)
    logits = x @ p["tok_emb"].T
    return F.cross_entropy(logits.reshape(-1, config["vocab"]), targets.reshape(-1), ignore_index=-1)


def loss_and_grads(config, params, tokens, targets, dtype):
    p = {name: t.detach().to(dtype).clone().requires_grad_(True) for name, t in params.items()}
    loss = model_loss(config, p, tokens, targets)
    loss.backward()
    return loss.item(), {name: t.grad.detach() for name, t in p.items()}


def normwise(actual, reference):
    return ((actual.to(torch.float64) - reference).abs().max() / max(reference.abs().max().item(), 1e-300)).item()


def worst(errors):  # {name: error} -> (error, name)
    name = max(errors, key=errors.get)
    return errors[name], name


def learning_rate(adam, step):
    total, peak = adam["total_steps"], adam["learning_rate"]
    warmup = math.floor(adam["warmup_fraction"] * total)
    if step < warmup:
        return peak * (step + 1) / warmup
    final = adam["final_fraction"] * peak
    ratio = (step - warmup) / (total - warmup)
    return final + 0.5 * (1 + math.cos(math.pi * ratio)) * (peak - final)


def make_adamw(config, p):
    adam = config["adamw"]
    groups = [{"params": [t for name, t in p.items() if name.endswith(DECAYED)], "weight_decay": adam["weight_decay"]},
              {"params": [t for name, t in p.items() if not name.endswith(DECAYED)], "weight_decay": 0.0}]
    return torch.optim.AdamW(groups, lr=adam["learning_rate"], betas=(adam["beta1"], adam["beta2"]), eps=adam["eps"])


def adamw_update(config, optimizer, p, grads, step):
    for name, t in p.items():
        t.grad = grads[name].clone()
    torch.nn.utils.clip_grad_norm_(list(p.values()), config["adamw"]["clip_norm"])
    for group in optimizer.param_groups:
        group["lr"] = learning_rate(config["adamw"], step)
    optimizer.step()


def check_dump(directory):
    """Returns {check: (error, where)} for one dump directory, computed in float64."""
    config = json.loads((directory / "config.json").read_text())
    names = parameter_names(config)
    dtype = np.load(directory / "params" / f"{names[0]}.npy").dtype.name
    f64 = torch.float64
    results = {"dtype": dtype}

    def batch(d):
        return (torch.from_numpy(np.load(d / "tokens.npy")).long(), torch.from_numpy(np.load(d / "targets.npy")).long())

    # Loss and gradients at step 0 (section 7's state) and before every AdamW step.
    points = [(directory, directory / "params")]
    steps = config.get("adamw", {}).get("steps", 0) if (directory / "adamw").is_dir() else 0
    for s in range(steps):
        before = directory / "params" if s == 0 else directory / "adamw" / str(s - 1) / "params"
        points.append((directory / "adamw" / str(s), before))
    loss_errors, grad_errors, torch32_errors = {}, {}, {}
    for point, params_dir in points:
        params = load_tensors(params_dir, names, f64)
        tokens, targets = batch(point)
        loss, grads = loss_and_grads(config, params, tokens, targets, f64)
        dumped_loss = json.loads((point / "loss.json").read_text())["loss"]
        where = str(point.relative_to(directory)) or "."
        loss_errors[where] = abs(dumped_loss - loss) / abs(loss)
        dumped = load_tensors(point / "grads", names, f64)
        for name in names:
            grad_errors[f"{where}:{name}"] = normwise(dumped[name], grads[name])
        if dtype == "float32":  # torch's own f32 run, for scale
            loss32, grads32 = loss_and_grads(config, params, tokens, targets, torch.float32)
            torch32_errors[f"{where}:loss"] = abs(loss32 - loss) / abs(loss)
            for name in names:
                torch32_errors[f"{where}:{name}"] = normwise(grads32[name], grads[name])
    results["loss"] = worst(loss_errors)
    results["grads"] = worst(grad_errors)
    if torch32_errors:
        results["torch f32 (scale)"] = worst(torch32_errors)
    if steps == 0:
        return results

    # AdamW replayed on the dump's own gradients: torch's optimizer state carried across the steps, each
    # step started from the dump's parameters before it, compared with the dump's parameters after it.
    p = {name: t.clone() for name, t in load_tensors(directory / "params", names, f64).items()}
    optimizer = make_adamw(config, p)
    step_errors = {}
    for s in range(steps):
        step_dir = directory / "adamw" / str(s)
        before = load_tensors(directory / "params" if s == 0 else directory / "adamw" / str(s - 1) / "params", names, f64)
        with torch.no_grad():
            for name in names:
                p[name].copy_(before[name])
        adamw_update(config, optimizer, p, load_tensors(step_dir / "grads", names, f64), s)
        after = load_tensors(step_dir / "params", names, f64)
        for name in names:
            update = (p[name] - before[name]).abs().max().item()
            step_errors[f"adamw/{s}:{name}"] = (after[name] - p[name]).abs().max().item() / max(update, 1e-300)
    results["adamw step"] = worst(step_errors)

    # The whole loop in torch (f64 dumps): its own gradients and AdamW from the first parameters.
    if dtype == "float64":
        p = {name: t.clone().requires_grad_(True) for name, t in load_tensors(directory / "params", names, f64).items()}
        start = {name: t.detach().clone() for name, t in p.items()}
        optimizer = make_adamw(config, p)
        for s in range(steps):
            tokens, targets = batch(directory / "adamw" / str(s))
            optimizer.zero_grad()
            model_loss(config, p, tokens, targets).backward()
            torch.nn.utils.clip_grad_norm_(list(p.values()), config["adamw"]["clip_norm"])
            for group in optimizer.param_groups:
                group["lr"] = learning_rate(config["adamw"], s)
            optimizer.step()
        final = load_tensors(directory / "adamw" / str(steps - 1) / "params", names, f64)
        loop_errors = {}
        for name in names:
            change = (p[name].detach() - start[name]).abs().max().item()
            loop_errors[f"loop:{name}"] = (final[name] - p[name].detach()).abs().max().item() / max(change, 1e-300)
        results["whole loop"] = worst(loop_errors)
    return results


def main():
    if len(sys.argv) != 2:
        print(__doc__.strip().splitlines()[-3], file=sys.stderr)
        return 2
    torch.set_num_threads(1)
    root = pathlib.Path(sys.argv[1])
    if (root / "config.json").is_file():
        dumps = [("dump", root)]
    else:
        dumps = [(f"{case}/{d.name}", d) for case in (root / "cases.txt").read_text().split()
                 for d in sorted((root / case).iterdir()) if (d / "config.json").is_file()]
    failures = 0
    summary = {}  # (dtype, check) -> (error, where)
    for label, directory in dumps:
        results = check_dump(directory)
        dtype = results.pop("dtype")
        line = []
        for check, (error, where) in results.items():
            tolerance = WHOLE_LOOP_TOLERANCE if check == "whole loop" else TOLERANCE[dtype]
            is_scale = check.startswith("torch")
            failed = not is_scale and not error <= tolerance
            failures += failed
            line.append(f"{check} {error:.1e}{' FAIL at ' + where if failed else ''}")
            key = (dtype, check)
            if key not in summary or error > summary[key][0]:
                summary[key] = (error, f"{label} {where}")
        print(f"{label:44s} " + ", ".join(line))
    print("\nmax error per check (tolerance: float64 %.0e, its whole loop %.0e, float32 %.0e):"
          % (TOLERANCE["float64"], WHOLE_LOOP_TOLERANCE, TOLERANCE["float32"]))
    for (dtype, check), (error, where) in sorted(summary.items()):
        print(f"  {dtype:8s} {check:18s} {error:.2e}  ({where})")
    print(f"{len(dumps)} dumps, {failures} check(s) over tolerance")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
