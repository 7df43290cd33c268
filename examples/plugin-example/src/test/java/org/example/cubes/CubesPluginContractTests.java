package org.example.cubes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sedge.api.ConfigException;
import dev.sedge.api.PluginConfig;
import dev.sedge.api.detect.DetectorSummary;
import dev.sedge.api.detect.SpectralWindow;
import dev.sedge.api.task.TaskData;
import dev.sedge.testkit.DetectorContract;
import dev.sedge.testkit.TaskContract;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The example's providers against sedge's contract checks (the test kit), and a few checks of their own. */
class CubesPluginContractTests {

    private final CubesTask task = new CubesTask();
    private final GapThresholdDetector detector = new GapThresholdDetector();

    @Test
    void theTaskPassesTheTaskContract() {
        TaskData data = TaskContract.check(task, PluginConfig.of("task", task.descriptor(), Map.of("p", 11)));
        assertEquals(11 * 11, data.train().length + data.test().length, "every pair (a, b) is in one split");
    }

    @Test
    void theTaskRefusesAModulusBelowTwoNamingTheKey() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> task.create(PluginConfig.of("task", task.descriptor(), Map.of("p", 1)), 0));
        assertEquals(true, e.getMessage().contains("task.p"), e.getMessage());
    }

    @Test
    void theDetectorPassesTheDetectorContractAndFiresOnceAtTheFirstWideGap() {
        List<SpectralWindow> series = new ArrayList<>();
        double[] top = {2, 5, 20, 30, 3};
        for (int i = 0; i < top.length; i++) {
            series.add(new SpectralWindow(10L * (i + 1), new double[] {top[i], 1, 0.5}, Map.of()));
        }
        DetectorSummary summary = DetectorContract.check(detector,
                PluginConfig.of("detector.gap-threshold", detector.descriptor(), Map.of("threshold", 10.0)), series);
        assertEquals(1, summary.events().size());
        assertEquals(30, summary.events().getFirst().step());
    }
}
