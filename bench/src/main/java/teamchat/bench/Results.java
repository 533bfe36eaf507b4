package teamchat.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a bench run found, written as {@code results.json} (everything, per round), {@code
 * results.md} (the table for BENCHMARKS.md) and {@code results.html} (one self-contained page that
 * plots each figure's ratio per round).
 */
final class Results {

  final Map<String, Object> run = new LinkedHashMap<>();
  final List<Figure> figures = new ArrayList<>();
  final List<String> notes = new ArrayList<>();

  synchronized void add(Figure figure) {
    figures.add(figure);
  }

  synchronized void note(String note) {
    notes.add(note);
  }

  void write(Path folder) throws IOException {
    Files.createDirectories(folder);
    Files.writeString(folder.resolve("results.json"), json(), StandardCharsets.UTF_8);
    Files.writeString(folder.resolve("results.md"), markdown(), StandardCharsets.UTF_8);
    Files.writeString(folder.resolve("results.html"), html(), StandardCharsets.UTF_8);
  }

  String markdown() {
    StringBuilder md = new StringBuilder();
    md.append(
        "| scenario | figure | system (median) | reference (median) | ratio median | ratio min–max | rounds |\n");
    md.append("|---|---|---|---|---|---|---|\n");
    for (Figure f : figures) {
      md.append("| ")
          .append(f.scenario())
          .append(" | ")
          .append(f.name())
          .append(higherOrLower(f))
          .append(" | ")
          .append(number(f.systemMedian()))
          .append(' ')
          .append(f.unit())
          .append(" | ")
          .append(f.reference())
          .append(": ")
          .append(number(f.referenceMedian()))
          .append(' ')
          .append(f.unit())
          .append(" | **")
          .append(ratio(f.ratioMedian()))
          .append("** | ")
          .append(ratio(f.ratioMin()))
          .append("–")
          .append(ratio(f.ratioMax()))
          .append(" | ")
          .append(f.system().size())
          .append(" |\n");
    }
    if (!notes.isEmpty()) {
      md.append('\n');
      notes.forEach(n -> md.append("- ").append(n).append('\n'));
    }
    return md.toString();
  }

  private static String higherOrLower(Figure f) {
    return f.higherIsBetter() ? " (higher is better)" : " (lower is better)";
  }

  String json() {
    Map<String, Object> all = new LinkedHashMap<>();
    all.put("run", run);
    List<Object> list = new ArrayList<>();
    for (Figure f : figures) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("scenario", f.scenario());
      m.put("figure", f.name());
      m.put("unit", f.unit());
      m.put("reference", f.reference());
      m.put("higher_is_better", f.higherIsBetter());
      m.put("system", f.system());
      m.put("reference_values", f.referenceValues());
      m.put("ratios", f.ratios());
      m.put("ratio_median", f.ratioMedian());
      m.put("ratio_min", f.ratioMin());
      m.put("ratio_max", f.ratioMax());
      list.add(m);
    }
    all.put("figures", list);
    all.put("notes", notes);
    return toJson(all) + "\n";
  }

  /** Plain JSON of maps, lists, strings, numbers and booleans; NaN and infinities become null. */
  static String toJson(Object value) {
    StringBuilder out = new StringBuilder();
    writeJson(value, out);
    return out.toString();
  }

  private static void writeJson(Object value, StringBuilder out) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof Map<?, ?> map) {
      out.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (!first) {
          out.append(',');
        }
        first = false;
        writeJson(String.valueOf(e.getKey()), out);
        out.append(':');
        writeJson(e.getValue(), out);
      }
      out.append('}');
    } else if (value instanceof List<?> list) {
      out.append('[');
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        writeJson(list.get(i), out);
      }
      out.append(']');
    } else if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      out.append(Double.isFinite(d) ? Double.toString(d) : "null");
    } else if (value instanceof Number || value instanceof Boolean) {
      out.append(value);
    } else {
      out.append('"');
      for (char c : value.toString().toCharArray()) {
        switch (c) {
          case '"' -> out.append("\\\"");
          case '\\' -> out.append("\\\\");
          case '\n' -> out.append("\\n");
          case '\r' -> out.append("\\r");
          case '\t' -> out.append("\\t");
          default -> {
            if (c < 0x20) {
              out.append(String.format("\\u%04x", (int) c));
            } else {
              out.append(c);
            }
          }
        }
      }
      out.append('"');
    }
  }

  /** One SVG strip per figure: a dot per round's ratio, a bar at the median, a line at 1. */
  String html() {
    StringBuilder h = new StringBuilder();
    h.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>chat bench</title>")
        .append(
            "<style>body{font:14px sans-serif;margin:2em}svg{display:block;margin-bottom:1.5em}")
        .append(
            "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px}</style>")
        .append("</head><body><h1>chat bench</h1><p>")
        .append(escape(String.valueOf(run)))
        .append("</p><p>Ratio = chatserv ÷ reference, one dot per round; the bar is the median,")
        .append(" the dashed line is 1 (parity).</p>");
    for (Figure f : figures) {
      List<Double> ratios = f.ratios();
      double max =
          Math.max(
              1.2,
              ratios.stream().filter(r -> !r.isNaN()).mapToDouble(r -> r).max().orElse(1) * 1.1);
      double scale = 600 / Math.log10(max * 100);
      h.append("<h3>")
          .append(escape(f.scenario() + ": " + f.name() + " ÷ " + f.reference()))
          .append(" — median ")
          .append(ratio(f.ratioMedian()))
          .append(higherOrLower(f))
          .append("</h3><svg width=\"660\" height=\"50\" xmlns=\"http://www.w3.org/2000/svg\">");
      // Log scale from 0.01 to max: ratios of 0.05 and of 5 both stay readable.
      double one = 20 + scale * Math.log10(100);
      h.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%.1f\" y1=\"5\" x2=\"%.1f\" y2=\"45\" stroke=\"#888\" stroke-dasharray=\"4\"/>",
              one,
              one));
      double median = f.ratioMedian();
      if (!Double.isNaN(median) && median > 0) {
        double x = 20 + scale * Math.log10(Math.max(median, 0.01) * 100);
        h.append(
            String.format(
                Locale.ROOT,
                "<rect x=\"%.1f\" y=\"10\" width=\"3\" height=\"30\" fill=\"#c33\"/>",
                x - 1.5));
      }
      for (double r : ratios) {
        if (!Double.isNaN(r) && r > 0) {
          double x = 20 + scale * Math.log10(Math.max(r, 0.01) * 100);
          h.append(
              String.format(
                  Locale.ROOT,
                  "<circle cx=\"%.1f\" cy=\"25\" r=\"4\" fill=\"#36c\" fill-opacity=\"0.6\"/>",
                  x));
        }
      }
      h.append(
          String.format(
              Locale.ROOT, "<text x=\"%.1f\" y=\"48\" font-size=\"10\">1</text>", one + 3));
      h.append("</svg>");
    }
    h.append("<h2>Table</h2><pre>").append(escape(markdown())).append("</pre></body></html>\n");
    return h.toString();
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  static String number(double v) {
    if (Double.isNaN(v)) {
      return "n/a";
    }
    if (Math.abs(v) >= 100) {
      return String.format(Locale.ROOT, "%,.0f", v);
    }
    return String.format(Locale.ROOT, "%.2f", v);
  }

  static String ratio(double v) {
    if (Double.isNaN(v)) {
      return "n/a";
    }
    // Small ratios keep three significant digits: 0.0099× is not 0.01×, nor 0.00×.
    return String.format(Locale.ROOT, v != 0 && Math.abs(v) < 0.1 ? "%.2g×" : "%.2f×", v);
  }
}
