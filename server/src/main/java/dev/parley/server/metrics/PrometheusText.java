package dev.parley.server.metrics;

import dev.parley.net.Histogram;
import java.util.Locale;
import java.util.Map;

/**
 * Writes metrics in the Prometheus text exposition format (version 0.0.4): a {@code # HELP} and a
 * {@code # TYPE} line per metric, then its samples. Used on the loop thread to render one scrape;
 * not thread-safe.
 */
public final class PrometheusText {
  /** The content type a scraper expects for this format. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final StringBuilder out = new StringBuilder(4096);

  public PrometheusText counter(String name, String help, long value) {
    header(name, help, "counter");
    sample(name, "", value);
    return this;
  }

  public PrometheusText gauge(String name, String help, double value) {
    header(name, help, "gauge");
    sample(name, "", value);
    return this;
  }

  /** One counter with a sample per label value, such as disconnects by reason. */
  public PrometheusText counters(
      String name, String help, String label, Map<String, Long> valuesByLabel) {
    return labelled(name, help, "counter", label, valuesByLabel);
  }

  /** One gauge with a sample per label value, such as connections by transport. */
  public PrometheusText gauges(
      String name, String help, String label, Map<String, Long> valuesByLabel) {
    return labelled(name, help, "gauge", label, valuesByLabel);
  }

  private PrometheusText labelled(
      String name, String help, String type, String label, Map<String, Long> valuesByLabel) {
    header(name, help, type);
    for (Map.Entry<String, Long> e : valuesByLabel.entrySet()) {
      sample(name, "{" + label + "=\"" + escape(e.getKey()) + "\"}", e.getValue());
    }
    return this;
  }

  /** A histogram of durations, in seconds. */
  public PrometheusText histogram(String name, String help, Histogram h) {
    header(name, help, "histogram");
    for (int i = 0; i < Histogram.buckets(); i++) {
      sample(
          name + "_bucket", "{le=\"" + number(Histogram.boundSeconds(i)) + "\"}", h.cumulative(i));
    }
    sample(name + "_bucket", "{le=\"+Inf\"}", h.count());
    sample(name + "_sum", "", h.sumNanos() / 1e9);
    sample(name + "_count", "", h.count());
    return this;
  }

  @Override
  public String toString() {
    return out.toString();
  }

  private void header(String name, String help, String type) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  private void sample(String name, String labels, long value) {
    out.append(name).append(labels).append(' ').append(value).append('\n');
  }

  private void sample(String name, String labels, double value) {
    out.append(name).append(labels).append(' ').append(number(value)).append('\n');
  }

  private static String number(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e15
        ? String.valueOf((long) value)
        : String.format(Locale.ROOT, "%s", value);
  }

  private static String escape(String labelValue) {
    return labelValue.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
