package dev.sedge.core.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sedge.api.ConfigException;
import dev.sedge.api.detect.DetectorSummary;
import dev.sedge.api.detect.EdgeEvent;
import dev.sedge.core.run.EventsFile;
import dev.sedge.core.run.MetricsCsv;
import dev.sedge.core.run.MetricsTable;
import dev.sedge.core.run.RunLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The window's end as a user names it, on a run folder of checkpoints every 100 steps and evaluations every 50. */
class WindowEndTests {

    @TempDir
    Path dir;

    private RunLayout run(double... testAccuracy) throws IOException {
        RunLayout layout = new RunLayout(dir);
        Files.createDirectories(layout.checkpoints());
        for (long step = 0; step <= 500; step += 100) {
            Files.createFile(layout.checkpoint(step));
        }
        long[] steps = new long[testAccuracy.length];
        double[][] rows = new double[testAccuracy.length][];
        for (int i = 0; i < steps.length; i++) {
            steps[i] = 50L * i;
            rows[i] = new double[] {1, 1, 1, testAccuracy[i]};
        }
        MetricsCsv.write(layout.metrics(), new MetricsTable(MetricsTable.REQUIRED, steps, rows));
        return layout;
    }

    @Test
    void namesAStepTheLastCheckpointAndTheLastOneAfterGrokking() throws IOException {
        //                 step 0    50   100   150   200   250   300   350   400   450   500
        RunLayout layout = run(0.0, 0.1, 0.2, 0.96, 0.97, 0.99, 0.99, 0.99, 0.99, 0.5, 0.5);

        assertEquals(300, WindowEnd.resolve(layout, "300"));
        assertEquals(500, WindowEnd.resolve(layout, WindowEnd.LAST));
        assertEquals(400, WindowEnd.resolve(layout, WindowEnd.POST_GROK), "400's evaluation is 0.99; 500's is 0.5");
    }

    @Test
    void aRunThatNeverGrokkedHasNoPostGrokWindow() throws IOException {
        RunLayout layout = run(0.1, 0.2, 0.95, 0.3);

        ConfigException e = assertThrows(ConfigException.class, () -> WindowEnd.resolve(layout, WindowEnd.POST_GROK));
        assertTrue(e.getMessage().contains("did not grok"), e.getMessage());
    }

    @Test
    void anEventNamesTheLastCheckpointAtOrBeforeTheFirstEventOfTheDetectorAsked() throws IOException {
        RunLayout layout = run(0.1);
        EventsFile.write(layout.events(), List.of(
                new DetectorSummary("late", List.of(new EdgeEvent("late", 450, "fire", "", Map.of())), Map.of()),
                new DetectorSummary("early", List.of(new EdgeEvent("early", 399, "fire", "", Map.of()),
                        new EdgeEvent("early", 250, "fire", "", Map.of())), Map.of())));

        assertEquals(200, WindowEnd.resolve(layout, WindowEnd.EVENT));
        assertEquals(400, WindowEnd.resolve(layout, "event:late"));
        ConfigException none = assertThrows(ConfigException.class, () -> WindowEnd.resolve(layout, "event:bbp"));
        assertTrue(none.getMessage().contains("[late, early]"), none.getMessage());
    }

    @Test
    void refusesWhatItCannotRead() throws IOException {
        RunLayout layout = run(0.1);

        ConfigException noEvents = assertThrows(ConfigException.class, () -> WindowEnd.resolve(layout, "event"));
        assertTrue(noEvents.getMessage().contains("sedge detect"), noEvents.getMessage());
        ConfigException word = assertThrows(ConfigException.class, () -> WindowEnd.resolve(layout, "grokked"));
        assertTrue(word.getMessage().contains("post-grok"), word.getMessage());
        ConfigException empty = assertThrows(ConfigException.class, () ->
                WindowEnd.resolve(new RunLayout(dir.resolve("empty")), "last"));
        assertTrue(empty.getMessage().contains("no checkpoint"), empty.getMessage());
    }
}
