package org.polyshare.models.train;

/**
 * The geometry im2col and col2im walk: a {@code [c, h, w]} sample, square {@code k×k} windows at
 * {@code stride} over a border of {@code pad} zeros, giving {@code oh×ow} output positions.
 */
record ConvWindow(int c, int h, int w, int k, int stride, int pad, int oh, int ow) {}
