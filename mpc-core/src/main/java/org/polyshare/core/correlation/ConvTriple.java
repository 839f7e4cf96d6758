package org.polyshare.core.correlation;

import org.polyshare.core.kernel.Conv2dShape;

/** Shares of a conv2d triple: {@code a} like the input, {@code b} like the weights, {@code c = conv(a, b)}. */
public record ConvTriple(Conv2dShape shape, long[] a, long[] b, long[] c) implements Correlation {}
