package io.rusket.beam.transforms;

import org.apache.beam.sdk.coders.CustomCoder;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The base of this package's coders: a coder without configuration (every instance is equal to
 * every other of its class) whose encoding is deterministic and consistent with the value's {@code
 * equals} — equal values have one encoding. Subclasses write only the layout.
 */
abstract class StatelessCoder<T> extends CustomCoder<T> {
  private static final long serialVersionUID = 1L;

  /** Deterministic: each value's canonical form has one encoding. */
  @Override
  public final void verifyDeterministic() {}

  @Override
  public boolean consistentWithEquals() {
    return true;
  }

  @Override
  public final boolean equals(@Nullable Object o) {
    return o != null && o.getClass() == getClass();
  }

  @Override
  public final int hashCode() {
    return getClass().hashCode();
  }
}
