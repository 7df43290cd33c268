package dev.sedge.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sedge.api.detect.DetectorSummary;
import dev.sedge.api.detect.EdgeEvent;
import dev.sedge.core.detect.DetectJob;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Renders the result of {@code sedge detect}, as text or JSON. */
final class DetectReport {


    private DetectReport() {
    }

    static String text(DetectJob.Result r) {
        StringBuilder out = new StringBuilder();
        out.append(r.windows()).append(" windows from ").append(r.spectrum())
                .append(r.spectrumComputed() ? " (computed now)" : "").append(" -> ").append(r.events()).append('\n');
        for (DetectorSummary s : r.summaries()) {
            out.append('\n').append(s.detector()).append(": ").append(s.events().size()).append(" event")
                    .append(s.events().size() == 1 ? "" : "s").append('\n');
            for (EdgeEvent e : s.events()) {
                out.append(String.format(Locale.ROOT, "  step %-8d %-14s %s%n", e.step(), e.kind(), e.message()));
            }
            new TreeMap<>(s.statistics()).forEach((k, v) ->
                    out.append(String.format(Locale.ROOT, "  %-22s %s%n", k, format(v))));
        }
        return out.toString();
    }

    static String json(DetectJob.Result r) {
        ObjectNode root = JsonOutput.document();
        root.put("events", r.events().toString());
        root.put("spectrum", r.spectrum().toString());
        root.put("spectrum_computed", r.spectrumComputed());
        root.put("windows", r.windows());
        ArrayNode detectors = root.putArray("detectors");
        for (DetectorSummary s : r.summaries()) {
            ObjectNode d = detectors.addObject();
            d.put("detector", s.detector());
            ArrayNode events = d.putArray("events");
            for (EdgeEvent e : s.events()) {
                ObjectNode event = events.addObject();
                event.put("step", e.step());
                event.put("kind", e.kind());
                event.put("message", e.message());
                numbers(event.putObject("values"), e.values());
            }
            numbers(d.putObject("statistics"), s.statistics());
        }
        return JsonOutput.render(root);
    }

    private static void numbers(ObjectNode node, Map<String, Double> values) {
        new TreeMap<>(values).forEach((k, v) -> {
            if (Double.isFinite(v)) {
                node.put(k, v);
            } else {
                node.put(k, Double.toString(v));
            }
        });
    }

    private static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.6g", v);
    }
}
