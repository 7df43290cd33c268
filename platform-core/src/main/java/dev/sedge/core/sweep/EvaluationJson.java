package dev.sedge.core.sweep;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sedge.core.detect.Confusion;
import dev.sedge.core.detect.EvaluationReport;
import dev.sedge.core.detect.Spread;
import dev.sedge.core.detect.ThresholdLag;
import dev.sedge.core.run.VersionedJson;
import java.util.Optional;

/**
 * A detector's evaluation as JSON:
 *
 * <pre>{@code
 * {"runs": 30,
 *  "confusion": {"tp": 15, "fp": 0, "tn": 15, "fn": 0, "tpr": 1.0, "fpr": 0.0},
 *  "fire_step": {"count": 15, "median": 174.0, "q1": 173.0, "q3": 174.0},      // null: it never fired
 *  "lags": [{"threshold": 0.99, "crossing": {spread}, "lag": {spread}}, …],   // fire step − t(θ)
 *  "auroc": {"value": 1.0, "positives": 15, "negatives": 15},                  // null: no statistic
 *  "separation": 229.0}                                                          // null: no statistic
 * }</pre>
 */
final class EvaluationJson {

    private EvaluationJson() {
    }

    static ObjectNode of(SweepEvaluation e) {
        ObjectNode node = VersionedJson.object();
        e.detector().statistic().ifPresentOrElse(s -> node.put("statistic", s), () -> node.putNull("statistic"));
        node.set("all", of(e.all()));
        ObjectNode groups = node.putObject("groups");
        e.groups().forEach((g, r) -> groups.set(g, of(r)));
        ObjectNode conditions = node.putObject("conditions");
        e.conditions().forEach((c, r) -> conditions.set(c, of(r)));
        return node;
    }

    static ObjectNode of(EvaluationReport r) {
        ObjectNode node = VersionedJson.object();
        node.put("runs", r.runs());
        Confusion c = r.confusion();
        ObjectNode confusion = node.putObject("confusion").put("tp", c.truePositives()).put("fp", c.falsePositives())
                .put("tn", c.trueNegatives()).put("fn", c.falseNegatives());
        nullableRate(confusion, "tpr", c.truePositiveRate());
        nullableRate(confusion, "fpr", c.falsePositiveRate());
        spread(node, "fire_step", r.fireStep());
        var lags = node.putArray("lags");
        for (ThresholdLag lag : r.lags()) {
            ObjectNode l = lags.addObject().put("threshold", lag.threshold());
            spread(l, "crossing", lag.crossing());
            spread(l, "lag", lag.lag());
        }
        r.auroc().ifPresentOrElse(a -> node.putObject("auroc").put("value", a.value()).put("positives", a.positives())
                .put("negatives", a.negatives()), () -> node.putNull("auroc"));
        SweepJson.put(node, "separation", r.separation());
        return node;
    }

    private static void nullableRate(ObjectNode node, String field, double rate) {
        if (Double.isNaN(rate)) {
            node.putNull(field);
        } else {
            node.put(field, rate);
        }
    }

    private static void spread(ObjectNode node, String field, Optional<Spread> spread) {
        spread.ifPresentOrElse(s -> node.putObject(field).put("count", s.count()).put("median", s.median())
                .put("q1", s.lowerQuartile()).put("q3", s.upperQuartile()), () -> node.putNull(field));
    }
}
