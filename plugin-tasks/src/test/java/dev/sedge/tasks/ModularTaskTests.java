package dev.sedge.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sedge.api.ConfigException;
import dev.sedge.api.PluginConfig;
import dev.sedge.api.task.Task;
import dev.sedge.api.task.TaskData;
import dev.sedge.testkit.TaskContract;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class ModularTaskTests {

    static Stream<Task> tasks() {
        return Stream.of(new ModAddTask(), new ModSubTask(), new ModMulTask(), new ModDivTask(), new ModX2y2Task(),
                new ModA2abb2Task(), new ModA3abTask());
    }

    private static PluginConfig config(Task task, Map<String, ?> values) {
        return PluginConfig.of("task." + task.name(), task.descriptor(), values);
    }

    @ParameterizedTest
    @MethodSource("tasks")
    void passesTheTaskContract(Task task) {
        TaskContract.check(task, config(task, Map.of("p", 11)));
    }

    @ParameterizedTest
    @MethodSource("tasks")
    void labelsEveryPairWithItsOperation(Task task) {
        TaskData data = task.create(config(task, Map.of("p", 13)), 3);
        int[] a = data.domain().values("a");
        int[] b = data.domain().values("b");
        int[] y = data.labels(0);
        assertTrue(Arrays.equals(y, data.domain().values("y")), "the output coordinate is the label");
        for (int i = 0; i < data.size(); i++) {
            assertEquals(expected(task.name(), a[i], b[i], 13), y[i], task.name() + " at a=" + a[i] + " b=" + b[i]);
        }
    }

    private static int expected(String name, int a, int b, int p) {
        return switch (name) {
            case "mod-add" -> (a + b) % p;
            case "mod-sub" -> ((a - b) % p + p) % p;
            case "mod-mul" -> a * b % p;
            case "mod-div" -> {
                for (int y = 0; y < p; y++) {
                    if (y * b % p == a) {
                        yield y;
                    }
                }
                throw new AssertionError("no quotient");
            }
            case "mod-x2y2" -> (a * a + b * b) % p;
            case "mod-a2abb2" -> (a * a + a * b + b * b) % p;
            case "mod-a3ab" -> (a * a * a + a * b) % p;
            default -> throw new AssertionError(name);
        };
    }

    @Test
    void makesTheLockInSplitOf2016TrainingPairsOverZ71() {
        Task task = new ModAddTask();
        TaskData data = task.create(config(task, Map.of("p", 71, "train-size", 2016)), 42);

        assertEquals(71 * 71, data.size());
        assertEquals(2016, data.train().length);
        assertEquals(71 * 71 - 2016, data.test().length);
        assertEquals(2, data.sequenceLength());
        assertEquals(71, data.vocabularySize());
        assertEquals(List.of("a", "b", "y"), data.domain().coordinates());
    }

    @Test
    void leavesZerosOutOfMultiplicativeTasks() {
        Task task = new ModMulTask();
        TaskData data = task.create(config(task, Map.of("p", 7)), 1);

        assertEquals(36, data.size());
        assertFalse(Arrays.stream(data.domain().values("a")).anyMatch(v -> v == 0));
        assertFalse(Arrays.stream(data.domain().values("b")).anyMatch(v -> v == 0));
    }

    @Test
    void splitsDifferentlyForDifferentSeeds() {
        Task task = new ModAddTask();
        PluginConfig c = config(task, Map.of("p", 31));
        assertFalse(Arrays.equals(task.create(c, 1).train(), task.create(c, 2).train()));
    }

    @Test
    void refusesModulusThatIsNotPrime() {
        Task task = new ModAddTask();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> task.create(config(task, Map.of("p", 12)), 1));
        assertTrue(e.getMessage().contains("prime") && e.getMessage().contains("12"), e.getMessage());
    }

    @Test
    void refusesTrainSizeThatLeavesNoTestSet() {
        Task task = new ModAddTask();
        ConfigException e = assertThrows(ConfigException.class,
                () -> task.create(config(task, Map.of("p", 5, "train-size", 25)), 1));
        assertTrue(e.getMessage().contains("task.mod-add.train-size"), e.getMessage());
    }

    @Test
    void declaresTheSameProvidersInModuleInfoAndServicesFile() throws IOException {
        List<String> provided = ModularTaskTests.class.getModule().getDescriptor().provides().stream()
                .filter(p -> p.service().equals(Task.class.getName()))
                .flatMap(p -> p.providers().stream()).sorted().toList();
        List<String> listed;
        try (InputStream in = ModularTaskTests.class.getModule()
                .getResourceAsStream("META-INF/services/" + Task.class.getName())) {
            listed = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().sorted().toList();
        }
        assertEquals(10, provided.size());
        assertEquals(provided, listed);
    }
}
