package io.rusket.beam.transforms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.util.Random;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.util.VarInt;
import org.junit.jupiter.api.Test;

/** Bulk VarInt runs: Beam's bytes, and reads that stop exactly at the run's end. */
class VarIntsTest {
  @Test
  void sameBytesAsBeamAndNoReadPastTheRun() throws Exception {
    for (int seed = 0; seed < 20; seed++) {
      Random rnd = new Random(seed);
      int n = seed == 0 ? 0 : rnd.nextInt(seed < 10 ? 50 : 200_000);
      int[] a = new int[n];
      int[] b = new int[n];
      long[] l = new long[n];
      ByteArrayOutputStream beam = new ByteArrayOutputStream();
      for (int k = 0; k < n; k++) {
        a[k] = rnd.nextInt(4) == 0 ? rnd.nextInt() : rnd.nextInt(300);
        b[k] = rnd.nextInt(1 << rnd.nextInt(31));
        VarInt.encode(a[k], beam);
        VarInt.encode(b[k], beam);
      }
      for (int k = 0; k < n; k++) {
        l[k] = rnd.nextInt(3) == 0 ? rnd.nextLong() : rnd.nextInt(100_000) - 50;
        VarInt.encode(l[k], beam);
      }
      beam.write(0x55); // what follows the runs must stay unread
      ByteArrayOutputStream ours = new ByteArrayOutputStream();
      VarInts.writeIntPairs(ours, a, b, n);
      VarInts.writeLongs(ours, l, n);
      ours.write(0x55);
      assertArrayEquals(beam.toByteArray(), ours.toByteArray(), "seed " + seed);

      ByteArrayInputStream in = new ByteArrayInputStream(ours.toByteArray());
      int[] a2 = new int[n];
      int[] b2 = new int[n];
      long[] l2 = new long[n];
      VarInts.readIntPairs(in, a2, b2, n);
      VarInts.readLongs(in, l2, n);
      assertArrayEquals(a, a2);
      assertArrayEquals(b, b2);
      assertArrayEquals(l, l2);
      assertEquals(0x55, in.read(), "seed " + seed + ": read past the run");
      assertEquals(-1, in.read());
    }
  }

  @Test
  void truncatedAndOverflowingRunsFail() {
    assertThrows(
        EOFException.class,
        () ->
            VarInts.readIntPairs(
                new ByteArrayInputStream(new byte[] {1, (byte) 0x80}), new int[1], new int[1], 1));
    ByteArrayOutputStream big = new ByteArrayOutputStream();
    try {
      VarInt.encode(1L << 40, big);
      VarInt.encode(1, big);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
    assertThrows(
        CoderException.class,
        () ->
            VarInts.readIntPairs(
                new ByteArrayInputStream(big.toByteArray()), new int[1], new int[1], 1));
  }
}
