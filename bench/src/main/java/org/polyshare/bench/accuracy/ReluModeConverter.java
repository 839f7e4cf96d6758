package org.polyshare.bench.accuracy;

import org.polyshare.models.secure.ReluMode;
import picocli.CommandLine.ITypeConverter;

/** {@code --relu gc|fss} in any case; an unknown arm is refused naming the choices. */
public final class ReluModeConverter implements ITypeConverter<ReluMode> {
  @Override
  public ReluMode convert(String value) {
    return ReluMode.parse(value);
  }
}
