#!/usr/bin/python3
"""PyTorch corpus for the ONNX importer tests (OnnxCorpusTest).

Builds small PKN, R-PKN and ReLU models the ways PyTorch users write them, exports each at
opsets 11, 13 and 17 and records PyTorch's outputs on fixed inputs. Run with Debian's
python3-torch / python3-onnx from the repository root:

    /usr/bin/python3 models/src/test/python/make_corpus.py [MODEL ...]

It rewrites models/src/test/resources/onnx/corpus/: NAME-opsetK.onnx per model and opset, and
NAME.io (the fixed input and PyTorch's output, as text: a shape line then the values).
"""
import os
import sys

import onnx
import onnx.checker
import onnx.helper
import torch
import torch.nn as nn
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "onnx", "corpus")
OPSETS = (11, 13, 17)
C = 4  # channels: keep the files small


class Kerv(nn.Module):
    """Polynomial kervolution as PolyKervNets writes it: (<x, w> + cp)^dp, learnable scalar cp."""

    def __init__(self, cin, cout, k=3, stride=1, padding=1, cp=1.0, dp=2, cp_param=None):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, k, stride, padding)
        self.cp = cp_param if cp_param is not None else nn.Parameter(torch.tensor(cp))
        self.dp = dp

    def forward(self, x):
        return (self.conv(x) + self.cp) ** self.dp


class RKerv(nn.Module):
    """R-PKN: ap * (cp + conv(x))^dp with learnable ap and cp."""

    def __init__(self, cin, cout, cp=0.5, ap=0.25):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, 3, 1, 1)
        self.cp = nn.Parameter(torch.tensor(cp))
        self.ap = nn.Parameter(torch.tensor(ap))

    def forward(self, x):
        return self.ap * (self.cp + self.conv(x)) ** 2


class PolyAct(nn.Module):
    """The activation-replacement form: (x + cp)^2 wherever the ReLU was."""

    def __init__(self, cp=1.0, channels=None):
        super().__init__()
        shape = (channels, 1, 1) if channels else ()
        self.cp = nn.Parameter(torch.full(shape, cp))

    def forward(self, x):
        return (x + self.cp) ** 2


class PolyActMul(nn.Module):
    """(a*x + c) * (a*x + c): the square written as a product, with an input scale."""

    def __init__(self, a=0.5, c=0.5):
        super().__init__()
        self.a = nn.Parameter(torch.tensor(a))
        self.c = nn.Parameter(torch.tensor(c))

    def forward(self, x):
        t = self.a * x + self.c
        return t * t


def pkn_sequential():
    return nn.Sequential(
        Kerv(3, C), nn.BatchNorm2d(C), nn.AvgPool2d(2),
        Kerv(C, C), nn.BatchNorm2d(C), nn.AvgPool2d(2),
        nn.Flatten(), nn.Linear(C * 2 * 2, 5))


class Block(nn.Module):
    def __init__(self, act, shared_cp=None):
        super().__init__()
        self.k1 = Kerv(C, C, cp_param=shared_cp) if act is None else nn.Conv2d(C, C, 3, 1, 1)
        self.bn1 = nn.BatchNorm2d(C)
        self.conv2 = nn.Conv2d(C, C, 3, 1, 1)
        self.bn2 = nn.BatchNorm2d(C)
        self.act = act

    def forward(self, x):
        y = self.bn1(self.k1(x))
        if self.act is not None:
            y = self.act(y)
        y = self.bn2(self.conv2(y))
        y = y + x
        return self.act(y) if self.act is not None else y


class PknResnet(nn.Module):
    """Residual PKN; every Kerv has its own cp = 1.0, equal values that torch dedups (Identity)."""

    def __init__(self):
        super().__init__()
        self.stem = Kerv(3, C)
        self.bn = nn.BatchNorm2d(C)
        self.b1 = Block(None)
        self.b2 = Block(None)
        self.pool = nn.AvgPool2d(3, stride=2, padding=1)  # count_include_pad=True (default)
        self.fc = nn.Linear(C * 4 * 4, 5)

    def forward(self, x):
        x = self.bn(self.stem(x))
        x = self.b2(self.b1(x))
        x = self.pool(x)
        return self.fc(x.view(x.size(0), -1))


class SharedCpNet(nn.Module):
    """One cp Parameter object used by every kervolution."""

    def __init__(self):
        super().__init__()
        self.cp = nn.Parameter(torch.tensor(0.5))
        self.k1 = Kerv(3, C, cp_param=self.cp)
        self.k2 = Kerv(C, C, cp_param=self.cp)
        self.pool = nn.AvgPool2d(3, stride=2, padding=1, count_include_pad=False)
        self.fc = nn.Linear(C * 4 * 4, 5)

    def forward(self, x):
        x = self.pool(self.k2(self.k1(x)))
        return self.fc(torch.flatten(x, 1))


def rpkn():
    return nn.Sequential(RKerv(3, C), nn.BatchNorm2d(C), nn.AvgPool2d(2), RKerv(C, C),
                         nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(C, 5))


class ReluNet(nn.Module):
    """A ReLU ResNet-ish net; `act` replaces every ReLU (activation-replacement form)."""

    def __init__(self, act=None):
        super().__init__()
        mk = act if act is not None else (lambda: nn.ReLU())
        self.conv = nn.Conv2d(3, C, 3, 1, 1)
        self.bn = nn.BatchNorm2d(C)
        self.a1 = mk()
        self.block = Block(mk())
        self.pool = nn.AvgPool2d(2)
        self.fc1 = nn.Linear(C * 4 * 4, 8)
        self.a2 = mk()
        self.fc2 = nn.Linear(8, 5)

    def forward(self, x):
        x = self.a1(self.bn(self.conv(x)))
        x = self.pool(self.block(x))
        x = x.view(x.size(0), -1)
        return self.fc2(self.a2(self.fc1(x)))


class ReplacedNet(ReluNet):
    def __init__(self):
        super().__init__(act=lambda: PolyAct(1.0))


class ReplacedPerChannel(nn.Module):
    """(x + cp)^2 with per-channel cp after BN and pools, a*x+c product form after Linear."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, C, 3, 1, 1)
        self.bn = nn.BatchNorm2d(C)
        self.act1 = PolyAct(0.5, channels=C)
        self.pool = nn.AvgPool2d(2)
        self.act2 = PolyAct(0.25)
        self.fc1 = nn.Linear(C * 4 * 4, 8)
        self.act3 = PolyActMul()
        self.fc2 = nn.Linear(8, 5)

    def forward(self, x):
        x = self.act2(self.pool(self.act1(self.bn(self.conv(x)))))
        return self.fc2(self.act3(self.fc1(x.flatten(1))))


class SoftmaxNet(nn.Module):
    def __init__(self, log):
        super().__init__()
        self.body = pkn_sequential()
        self.log = log

    def forward(self, x):
        y = self.body(x)
        return F.log_softmax(y, dim=1) if self.log else F.softmax(y, dim=-1)


class MaxPoolNet(nn.Module):
    """A ReLU net with padded, dilated max-pooling and ceil mode (plaintext only)."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, C, 3, 1, 1)
        self.pool = nn.MaxPool2d(3, stride=2, padding=1, dilation=1, ceil_mode=True)
        self.pool2 = nn.MaxPool2d(2, stride=1, dilation=2)
        self.fc = nn.Linear(C * 3 * 3, 5)

    def forward(self, x):
        x = self.pool2(self.pool(F.relu(self.conv(x))))
        return self.fc(x.flatten(1))


class UnfoldKerv(nn.Module):
    """Kervolution written literally: F.unfold (im2col), a matmul, + cp, ^2."""

    def __init__(self):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(C, 3, 3, 3) * 0.3)
        self.cp = nn.Parameter(torch.tensor(1.0))
        self.fc = nn.Linear(C * 8 * 8, 5)

    def forward(self, x):
        n, _, h, w = x.shape
        cols = F.unfold(x, 3, padding=1)                      # [N, 27, H*W]
        y = self.weight.view(C, -1) @ cols                   # [N, C, H*W]
        y = (y + self.cp) ** 2
        return self.fc(y.view(n, -1))


class NormalizedNet(nn.Module):
    """Input normalisation (x - mean) / std, F.pad before an unpadded conv, (0.5 - x)^2 after BN,
    a division of the logits; the export is then given an Identity and an inference Dropout on
    activations, as other exporters and graph tools leave them."""

    def __init__(self):
        super().__init__()
        self.register_buffer("mean", torch.tensor([0.1, -0.2, 0.05]).view(3, 1, 1))
        self.register_buffer("std", torch.tensor([0.5, 0.25, 2.0]).view(3, 1, 1))
        self.conv = nn.Conv2d(3, C, 3, 1, 0)
        self.bn = nn.BatchNorm2d(C)
        self.fc = nn.Linear(C * 4 * 4, 5)

    def forward(self, x):
        x = (x - self.mean) / self.std
        x = self.conv(F.pad(x, (1, 1, 1, 1)))
        x = F.avg_pool2d((0.5 - self.bn(x)) ** 2, 2)
        return self.fc(x.flatten(1)) / 4.0


def add_pass_through_nodes(path):
    """Routes the first Conv's output through an Identity and the Gemm's input through a Dropout
    (no attributes: valid at every opset, the identity in inference)."""
    m = onnx.load(path)
    g = m.graph
    nodes = list(g.node)
    conv = next(n for n in nodes if n.op_type == "Conv")
    gemm = next(n for n in nodes if n.op_type == "Gemm")
    for n in nodes:
        for i, v in enumerate(n.input):
            if v == conv.output[0]:
                n.input[i] = "conv_identity"
    src = gemm.input[0]
    gemm.input[0] = "gemm_dropout"
    ident = onnx.helper.make_node("Identity", [conv.output[0]], ["conv_identity"], "identity")
    drop = onnx.helper.make_node("Dropout", [src], ["gemm_dropout"], "dropout")
    del g.node[:]
    for n in nodes:
        g.node.append(n)
        if n is conv:
            g.node.append(ident)
        if n.output[0] == src:
            g.node.append(drop)
    onnx.checker.check_model(m)
    onnx.save(m, path)


MODELS = {
    "pkn_sequential": pkn_sequential,
    "pkn_resnet": PknResnet,
    "pkn_shared_cp": SharedCpNet,
    "rpkn": rpkn,
    "relu_net": ReluNet,
    "relu_replaced": ReplacedNet,
    "replaced_per_channel": ReplacedPerChannel,
    "softmax": lambda: SoftmaxNet(False),
    "log_softmax": lambda: SoftmaxNet(True),
    "maxpool": MaxPoolNet,
    "unfold_kerv": UnfoldKerv,
    "normalized_input": NormalizedNet,
}

POST = {"normalized_input": add_pass_through_nodes}

# models exported with a fixed batch of 2 (the others get a symbolic batch axis)
FIXED_BATCH = {"pkn_sequential", "relu_net", "rpkn"}


def randomize_bn(m, g):
    for mod in m.modules():
        if isinstance(mod, nn.BatchNorm2d):
            mod.running_mean.copy_(torch.randn(mod.num_features, generator=g) * 0.1)
            mod.running_var.copy_(torch.rand(mod.num_features, generator=g) + 0.5)
            mod.weight.data.copy_(torch.rand(mod.num_features, generator=g) + 0.5)
            mod.bias.data.copy_(torch.randn(mod.num_features, generator=g) * 0.1)


def write_io(path, x, y):
    with open(path, "w") as f:
        for t in (x, y):
            f.write(" ".join(str(d) for d in t.shape) + "\n")
            f.write(" ".join(repr(float(v)) for v in t.detach().double().flatten().tolist()) + "\n")


def main():
    os.makedirs(OUT, exist_ok=True)
    only = sys.argv[1:]  # regenerate just these models (default: all)
    for name, make in MODELS.items():
        if only and name not in only:
            continue
        torch.manual_seed(1234)
        m = make()
        g = torch.Generator().manual_seed(99)
        with torch.no_grad():
            randomize_bn(m, g)
        m.eval()
        x = torch.rand(2, 3, 8, 8, generator=g) * 2 - 1
        with torch.no_grad():
            y = m(x)
        write_io(os.path.join(OUT, name + ".io"), x, y)
        for opset in OPSETS:
            path = os.path.join(OUT, "%s-opset%d.onnx" % (name, opset))
            dyn = None if name in FIXED_BATCH else {"x": {0: "N"}, "y": {0: "N"}}
            torch.onnx.export(m, x, path, opset_version=opset, input_names=["x"],
                              output_names=["y"], dynamic_axes=dyn)
            if name in POST:
                POST[name](path)
        print(name, tuple(y.shape), file=sys.stderr)


if __name__ == "__main__":
    main()
