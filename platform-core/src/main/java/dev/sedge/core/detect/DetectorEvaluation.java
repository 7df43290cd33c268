package dev.sedge.core.detect;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Evaluates one detector over a sweep (docs/science.md, "Detectors"): true and false positives against grokking
 * and control runs, the fire step (median and IQR), its lag or lead against test-accuracy
 * thresholds, the AUROC of its statistic, and the late separation. Quantiles are numpy's default
 * (linear interpolation, {@link Quantiles}); the AUROC is Mann–Whitney's with ties counted half
 * ({@link Auroc}). Pure functions; arguments are not modified.
 */
public final class DetectorEvaluation {

    private DetectorEvaluation() {
    }

    /**
     * Evaluates {@code outcomes} together, whatever their conditions. The thresholds of the lags are
     * every θ in any outcome's crossings; a run without t(θ) for some θ is left out of that θ only.
     */
    public static EvaluationReport evaluate(List<RunOutcome> outcomes) {
        List<RunOutcome> truePositives = outcomes.stream()
                .filter(o -> o.grokking() && o.fireStep().isPresent()).toList();
        double[] fireSteps = truePositives.stream().mapToDouble(o -> o.fireStep().getAsLong()).toArray();
        TreeSet<Double> thresholds = new TreeSet<>();
        outcomes.forEach(o -> thresholds.addAll(o.crossings().thresholds()));
        List<ThresholdLag> lags = new ArrayList<>();
        for (double threshold : thresholds) {
            List<Double> crossings = new ArrayList<>();
            for (RunOutcome o : outcomes) {
                crossingOf(o, threshold).ifPresent(t -> {
                    if (o.grokking()) {
                        crossings.add((double) t);
                    }
                });
            }
            List<Double> lag = new ArrayList<>();
            for (RunOutcome o : truePositives) {
                crossingOf(o, threshold).ifPresent(t -> lag.add((double) (o.fireStep().getAsLong() - t)));
            }
            lags.add(new ThresholdLag(threshold, Spread.of(unboxed(crossings)), Spread.of(unboxed(lag))));
        }
        double[] positives = statistics(outcomes, RunOutcome::grokking);
        double[] negatives = statistics(outcomes, o -> !o.grokking());
        return new EvaluationReport(outcomes.size(), Confusion.of(outcomes), Spread.of(fireSteps), lags,
                Auroc.of(positives, negatives), separation(positives, negatives));
    }

    /** {@link #evaluate} per condition label, in the order the conditions first appear. */
    public static Map<String, EvaluationReport> byCondition(List<RunOutcome> outcomes) {
        Map<String, List<RunOutcome>> groups = new LinkedHashMap<>();
        outcomes.forEach(o -> groups.computeIfAbsent(o.condition(), c -> new ArrayList<>()).add(o));
        Map<String, EvaluationReport> reports = new LinkedHashMap<>();
        groups.forEach((condition, group) -> reports.put(condition, evaluate(group)));
        return reports;
    }

    /**
     * Late separation: median(a) / median(b), e.g. the late λ2/λ3 of grokking runs over controls
     * (the Feature Repulsion paper's 229×). Empty if either sample is empty or both medians are 0;
     * +∞ if only the second is 0.
     *
     * @param a numerator sample, no NaN; not modified
     * @param b denominator sample, no NaN; not modified
     */
    public static OptionalDouble separation(double[] a, double[] b) {
        if (a.length == 0 || b.length == 0) {
            return OptionalDouble.empty();
        }
        double ratio = Quantiles.median(a) / Quantiles.median(b);
        return Double.isNaN(ratio) ? OptionalDouble.empty() : OptionalDouble.of(ratio);
    }

    private static OptionalLong crossingOf(RunOutcome outcome, double threshold) {
        return outcome.crossings().thresholds().contains(threshold) ? outcome.crossings().at(threshold)
                : OptionalLong.empty();
    }

    private static double[] statistics(List<RunOutcome> outcomes, Predicate<RunOutcome> group) {
        return outcomes.stream().filter(group).filter(o -> o.statistic().isPresent())
                .mapToDouble(o -> o.statistic().getAsDouble()).toArray();
    }

    private static double[] unboxed(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
