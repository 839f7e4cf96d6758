package org.polyshare.core.ops;

import org.polyshare.core.kernel.RingThreads;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code --threads N}: the size of the process's kernel pool ({@link RingThreads#configure}), mixed
 * into a CLI's top command and inherited by its subcommands. Applied when parsed, before any kernel
 * runs; without it the pool uses every core. The secure run and the plaintext reference of a
 * benchmark share the pool, so their ratio compares like with like.
 */
public final class ThreadOptions {
  @Option(
      names = "--threads",
      paramLabel = "N",
      scope = ScopeType.INHERIT,
      converter = Count.class,
      description =
          "threads of the ring kernels (GEMM, convolution), the caller included; 0 = all cores (default)")
  void threads(Integer n) {
    if (n != null) {
      RingThreads.configure(n);
    }
  }

  static final class Count implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      try {
        int n = Integer.parseInt(value.trim());
        if (n >= 0) {
          return n;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new TypeConversionException(
          "'" + value + "' is not a thread count (0 = all cores, or 1, 2, ...)");
    }
  }
}
