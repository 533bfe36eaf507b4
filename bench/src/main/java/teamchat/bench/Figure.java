package teamchat.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One figure of a scenario: the system's value and the reference's value in each round of the same
 * run, and their ratio (system ÷ reference) per round, summarised by its median and spread.
 *
 * @param scenario e.g. "1 fan-out"
 * @param name what is measured, e.g. "deliveries per server CPU-second"
 * @param unit unit of the values
 * @param reference what the system is compared with, e.g. "Node ws"
 * @param higherIsBetter whether a ratio above 1 favours the system
 * @param system the system's value per round
 * @param referenceValues the reference's value per round
 */
record Figure(
    String scenario,
    String name,
    String unit,
    String reference,
    boolean higherIsBetter,
    List<Double> system,
    List<Double> referenceValues) {

  Figure {
    if (system.size() != referenceValues.size()) {
      throw new IllegalArgumentException("one reference value per round");
    }
    system = List.copyOf(system);
    referenceValues = List.copyOf(referenceValues);
  }

  /** system ÷ reference, round by round (NaN where the reference is 0). */
  List<Double> ratios() {
    List<Double> ratios = new ArrayList<>();
    for (int i = 0; i < system.size(); i++) {
      double ref = referenceValues.get(i);
      ratios.add(ref == 0 ? Double.NaN : system.get(i) / ref);
    }
    return ratios;
  }

  double ratioMedian() {
    return median(ratios());
  }

  double ratioMin() {
    return ratios().stream()
        .filter(r -> !r.isNaN())
        .mapToDouble(Double::doubleValue)
        .min()
        .orElse(Double.NaN);
  }

  double ratioMax() {
    return ratios().stream()
        .filter(r -> !r.isNaN())
        .mapToDouble(Double::doubleValue)
        .max()
        .orElse(Double.NaN);
  }

  double systemMedian() {
    return median(system);
  }

  double referenceMedian() {
    return median(referenceValues);
  }

  /** The median of the values that are numbers; NaN for none. */
  static double median(List<Double> values) {
    double[] sorted =
        values.stream().filter(v -> !v.isNaN()).mapToDouble(Double::doubleValue).toArray();
    if (sorted.length == 0) {
      return Double.NaN;
    }
    Arrays.sort(sorted);
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }
}
