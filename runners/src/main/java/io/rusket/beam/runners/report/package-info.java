/**
 * The HTML report of a result directory ({@code report}, and {@code grouped} / {@code stream} / the
 * demo with {@code --report}): {@link io.rusket.beam.runners.report.Report} reads the itemsets and
 * rules a job wrote ({@code ResultFiles}: Parquet, JSON lines or CSV shards, on any Beam file
 * system) and the job's {@link io.rusket.beam.runners.report.RunInfo}, keeps per group the counts
 * and the strongest rules and items ({@code ReportData}), and writes one self-contained HTML page
 * ({@code HtmlPage}: the data as a JSON block, the page's own script and style inline, plots drawn
 * as SVG in the browser; nothing fetched). Loaded only by those commands: nothing here is on the
 * start-up path of the others.
 */
package io.rusket.beam.runners.report;
