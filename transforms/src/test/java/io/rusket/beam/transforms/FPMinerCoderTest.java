package io.rusket.beam.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rusket.beam.miner.FPMiner;
import org.apache.beam.sdk.testing.CoderProperties;
import org.junit.jupiter.api.Test;

/** FPMinerCoder: canonical, and consistent with FPMiner.equals as it declares. */
class FPMinerCoderTest {
  @Test
  void equalMinersEncodeEquallyWhateverTheirHistory() throws Exception {
    assertTrue(FPMinerCoder.of().consistentWithEquals());
    FPMiner a = new FPMiner(10);
    FPMiner b = new FPMiner(10).withMaxRamBytes(FPMiner.MIN_RAM_BYTES);
    for (int t = 0; t < 300; t++) {
      a.add(t, t % 7);
    }
    for (int t = 299; t >= 0; t--) {
      b.add(t, t % 7); // other order, other budget: other runs, same pairs
    }
    assertEquals(a, b);
    CoderProperties.coderConsistentWithEquals(FPMinerCoder.of(), a, b);
    CoderProperties.coderDeterministic(FPMinerCoder.of(), a, b);
    FPMiner c = new FPMiner(10);
    c.add(1, 1);
    CoderProperties.coderConsistentWithEquals(FPMinerCoder.of(), a, c);
    CoderProperties.coderDecodeEncodeEqual(FPMinerCoder.of(1 << 20), a);
    assertEquals(FPMinerCoder.of(1 << 20), FPMinerCoder.of(1 << 20));
    assertThrows(IllegalArgumentException.class, () -> FPMinerCoder.of(1));
  }
}
