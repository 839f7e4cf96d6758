/**
 * The runnable modules' shared operations kit: picocli mixins for logging ({@link LogOptions}),
 * metrics ({@link MetricsOptions}) and configuration files ({@link ConfigOption}, {@link
 * ConfigDefaults}); the Logback set-up ({@link LogSetup}); the service meters ({@link
 * ServiceMetrics}) and their HTTP endpoint ({@link MetricsEndpoint}).
 *
 * <p>The library itself logs only through the SLF4J facade. picocli, Logback and Micrometer are
 * optional dependencies of {@code mpc-core}: only a process whose module declares them (dealer,
 * party, bench) uses this package. Nothing here ever logs a value of the protocol: log lines name
 * sessions, sizes, counts and durations only.
 */
package org.polyshare.core.ops;
