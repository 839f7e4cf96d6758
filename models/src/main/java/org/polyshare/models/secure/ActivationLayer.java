package org.polyshare.models.secure;

import java.util.List;
import org.polyshare.core.correlation.CorrelationRequest;

/**
 * A layer whose whole cost is activation (a plain ReLU, a max-pool): no linear requests, the given
 * activation requests, reported apart as activation.
 */
abstract class ActivationLayer extends SecureLayer {
  private final List<CorrelationRequest> requests;

  ActivationLayer(Program.Step step, Lowering low, List<CorrelationRequest> requests) {
    super(step, low);
    this.requests = List.copyOf(requests);
  }

  @Override
  final List<CorrelationRequest> linearRequests() {
    return List.of();
  }

  @Override
  final List<CorrelationRequest> activationRequests() {
    return requests;
  }

  @Override
  final boolean hasActivation() {
    return true;
  }
}
