package io.rusket.beam.miner;

/** The rule behind {@link Method#AUTO}; see README, "Choosing the method". */
final class AutoRule {
  private AutoRule() {}

  static Method choose(TransactionDb db) {
    return Method.FPGROWTH;
  }
}
