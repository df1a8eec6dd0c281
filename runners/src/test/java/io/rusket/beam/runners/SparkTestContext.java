package io.rusket.beam.runners;

import org.apache.beam.runners.spark.SparkContextOptions;
import org.apache.beam.runners.spark.SparkRunner;
import org.apache.beam.runners.spark.coders.SparkRunnerKryoRegistrator;
import org.apache.beam.runners.spark.translation.SparkContextFactory;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * One local Spark context for all the tests of this JVM (Spark allows one at a time; starting one
 * costs seconds), handed to Beam's SparkRunner as a provided context, so pipelines do not stop it.
 * Asking for another master stops the current context and starts one for that master.
 */
final class SparkTestContext {
  private static JavaSparkContext context;
  private static String master;

  private SparkTestContext() {}

  /** Options running on the SparkRunner in the shared context for {@code sparkMaster}. */
  static synchronized SparkContextOptions options(String sparkMaster) {
    if (context == null || context.sc().isStopped() || !sparkMaster.equals(master)) {
      stop();
      SparkConf conf =
          new SparkConf()
              .setMaster(sparkMaster)
              .setAppName("rusket-beam-tests")
              .set("spark.ui.enabled", "false")
              .set("spark.driver.host", "127.0.0.1")
              .set("spark.driver.bindAddress", "127.0.0.1")
              // as Beam's SparkContextFactory sets it for the contexts it creates
              .set("spark.kryo.registrator", SparkRunnerKryoRegistrator.class.getName());
      context = new JavaSparkContext(conf);
      master = sparkMaster;
    }
    SparkContextFactory.setProvidedSparkContext(context);
    SparkContextOptions options = PipelineOptionsFactory.as(SparkContextOptions.class);
    options.setRunner(SparkRunner.class);
    options.setSparkMaster(sparkMaster);
    options.setUsesProvidedSparkContext(true);
    options.setProvidedSparkContext(context);
    return options;
  }

  /** Stops the shared context, if any (before a test that lets Beam create its own). */
  static synchronized void stop() {
    if (context != null) {
      SparkContextFactory.clearProvidedSparkContext();
      context.stop();
      context = null;
      master = null;
    }
  }
}
