package io.rusket.beam.transforms;

/**
 * The type of the keys that name items and transactions in {@link MineGrouped}'s values ({@link
 * Basket}, {@link GroupBaskets}, {@link GroupEvents}): integers or strings. One-hot item keys are
 * column indices, so {@link #INTEGER}; long-format keys follow the type of their field.
 */
public enum KeyKind {
  /** Integer keys: one-hot column indices, or the values of an integer field. */
  INTEGER,
  /** String keys: the values of a STRING field. */
  STRING
}
