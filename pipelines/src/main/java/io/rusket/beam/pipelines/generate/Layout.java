package io.rusket.beam.pipelines.generate;

/** What {@link GenerateData#write} writes: one file per layout and format. */
public enum Layout {
  /** One-hot receipts. */
  RECEIPTS,
  /** Event log. */
  EVENTS,
  /** Item table. */
  ITEMS,
  /** Customers' time-ordered visits, for sequential patterns ({@link SequenceGenerator}). */
  SEQUENCES
}
