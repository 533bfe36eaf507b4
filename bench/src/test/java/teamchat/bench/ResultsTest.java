package teamchat.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class ResultsTest {

  private final Figure figure =
      new Figure(
          "1 fan-out",
          "deliveries/s",
          "deliveries/s",
          "Node ws",
          true,
          List.of(10.0, 30.0, 20.0, 40.0, 50.0),
          List.of(100.0, 100.0, 100.0, 100.0, 0.0));

  @Test
  void ratiosAreTakenRoundByRoundAndSummarisedByMedianAndSpread() {
    assertEquals(0.25, figure.ratioMedian(), 1e-9, "median of 0.1, 0.3, 0.2, 0.4 (0/0 left out)");
    assertEquals(0.1, figure.ratioMin(), 1e-9);
    assertEquals(0.4, figure.ratioMax(), 1e-9);
    assertEquals(30.0, figure.systemMedian(), 1e-9);
  }

  @Test
  void percentilesOfLatenciesComeFromHdrHistogramInMilliseconds() {
    Histogram h = new Histogram(3);
    for (long ms = 1; ms <= 1000; ms++) {
      h.recordValue(ms * 1_000_000);
    }
    assertEquals(500, Bench.millis(h, 50), 1);
    assertEquals(990, Bench.millis(h, 99), 1);
    assertTrue(Double.isNaN(Bench.millis(new Histogram(3), 50)), "no sample, no figure");
  }

  @Test
  void writesJsonAndAMarkdownRowPerFigure() {
    Results results = new Results();
    results.run.put("rounds", 5);
    results.add(figure);
    results.note("a \"quoted\" note");
    String json = results.json();
    assertTrue(json.contains("\"ratio_median\":0.25"), json);
    assertTrue(json.contains("\"ratios\":[0.1,0.3,0.2,0.4,null]"), json);
    assertTrue(json.contains("a \\\"quoted\\\" note"), json);
    String md = results.markdown();
    assertTrue(
        md.contains(
            "| 1 fan-out | deliveries/s (higher is better) | 30.00 deliveries/s | Node ws: 100 deliveries/s | **0.25×** | 0.10×–0.40× | 5 |"),
        md);
    assertTrue(results.html().contains("<svg"));
  }
}
