#!/usr/bin/python3
"""Trains PolyShare's Fashion-MNIST ResNet-8 in three activation arms and exports ONNX.

Arms (same architecture, only the activation differs):
  relu   max(0, x)
  pkn    PolyKerv (x + cp)^2, x the BatchNorm output of the preceding conv (per-channel cp)
  rpkn   R-PKN ap * (x + cp)^2 (per-channel ap and cp), the PolyAct form

Each conv trains with a BatchNorm after it. torch.onnx.export in eval mode folds that BatchNorm
into the conv, so a kervolution reaches the file as Conv -> Add(cp) -> Pow(2), which PolyShare's
importer fuses into one PolyKerv (R-PKN: a Conv and a PolyAct with output scale ap). Every
activation follows a conv: the residual Add is not activated (see Block).

  /usr/bin/python3 models/src/main/python/train_fashion.py train --arm pkn --out m.onnx
  /usr/bin/python3 models/src/main/python/train_fashion.py sisyphus --arm pkn-nobn --out run.json

`train` prints one JSON line per epoch and a final summary (markdown table rows for the model
card). `sisyphus` trains a deeper plain (non-residual) stack and records per layer max |activation|
per epoch as JSON (see sisyphus()).
"""

import argparse
import gzip
import json
import math
import os
import resource
import struct
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

# Fashion-MNIST training-pixel mean and standard deviation (pixels in [0, 1]); the Java loader
# (org.polyshare.models.data.FashionMnist) normalises with the same two numbers.
MEAN, STD = 0.2860, 0.3530
DEFAULT_DATA = "/usr/share/datasets/fashion-mnist"


def read_idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    magic, = struct.unpack(">I", data[:4])
    rank = magic & 0xFF
    dims = struct.unpack(">" + "I" * rank, data[4 : 4 + 4 * rank])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank).reshape(dims)


def find(data_dir, prefix, kind, rank):
    for sep in ("-", "."):
        for gz in ("", ".gz"):
            p = os.path.join(data_dir, "%s-%s%sidx%d-ubyte%s" % (prefix, kind, sep, rank, gz))
            if os.path.isfile(p):
                return p
    sys.exit(
        "Fashion-MNIST %s %s not found in %s: install Debian's dataset-fashion-mnist "
        "(apt-get install dataset-fashion-mnist) or run `bin/models data fashion-mnist --out DIR`"
        % (prefix, kind, data_dir)
    )


def load(data_dir, prefix):
    x = read_idx(find(data_dir, prefix, "images", 3)).astype(np.float32) / 255.0
    y = read_idx(find(data_dir, prefix, "labels", 1)).astype(np.int64)
    x = (x - MEAN) / STD
    return torch.from_numpy(x).unsqueeze(1), torch.from_numpy(y)


# ---- activations ---------------------------------------------------------------------------


class Square(nn.Module):
    """PKN: (x + cp)^2, cp learned per channel."""

    def __init__(self, c, cp0=0.0):
        super().__init__()
        self.cp = nn.Parameter(torch.full((1, c, 1, 1), cp0))

    def forward(self, x):
        return (x + self.cp) ** 2


class ScaledSquare(nn.Module):
    """R-PKN: ap * (x + cp)^2, ap and cp learned per channel (ap keeps the square's gain near 1)."""

    def __init__(self, c, ap0=0.5, cp0=0.0):
        super().__init__()
        self.ap = nn.Parameter(torch.full((1, c, 1, 1), ap0))
        self.cp = nn.Parameter(torch.full((1, c, 1, 1), cp0))

    def forward(self, x):
        return self.ap * (x + self.cp) ** 2


def activation(arm, c):
    if arm == "relu":
        return nn.ReLU()
    if arm == "pkn":
        return Square(c)
    if arm == "rpkn":
        return ScaledSquare(c)
    raise ValueError("unknown arm " + arm)


# ---- ResNet-8 ------------------------------------------------------------------------------


class Block(nn.Module):
    """Residual block x + bn(conv(act(bn(conv(x))))), one activation per block.

    No activation after the Add: squaring the residual sum compounds the squares' heavy tails
    block after block (max |activation| ~5000 at initialisation against ~60 without), and the PKN
    arm did not learn at all with it (chance accuracy after one epoch on 6000 images; 53% without).
    """

    def __init__(self, arm, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.act1 = activation(arm, cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.short = None
        if stride != 1 or cin != cout:
            self.short = nn.Sequential(
                nn.Conv2d(cin, cout, 1, stride, 0, bias=False), nn.BatchNorm2d(cout)
            )

    def forward(self, x):
        y = self.act1(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        return y + (x if self.short is None else self.short(x))


class ResNet8(nn.Module):
    def __init__(self, arm, widths):
        super().__init__()
        w1, w2, w3 = widths
        self.stem = nn.Conv2d(1, w1, 3, 1, 1, bias=False)
        self.bn = nn.BatchNorm2d(w1)
        self.act = activation(arm, w1)
        self.layer1 = Block(arm, w1, w1, 2)
        self.layer2 = Block(arm, w1, w2, 2)
        self.layer3 = Block(arm, w2, w3, 2)
        self.fc = nn.Linear(w3, 10)

    def forward(self, x):
        x = self.act(self.bn(self.stem(x)))
        x = self.layer3(self.layer2(self.layer1(x)))
        x = F.adaptive_avg_pool2d(x, 1).flatten(1)
        return self.fc(x)


# ---- training ------------------------------------------------------------------------------


def evaluate(model, x, y, batch=500):
    model.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, len(x), batch):
            correct += (model(x[i : i + batch]).argmax(1) == y[i : i + batch]).sum().item()
    return correct / len(x)


def cpu_seconds():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def train(args):
    torch.manual_seed(args.seed)
    np.random.seed(args.seed)
    torch.set_num_threads(args.threads)
    xtr, ytr = load(args.data, "train")
    xte, yte = load(args.data, "t10k")
    if args.limit:
        xtr, ytr = xtr[: args.limit], ytr[: args.limit]
    model = ResNet8(args.arm, [int(w) for w in args.widths.split(",")])
    params = sum(p.numel() for p in model.parameters())
    steps = args.epochs * math.ceil(len(xtr) / args.batch)
    if args.optimizer == "adam":
        opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=args.weight_decay)
    else:
        opt = torch.optim.SGD(
            model.parameters(),
            lr=args.lr,
            momentum=0.9,
            weight_decay=args.weight_decay,
            nesterov=True,
        )
    sched = torch.optim.lr_scheduler.OneCycleLR(
        opt, max_lr=args.lr, total_steps=steps, pct_start=0.15
    )
    gen = torch.Generator().manual_seed(args.seed)
    start, cpu0 = time.time(), cpu_seconds()
    load0 = os.getloadavg()
    history = []
    for epoch in range(1, args.epochs + 1):
        model.train()
        perm = torch.randperm(len(xtr), generator=gen)
        loss_sum, correct, seen = 0.0, 0, 0
        for i in range(0, len(xtr), args.batch):
            idx = perm[i : i + args.batch]
            xb, yb = xtr[idx], ytr[idx]
            if args.flip:
                flip = torch.rand(len(idx), generator=gen) < 0.5
                xb = torch.where(flip[:, None, None, None], xb.flip(3), xb)
            out = model(xb)
            loss = F.cross_entropy(out, yb)
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            opt.step()
            sched.step()
            loss_sum += loss.item() * len(idx)
            correct += (out.argmax(1) == yb).sum().item()
            seen += len(idx)
            step = i // args.batch + 1
            if step % 50 == 0:
                print(
                    "  epoch %d step %d loss %.4f acc %.4f (%.0f s)"
                    % (epoch, step, loss_sum / seen, correct / seen, time.time() - start),
                    flush=True,
                )
            if not math.isfinite(loss.item()):
                sys.exit("loss diverged at epoch %d step %d" % (epoch, i // args.batch))
        test_acc = evaluate(model, xte, yte)
        row = {
            "epoch": epoch,
            "train_loss": round(loss_sum / seen, 4),
            "train_acc": round(correct / seen, 4),
            "test_acc": round(test_acc, 4),
            "wall_s": round(time.time() - start, 1),
            "cpu_s": round(cpu_seconds() - cpu0, 1),
        }
        history.append(row)
        print(json.dumps(row), flush=True)
    wall, cpu = time.time() - start, cpu_seconds() - cpu0
    model.eval()
    dummy = torch.zeros(1, 1, 28, 28)
    torch.onnx.export(
        model,
        dummy,
        args.out,
        opset_version=13,
        input_names=["x"],
        output_names=["y"],
        dynamic_axes={"x": {0: "N"}, "y": {0: "N"}},
        do_constant_folding=True,
    )
    summary = {
        "arm": args.arm,
        "widths": args.widths,
        "params": params,
        "epochs": args.epochs,
        "seed": args.seed,
        "batch": args.batch,
        "lr": args.lr,
        "test_acc": history[-1]["test_acc"],
        "wall_s": round(wall, 1),
        "cpu_s": round(cpu, 1),
        "loadavg_start": load0,
        "loadavg_end": os.getloadavg(),
        "history": history,
        "out": args.out,
    }
    if args.logits:
        with torch.no_grad():
            logits = model(xte[: args.logits_n]).double()
        write_logits(args.logits, xte[: args.logits_n], yte[: args.logits_n], logits)
    print("SUMMARY " + json.dumps(summary), flush=True)
    if args.summary:
        with open(args.summary, "w") as f:
            json.dump(summary, f, indent=1)


def write_logits(path, x, y, logits):
    """A test fixture: the test-set indices' labels and PyTorch's logits, one image per line."""
    with open(path, "w") as f:
        f.write("# index label logit0 .. logit9 (PyTorch float32 forward, eval mode)\n")
        for i in range(len(y)):
            f.write(
                "%d %d %s\n" % (i, int(y[i]), " ".join(repr(float(v)) for v in logits[i].tolist()))
            )


# ---- Sisyphus: escaping activations in a deep plain polynomial stack ------------------------

FRAC_BITS = 16
MARGIN_BITS = 8  # Headroom.DEFAULT_MARGIN_BITS
# A conv, PolyKerv, BatchNorm or PolyAct value v is held at 2f fractional bits before its
# truncation, exact while |v| * 2^(2f) < 2^62 (org.polyshare.models.calib.Headroom); the guard
# refuses a layer with fewer than MARGIN_BITS bits left: |v| must stay below 2^(62 - 2f - margin).
HEADROOM_LIMIT = 2.0 ** (62 - 2 * FRAC_BITS - MARGIN_BITS)
FLOAT_CAP = 3.0e38  # a non-finite or float32-overflowing maximum is recorded as this


class PlainStack(nn.Module):
    """depth conv3x3 layers (two of stride 2), each followed by the arm's activation, then GAP, fc.

    Arms: pkn-nobn (conv + cp)^2; pkn-bn (bn(conv) + cp)^2; rpkn-nobn ap * (conv + cp)^2.
    """

    def __init__(self, arm, depth, width, ap0=1.0, cp0=0.0):
        super().__init__()
        self.convs, self.bns, self.acts = nn.ModuleList(), nn.ModuleList(), nn.ModuleList()
        cin = 1
        for i in range(depth):
            stride = 2 if i in (0, 2) else 1
            self.convs.append(nn.Conv2d(cin, width, 3, stride, 1, bias=False))
            self.bns.append(nn.BatchNorm2d(width) if arm == "pkn-bn" else nn.Identity())
            self.acts.append(
                ScaledSquare(width, ap0, cp0) if arm == "rpkn-nobn" else Square(width, cp0)
            )
            cin = width
        self.fc = nn.Linear(width, 10)

    def forward(self, x, record=None):
        for conv, bn, act in zip(self.convs, self.bns, self.acts):
            x = act(bn(conv(x)))
            if record is not None:
                record.append(x.detach().abs().max().item())
        return self.fc(F.adaptive_avg_pool2d(x, 1).flatten(1))

    def calibrate(self, x):
        """Scales each conv so its output has unit standard deviation on x (a bounded start)."""
        with torch.no_grad():
            for conv, bn, act in zip(self.convs, self.bns, self.acts):
                conv.weight /= conv(x).std()
                x = act(bn(conv(x)))


def init_text(args):
    """The squares' start when not the default (ap 1, cp 0), for the run's title."""
    if args.ap0 == 1.0 and args.cp0 == 0.0:
        return ""
    ap = ", ap = %g" % args.ap0 if args.arm == "rpkn-nobn" else ""
    return ", start cp = %g%s" % (args.cp0, ap)


def sisyphus(args):
    """Records per layer the largest |activation| the training forward passes meet, per epoch.

    An epoch here is one pass over a chunk of args.limit training images (chunk k holds images
    k*limit .. (k+1)*limit - 1 of the 60,000), so the history has a point every few steps.
    """
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    xtr, ytr = load(args.data, "train")
    model = PlainStack(args.arm, args.depth, args.width, args.ap0, args.cp0)
    model.calibrate(xtr[: args.probe])
    opt = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=0.9)
    layers = ["pk%d" % (i + 1) for i in range(args.depth)]
    epochs = []
    start = time.time()
    escaped_at = None
    for epoch in range(1, args.epochs + 1):
        model.train()
        lo = ((epoch - 1) * args.limit) % len(xtr)
        xs, ys = xtr[lo : lo + args.limit], ytr[lo : lo + args.limit]
        peak = [0.0] * args.depth
        loss_sum, seen = 0.0, 0
        for i in range(0, len(xs), args.batch):
            rec = []
            loss = F.cross_entropy(model(xs[i : i + args.batch], rec), ys[i : i + args.batch])
            peak = [max(p, v if math.isfinite(v) else FLOAT_CAP) for p, v in zip(peak, rec)]
            if not math.isfinite(loss.item()):
                loss_sum = float("nan")
                break
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), args.clip)
            opt.step()
            loss_sum += loss.item() * len(ys[i : i + args.batch])
            seen += len(ys[i : i + args.batch])
        finite = math.isfinite(loss_sum)
        peak = [min(p, FLOAT_CAP) for p in peak]
        escaped = not finite or max(peak) > HEADROOM_LIMIT
        row = {
            "epoch": epoch,
            "max_abs": peak,
            "train_loss": round(loss_sum / seen, 4) if finite else FLOAT_CAP,
            "escaped": escaped,
        }
        epochs.append(row)
        print(json.dumps(row), flush=True)
        if escaped and escaped_at is None:
            escaped_at = epoch
        if not finite or (escaped_at is not None and epoch >= escaped_at + args.after_escape):
            break
    result = {
        "run": args.run or args.arm,
        "arch": "%d x (conv3x3 %d ch %s) -> GAP -> fc (Fashion-MNIST 28x28)%s"
        % (args.depth, args.width, ARM_FORMS[args.arm], init_text(args)),
        "layers": layers,
        "epochs": epochs,
        "fixed_point_bits": FRAC_BITS,
        "headroom_limit": HEADROOM_LIMIT,
        "note": (
            "train_fashion.py sisyphus --arm %s --depth %d --width %d --epochs %d --lr %g"
            " --batch %d --clip %g --seed %d --ap0 %g --cp0 %g: SGD momentum 0.9, gradient norm clipped, no weight"
            " decay; an epoch is one pass over the next %d training images (a subset: chunk k of the"
            " 60,000); each conv scaled at the start to unit output std on the first %d images;"
            " max_abs per layer is the largest |activation output| the epoch's training forward"
            " passes met (BatchNorm in training mode);"
            " headroom_limit = 2^(62 - 2*16 - 8), the largest |value| the guard accepts after a"
            " conv/PolyKerv/PolyAct (Headroom: exact truncation below 2^62 at 2f = 32 fractional"
            " bits, 8 bits margin); escaped = some layer above it or a non-finite loss (a non-finite"
            " max or loss is recorded as %g); %.0f s wall."
            % (
                args.arm, args.depth, args.width, args.epochs, args.lr, args.batch, args.clip, args.seed,
                args.ap0, args.cp0, args.limit, args.probe, FLOAT_CAP, time.time() - start,
            )
        ),
    }
    with open(args.out, "w") as f:
        json.dump(result, f, indent=1)
        f.write("\n")


ARM_FORMS = {
    "pkn-nobn": "(conv + cp)^2, no BatchNorm",
    "pkn-bn": "(BatchNorm(conv) + cp)^2",
    "rpkn-nobn": "ap*(conv + cp)^2, no BatchNorm",
}


ARM_TEXT = {
    "relu": "ReLU",
    "pkn": "PKN: every activation is a PolyKerv `(conv + cp)^2` (per-channel `cp`)",
    "rpkn": "R-PKN: every activation is `ap*(conv + cp)^2` (per-channel `ap`, `cp`)",
}


def card(args):
    """Writes the model card (markdown) of a trained model from its summary JSON."""
    with open(args.summary) as f:
        s = json.load(f)
    name = os.path.basename(s["out"])
    size = os.path.getsize(args.onnx or s["out"])
    w = s["widths"].split(",")
    lines = [
        "# %s" % name,
        "",
        "A ResNet-8 for Fashion-MNIST (28x28x1, ten classes): stem conv 3x3 %s ch, then three"
        " residual blocks of %s, %s and %s channels at 14x14, 7x7 and 4x4 (each block"
        " `x + bn(conv(act(bn(conv(x)))))`, its first conv of stride 2, a 1x1 stride-2 conv"
        " shortcut), global average pool, linear 10. Activation arm: %s; one activation after the"
        " stem and one inside each block, none after the residual Add. Every conv trained with a"
        " BatchNorm after it; the export (PyTorch eval mode) folds each BatchNorm into its conv."
        " %d parameters; f = 16 fractional bits." % (w[0], w[0], w[1], w[2], ARM_TEXT[s["arm"]], s["params"]),
        "",
        "Made with Debian's python3-torch (%s), from the repository root:" % torch.__version__,
        "",
        "```sh",
        "/usr/bin/python3 models/src/main/python/train_fashion.py train --arm %s --epochs %d"
        " --flip --lr %g --seed %d --out %s \\" % (s["arm"], s["epochs"], s["lr"], s["seed"], name),
        "    --logits %s.logits --summary %s.json" % (name[:-5], name[:-5]),
        "```",
        "",
        "Data: the 60,000 training and 10,000 test images of Debian's dataset-fashion-mnist,"
        " normalised with mean %.4f, std %.4f; random horizontal flips. SGD (Nesterov momentum"
        " 0.9, weight decay 5e-4), batch %d, one-cycle learning rate peaking at %g, gradient norm"
        " clipped at 5, one thread (`torch.set_num_threads(1)`)." % (MEAN, STD, s["batch"], s["lr"]),
        "",
        "| epoch | train loss | train acc | test acc | wall s | CPU s |",
        "|---|---|---|---|---|---|",
    ]
    for h in s["history"]:
        lines.append(
            "| %d | %.4f | %.2f%% | %.2f%% | %.0f | %.0f |"
            % (h["epoch"], h["train_loss"], 100 * h["train_acc"], 100 * h["test_acc"], h["wall_s"], h["cpu_s"])
        )
    lines += [
        "",
        "**Test accuracy %.2f%%** on the 10,000 Fashion-MNIST test images (PyTorch, float32)."
        % (100 * s["test_acc"]),
        "Training took %.0f s wall and %.0f s CPU on the 2-core machine shared with other jobs"
        " (load average %.1f at the start, %.1f at the end: the process got about %.0f%% of one"
        " core)." % (s["wall_s"], s["cpu_s"], s["loadavg_start"][0], s["loadavg_end"][0],
                     100 * s["cpu_s"] / s["wall_s"]),
        "",
        "PyTorch's logits for the first 64 test images are `models/src/test/resources/fashion/%s.logits`;"
        " `FashionModelsTest` checks the Java plaintext evaluator against them." % name[:-5],
        "Size %d KB. Load it in code with `TrainedModels.load(\"%s\")`." % (round(size / 1024), name[:-5]),
        "",
    ]
    with open(args.out, "w") as f:
        f.write("\n".join(lines))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("train", help="train one ResNet-8 arm and export ONNX")
    t.add_argument("--arm", choices=["relu", "pkn", "rpkn"], required=True)
    t.add_argument("--data", default=DEFAULT_DATA)
    t.add_argument("--out", required=True)
    t.add_argument("--widths", default="16,32,64")
    t.add_argument("--epochs", type=int, default=5)
    t.add_argument("--batch", type=int, default=128)
    t.add_argument("--lr", type=float, default=0.1)
    t.add_argument("--weight-decay", type=float, default=5e-4)
    t.add_argument("--optimizer", choices=["sgd", "adam"], default="sgd")
    t.add_argument("--seed", type=int, default=1)
    t.add_argument("--threads", type=int, default=1)
    t.add_argument("--limit", type=int, default=0)
    t.add_argument("--flip", action="store_true", help="random horizontal flips")
    t.add_argument("--logits", help="write PyTorch's logits of the first test images here")
    t.add_argument("--logits-n", type=int, default=64)
    t.add_argument("--summary", help="write the summary JSON here")
    y = sub.add_parser("sisyphus", help="train a deep plain PKN and record max |activation|")
    y.add_argument("--arm", choices=sorted(ARM_FORMS), required=True)
    y.add_argument("--run", help="the run's name in the JSON (default: the arm)")
    y.add_argument("--data", default=DEFAULT_DATA)
    y.add_argument("--out", required=True)
    y.add_argument("--depth", type=int, default=8)
    y.add_argument("--width", type=int, default=16)
    y.add_argument("--epochs", type=int, default=15)
    y.add_argument("--after-escape", type=int, default=2, help="epochs to go on after escaping")
    y.add_argument("--batch", type=int, default=64)
    y.add_argument("--lr", type=float, default=0.02)
    y.add_argument("--limit", type=int, default=5000)
    y.add_argument("--probe", type=int, default=500)
    y.add_argument("--clip", type=float, default=1.0, help="gradient norm clip")
    y.add_argument("--seed", type=int, default=1)
    y.add_argument("--threads", type=int, default=1)
    y.add_argument("--ap0", type=float, default=1.0, help="initial ap of the rpkn arm")
    y.add_argument("--cp0", type=float, default=0.0, help="initial cp of every square")
    c = sub.add_parser("card", help="write a model card from a train --summary JSON")
    c.add_argument("--summary", required=True)
    c.add_argument("--onnx", help="the ONNX file (default: the summary's out)")
    c.add_argument("--out", required=True)
    args = ap.parse_args()
    {"train": train, "sisyphus": sisyphus, "card": card}[args.cmd](args)


if __name__ == "__main__":
    main()
