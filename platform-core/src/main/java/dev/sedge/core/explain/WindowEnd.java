package dev.sedge.core.explain;

import dev.sedge.api.ConfigException;
import dev.sedge.api.detect.DetectorSummary;
import dev.sedge.api.detect.EdgeEvent;
import dev.sedge.core.detect.AccuracyCrossings;
import dev.sedge.core.run.EventsFile;
import dev.sedge.core.run.MetricsCsv;
import dev.sedge.core.run.MetricsTable;
import dev.sedge.core.run.RunLayout;
import java.nio.file.Files;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The checkpoint an explained window ends at, as a user names it (docs/explain.md, "Which window"):
 * <ul>
 *   <li>{@code STEP}: that checkpoint;</li>
 *   <li>{@value #LAST}: the run's last checkpoint;</li>
 *   <li>{@value #POST_GROK}: the last checkpoint whose evaluation (the latest at or before it) has test
 *       accuracy above {@value #GROKKED}, as the Functional Modes paper picks its window;</li>
 *   <li>{@value #EVENT} or {@code event:DETECTOR}: the last checkpoint at or before the first event in
 *       {@code events.json} (of any detector, or of the one named).</li>
 * </ul>
 * Stateless.
 */
public final class WindowEnd {

    /** The run's last checkpoint. */
    public static final String LAST = "last";

    /** The last checkpoint after grokking. */
    public static final String POST_GROK = "post-grok";

    /** The checkpoint of the first detector event. */
    public static final String EVENT = "event";

    /** The test accuracy a post-grok checkpoint exceeds. */
    public static final double GROKKED = 0.95;

    private WindowEnd() {
    }

    /**
     * Resolves {@code when} in the run at {@code layout}.
     *
     * @throws ConfigException if {@code when} is none of the forms above, or the run has no checkpoint,
     *                         evaluation or event that answers it (the message says what it has)
     * @throws dev.sedge.api.DataFormatException if metrics.csv or events.json cannot be read
     */
    public static long resolve(RunLayout layout, String when) {
        List<Long> checkpoints = layout.checkpointSteps();
        if (checkpoints.isEmpty()) {
            throw new ConfigException(layout.checkpoints() + " holds no checkpoint: explain reads the window from"
                    + " them; train with train.checkpoint-every > 0");
        }
        if (when.equals(LAST)) {
            return checkpoints.getLast();
        }
        if (when.equals(POST_GROK)) {
            MetricsTable metrics = MetricsCsv.read(layout.metrics());
            for (long step : checkpoints.reversed()) {
                if (metrics.latest(AccuracyCrossings.TEST_ACCURACY, step).orElse(0) > GROKKED) {
                    return step;
                }
            }
            throw new ConfigException("no checkpoint of " + layout.root() + " follows an evaluation with test accuracy"
                    + " above " + GROKKED + ": the run did not grok; name the window's --step");
        }
        if (when.equals(EVENT) || when.startsWith(EVENT + ":")) {
            return atFirstEvent(layout, checkpoints, when.equals(EVENT) ? Optional.empty()
                    : Optional.of(when.substring(EVENT.length() + 1)));
        }
        try {
            return Long.parseLong(when);
        } catch (NumberFormatException e) {
            throw new ConfigException("--step must be a checkpoint step, " + LAST + ", " + POST_GROK + ", " + EVENT
                    + " or " + EVENT + ":DETECTOR, found '" + when + "'");
        }
    }

    private static long atFirstEvent(RunLayout layout, List<Long> checkpoints, Optional<String> detector) {
        if (!Files.exists(layout.events())) {
            throw new ConfigException(layout.events() + " does not exist: run `sedge detect` on the run first, or"
                    + " name the window's --step");
        }
        List<DetectorSummary> summaries = EventsFile.read(layout.events());
        EdgeEvent first = summaries.stream()
                .filter(s -> detector.map(s.detector()::equals).orElse(true))
                .flatMap(s -> s.events().stream())
                .min(Comparator.comparingLong(EdgeEvent::step))
                .orElseThrow(() -> new ConfigException(layout.events() + " has no event"
                        + detector.map(d -> " of detector '" + d + "' (it has "
                                + summaries.stream().map(DetectorSummary::detector).toList() + ")").orElse("")
                        + "; name the window's --step"));
        return checkpoints.reversed().stream().filter(s -> s <= first.step()).findFirst().orElseThrow(() ->
                new ConfigException("the first event is at step " + first.step() + ", before the first checkpoint "
                        + checkpoints.getFirst() + "; name the window's --step"));
    }
}
