package org.polyshare.party;

import static org.polyshare.party.PartyCli.checkCerts;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.polyshare.core.link.LinkException;
import org.polyshare.core.net.NetTransport;
import org.polyshare.core.ops.ConfigOption;
import org.polyshare.models.secure.OfflineSchedule;
import org.polyshare.party.PartyCli.HostPort;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code party run}: one party of one session (party 0 listening, party 1 dialling it). */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = "Join a dealer session and run secure inference with the other party.")
final class RunCommand implements Callable<Integer> {
  static final class PeerChoice {
    @Option(
        names = "--peer",
        required = true,
        description = "HOST:PORT of the other party (which runs with --listen)")
    String peer;

    @Option(
        names = "--listen",
        required = true,
        description = "PORT to wait for the other party on (0 = any, printed)")
    Integer listen;
  }

  @CommandLine.Mixin ConfigOption config;

  @Option(names = "--id", required = true, description = "0 (model owner) or 1 (client)")
  int id;

  @ArgGroup(exclusive = true, multiplicity = "1")
  PeerChoice peer;

  @CommandLine.Mixin DealerOption dealer;

  @Option(
      names = "--certs",
      required = true,
      description =
          "this party's bundle from `dealer certs` (OUT/party<ID>):"
              + " ca.pem, party<ID>.pem, party<ID>-key.pem")
  Path certs;

  @Option(
      names = "--model",
      description =
          "party 0: zoo name (e.g. tiny-pkn, lenet5-pkn, resnet18-pkn) or FILE.onnx"
              + " with the weights. Party 1: none (party 0 sends the architecture), or an architecture-only file"
              + " (`bin/models export --architecture-only`) or zoo name that pins what it accepts; never a model with weights")
  String model;

  @Option(
      names = "--expect-architecture",
      paramLabel = "SHA256",
      description =
          "party 1: run only the architecture"
              + " with this hash (printed by party 0 and by `bin/models architecture MODEL`); refuse any other")
  String expectArchitecture;

  @Option(
      names = "--input",
      description =
          "party 1: an image (PNG/JPEG/BMP/GIF), an IDX file (MNIST), a binary"
              + " float32 tensor (PSF4) or a text file of numbers (default: a demo N(0,1) input)")
  Path input;

  @Option(
      names = "--index",
      defaultValue = "0",
      description = "IDX input: first image to use (default: ${DEFAULT-VALUE})")
  int index;

  @Option(
      names = "--mean",
      split = ",",
      description =
          "image/IDX input: per-channel mean subtracted after scaling pixels"
              + " to [0,1] (one value or one per channel; default 0)")
  double[] mean;

  @Option(
      names = "--std",
      split = ",",
      description = "image/IDX input: per-channel std divided by (default 1)")
  double[] std;

  @Option(
      names = "--json",
      description = "write this party's timings (and party 1's logits) as JSON")
  Path json;

  @CommandLine.Mixin MaterialDirOption materialDir;

  @Option(
      names = "--session",
      description =
          "dealer session id (default: party 0 draws a random one and names it to"
              + " party 1; a session secret, never printed, guards it at the dealer)")
  String session;

  @Option(
      names = "--inferences",
      defaultValue = "1",
      description = "number of inferences (default: ${DEFAULT-VALUE})")
  int inferences;

  @CommandLine.Mixin TruncationOption truncation;

  @Option(
      names = "--batch",
      defaultValue = "1",
      description =
          "inputs per inference, run together in one secure evaluation (both parties give the same;"
              + " party 1 then reads inferences x batch inputs) (default: ${DEFAULT-VALUE})")
  int batch;

  @CommandLine.Mixin ReluOption relu;

  @Option(
      names = "--offline",
      defaultValue = "streamed",
      paramLabel = "streamed|ahead",
      description =
          "streamed: each layer's offline step just before its online step, one layer's material"
              + " held (default); ahead: each inference's whole offline phase before its online"
              + " phase, so the online time is the online phase alone; both parties give the same")
  String offline;

  @CommandLine.Mixin LinkTimingOptions timing;

  @Override
  public Integer call() throws Exception {
    PartyRunner.Config config;
    try {
      checkCerts(certs, org.polyshare.core.net.Role.party(id));
      HostPort d = dealer.address();
      HostPort p = peer.peer == null ? null : HostPort.parse(peer.peer, "--peer");
      config =
          new PartyRunner.Config(
              id,
              p == null ? null : p.host(),
              p == null ? 0 : p.port(),
              peer.listen,
              d.host(),
              d.port(),
              certs,
              model,
              input,
              session,
              inferences,
              timing.timeout(),
              timing.connectDeadline(),
              timing.profile(),
              new ClientInput.Options(index, mean, std),
              expectArchitecture,
              truncation.mode(),
              relu.mode(),
              batch,
              OfflineSchedule.parse(offline));
    } catch (IllegalArgumentException e) {
      System.err.println("party run: " + e.getMessage());
      return 2;
    }
    materialDir.apply();
    try (NetTransport net = NetTransport.create()) {
      PartyRunner.Report r = PartyRunner.run(config, net, System.out, port -> {});
      if (json != null) {
        Files.writeString(json, PartyRunner.toJson(r));
      }
      return 0;
    } catch (LinkException | IllegalArgumentException | IllegalStateException e) {
      System.err.println("party " + id + ": " + e.getMessage());
      return 1;
    }
  }
}
