package io.rusket.beam.runners;

import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;

/**
 * Reads Beam counters from a finished pipeline, the same way on every runner: the committed value
 * where the runner reports one (the DirectRunner), else the attempted one (the SparkRunner, whose
 * counters are Spark accumulators). Counters reach the driver from every executor, so this works on
 * a cluster too, where a static collection filled in a DoFn would not.
 */
final class PipelineMetrics {
  private PipelineMetrics() {}

  /** The sum over all steps of counter {@code namespace:name}; 0 when no step reported it. */
  static long counter(PipelineResult result, String namespace, String name) {
    MetricsFilter filter =
        MetricsFilter.builder().addNameFilter(MetricNameFilter.named(namespace, name)).build();
    long sum = 0;
    for (MetricResult<Long> c : result.metrics().queryMetrics(filter).getCounters()) {
      Long value;
      try {
        value = c.getCommitted();
      } catch (UnsupportedOperationException e) {
        value = c.getAttempted();
      }
      sum += value == null ? 0 : value;
    }
    return sum;
  }
}
