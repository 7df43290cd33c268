package dev.sedge.tasks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sedge.api.ConfigException;
import dev.sedge.api.PluginConfig;
import dev.sedge.api.task.Head;
import dev.sedge.api.task.Task;
import dev.sedge.api.task.TaskData;
import dev.sedge.testkit.PluginContract;
import dev.sedge.testkit.TaskContract;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class MultitaskTaskTests {

    private final Task multitask = new MultitaskTask();

    private PluginConfig config(Map<String, ?> values) {
        return PluginConfig.of("task.multitask", multitask.descriptor(), values);
    }

    private static PluginConfig single(Task task, Map<String, ?> values) {
        return PluginConfig.of("task." + task.name(), task.descriptor(), values);
    }

    @Test
    void passesThePluginContractWithTheTriTaskAsDefault() {
        PluginConfig defaults = PluginContract.check(multitask);
        assertEquals("multitask", multitask.name());
        assertEquals(List.of("add", "mul", "x2y2"), defaults.listValue("ops"));
        assertEquals(97, defaults.intValue("p"));
        assertEquals(0.5, defaults.doubleValue("train-fraction"), 0.0);
        assertEquals(0, defaults.intValue("train-size"));
    }

    @Test
    void passesTheTaskContractForOneTwoAndThreeOperations() {
        for (String ops : List.of("add", "add,sub", "add,mul,x2y2")) {
            TaskData data = TaskContract.check(multitask, config(Map.of("ops", ops, "p", 11)));
            assertEquals(ops.split(",").length, data.heads().size(), ops);
        }
    }

    @Test
    void givesOneNamedHeadAndOneOutputCoordinatePerOperationInOrder() {
        TaskData data = multitask.create(config(Map.of("ops", "add,mul,x2y2", "p", 13)), 3);
        assertEquals(List.of(new Head("add", 13), new Head("mul", 13), new Head("x2y2", 13)), data.heads());
        assertEquals(List.of("a", "b", "y_add", "y_mul", "y_x2y2"), data.domain().coordinates());
        int[] a = data.domain().values("a");
        int[] b = data.domain().values("b");
        int[] tokens = data.tokens();
        for (int i = 0; i < data.size(); i++) {
            assertEquals(a[i], tokens[2 * i]);
            assertEquals(b[i], tokens[2 * i + 1]);
            assertEquals((a[i] + b[i]) % 13, data.labels(0)[i]);
            assertEquals(a[i] * b[i] % 13, data.labels(1)[i]);
            assertEquals((a[i] * a[i] + b[i] * b[i]) % 13, data.labels(2)[i]);
        }
        for (int h = 0; h < 3; h++) {
            assertArrayEquals(data.labels(h), data.domain().values("y_" + data.heads().get(h).name()));
            assertEquals(13, data.domain().modulus("y_" + data.heads().get(h).name()));
        }
        assertEquals(2, data.sequenceLength());
        assertEquals(13, data.vocabularySize());
    }

    @Test
    void leavesZerosOutForEveryHeadWhenAnyOperationNeedsIt() {
        TaskData withMul = multitask.create(config(Map.of("ops", "add,mul", "p", 7)), 1);
        assertEquals(36, withMul.size());
        assertFalse(Arrays.stream(withMul.domain().values("a")).anyMatch(v -> v == 0));
        assertFalse(Arrays.stream(withMul.domain().values("b")).anyMatch(v -> v == 0));
        assertTrue(withMul.description().contains("non-zero"), withMul.description());
        TaskData additive = multitask.create(config(Map.of("ops", "add,sub,x2y2", "p", 7)), 1);
        assertEquals(49, additive.size());
    }

    @Test
    void splitsExactlyAsTheSingleTasksDoForTheSameSeed() {
        Task add = new ModAddTask();
        Task mul = new ModMulTask();
        TaskData multi = multitask.create(config(Map.of("ops", "add,sub", "p", 31)), 42);
        TaskData alone = add.create(single(add, Map.of("p", 31)), 42);
        assertArrayEquals(alone.train(), multi.train());
        assertArrayEquals(alone.test(), multi.test());
        assertArrayEquals(alone.labels(0), multi.labels(0));

        TaskData tri = multitask.create(config(Map.of("p", 31, "train-size", 400)), 7);
        TaskData mulAlone = mul.create(single(mul, Map.of("p", 31, "train-size", 400)), 7);
        assertArrayEquals(mulAlone.train(), tri.train());
        assertArrayEquals(mulAlone.labels(0), tri.labels(1));
    }

    @Test
    void splitsDifferentlyForDifferentSeeds() {
        PluginConfig c = config(Map.of("p", 31));
        assertFalse(Arrays.equals(multitask.create(c, 1).train(), multitask.create(c, 2).train()));
    }

    @Test
    void rejectsAnUnknownARepeatedOrNoOperationListingTheKnownOnes() {
        ConfigException unknown = assertThrows(ConfigException.class,
                () -> multitask.create(config(Map.of("ops", "add,pow", "p", 7)), 1));
        assertTrue(unknown.getMessage().contains("task.multitask.ops") && unknown.getMessage().contains("'pow'")
                && unknown.getMessage().contains("add, sub, mul, div, x2y2, a2abb2, a3ab"), unknown.getMessage());
        ConfigException repeated = assertThrows(ConfigException.class,
                () -> multitask.create(config(Map.of("ops", "add,add", "p", 7)), 1));
        assertTrue(repeated.getMessage().contains("twice"), repeated.getMessage());
        assertThrows(ConfigException.class, () -> multitask.create(config(Map.of("ops", "", "p", 7)), 1));
    }

    @Test
    void rejectsANonPrimeModulusAndASplitWithoutTestPairs() {
        assertThrows(IllegalArgumentException.class, () -> multitask.create(config(Map.of("p", 12)), 1));
        ConfigException e = assertThrows(ConfigException.class,
                () -> multitask.create(config(Map.of("p", 5, "ops", "add", "train-size", 25)), 1));
        assertTrue(e.getMessage().contains("task.multitask.train-size"), e.getMessage());
    }

    @Test
    void isFoundByTheServiceLoader() {
        MultitaskTaskTests.class.getModule().addUses(Task.class); // the patched test module has no `uses`
        assertTrue(ServiceLoader.load(Task.class).stream().anyMatch(p -> p.type() == MultitaskTask.class));
    }
}
