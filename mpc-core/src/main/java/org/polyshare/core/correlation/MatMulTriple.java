package org.polyshare.core.correlation;

import org.polyshare.core.kernel.MatMulShape;

/** Shares of a matmul triple: {@code a [m,k]}, {@code b [k,n]}, {@code c = a·b [m,n]}. */
public record MatMulTriple(MatMulShape shape, long[] a, long[] b, long[] c) implements Correlation {}
