package dev.sedge.core.repulsion;

import dev.sedge.core.run.MetricsTable;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The level metric ρ over a run, as its {@code metrics.csv} recorded it (column {@value #COLUMN} for
 * the raw reading, {@value #CENTERED_COLUMN} for the centered one): when it first exceeded
 * {@link LevelMetric#THRESHOLD}, and its largest value.
 *
 * @param fireStep the first measured step with ρ &gt; the threshold; empty: never
 * @param max      the largest ρ measured
 * @param first    the first measured step
 * @param every    steps between the first two measurements (the fire step's resolution); 0 for one
 */
public record LevelTrace(OptionalLong fireStep, double max, long first, long every) {

    /** The metrics column ρ is recorded in, {@link LevelMetric.Reading#RAW}. */
    public static final String COLUMN = "level_rho";
    /** The metrics column of {@link LevelMetric.Reading#CENTERED}. */
    public static final String CENTERED_COLUMN = "level_rho_centered";

    /** The raw reading's trace of a metrics table; empty when it has no ρ column or no measured value. */
    public static Optional<LevelTrace> of(MetricsTable metrics) {
        return of(metrics, LevelMetric.Reading.RAW);
    }

    /** The trace of one reading; empty when the table has no such column or no measured value. */
    public static Optional<LevelTrace> of(MetricsTable metrics, LevelMetric.Reading reading) {
        String column = reading == LevelMetric.Reading.RAW ? COLUMN : CENTERED_COLUMN;
        if (!metrics.columns().contains(column)) {
            return Optional.empty();
        }
        OptionalLong fire = OptionalLong.empty();
        double max = Double.NEGATIVE_INFINITY;
        long first = -1;
        long every = 0;
        for (int row = 0; row < metrics.rows(); row++) {
            double rho = metrics.value(row, column);
            if (Double.isNaN(rho)) {
                continue;
            }
            if (first < 0) {
                first = metrics.step(row);
            } else if (every == 0) {
                every = metrics.step(row) - first;
            }
            max = Math.max(max, rho);
            if (fire.isEmpty() && rho > LevelMetric.THRESHOLD) {
                fire = OptionalLong.of(metrics.step(row));
            }
        }
        return first < 0 ? Optional.empty() : Optional.of(new LevelTrace(fire, max, first, every));
    }
}
