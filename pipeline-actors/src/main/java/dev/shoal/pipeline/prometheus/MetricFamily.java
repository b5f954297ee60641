package dev.shoal.pipeline.prometheus;

import java.util.ArrayList;
import java.util.List;

/**
 * The samples of one metric family, in the order the exposition gave them, with what its comment
 * lines said about it.
 */
public final class MetricFamily {
  private final String name;
  private final MetricType type;
  private final boolean typeDeclared;
  private String help = "";
  private String unit = "";
  private final List<Sample> samples = new ArrayList<>();

  MetricFamily(String name, MetricType type, boolean typeDeclared) {
    this.name = name;
    this.type = type;
    this.typeDeclared = typeDeclared;
  }

  public String name() {
    return name;
  }

  public MetricType type() {
    return type;
  }

  /** False when the samples came without a {@code # TYPE} line (treated as unknown). */
  public boolean typeDeclared() {
    return typeDeclared;
  }

  public String help() {
    return help;
  }

  public String unit() {
    return unit;
  }

  public List<Sample> samples() {
    return samples;
  }

  void help(String text) {
    help = text;
  }

  void unit(String text) {
    unit = text;
  }

  void add(Sample sample) {
    samples.add(sample);
  }
}
