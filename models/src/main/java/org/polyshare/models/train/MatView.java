package org.polyshare.models.train;

/**
 * A row-major {@code double} matrix inside a larger array: element {@code (r, c)} is {@code v[off +
 * r·ld + c]}. The training GEMMs take their operands as views, so a batch slice or a sample's
 * columns need no copy.
 */
record MatView(double[] v, int off, int ld) {}
