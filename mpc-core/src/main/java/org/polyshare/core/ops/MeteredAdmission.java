package org.polyshare.core.ops;

import java.util.function.Consumer;
import org.polyshare.core.net.LinkAcceptor;
import org.polyshare.core.net.NettyLink;
import org.slf4j.Logger;

/**
 * The admission of a service (the dealer, party 0): admitted links go to the service, refused
 * connections are counted in its meters and logged as {@code <service>: refused a connection: why}
 * on its logger.
 */
public final class MeteredAdmission implements LinkAcceptor.Admission {
  private final Consumer<NettyLink> admit;
  private final ServiceMetrics metrics;
  private final Logger log;
  private final String service;

  /**
   * @param service how the log names the service ("dealer", "party 0")
   */
  public MeteredAdmission(
      Consumer<NettyLink> admit, ServiceMetrics metrics, Logger log, String service) {
    this.admit = admit;
    this.metrics = metrics;
    this.log = log;
    this.service = service;
  }

  @Override
  public void admit(NettyLink link) {
    admit.accept(link);
  }

  @Override
  public void refused(String why, Throwable cause) {
    metrics.refused(cause);
    log.warn("{}: refused a connection: {}", service, why);
  }
}
