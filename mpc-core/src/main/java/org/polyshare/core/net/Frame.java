package org.polyshare.core.net;

/** One decoded frame: a tag and its payload, a {@code long[]} or a {@code byte[]}. */
public record Frame(int tag, Object payload) {}
