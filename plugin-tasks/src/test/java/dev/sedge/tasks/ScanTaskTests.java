package dev.sedge.tasks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sedge.api.ConfigException;
import dev.sedge.api.PluginConfig;
import dev.sedge.api.task.Head;
import dev.sedge.api.task.TargetSpec;
import dev.sedge.api.task.TaskData;
import dev.sedge.testkit.TaskContract;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ScanTaskTests {

    private final ScanTask scan = new ScanTask();

    private PluginConfig config(Map<String, ?> values) {
        return PluginConfig.of("task.scan", scan.descriptor(), values);
    }

    private static void assertSameData(TaskData a, TaskData b) {
        assertArrayEquals(a.tokens(), b.tokens());
        assertArrayEquals(a.targets(0), b.targets(0));
        assertArrayEquals(a.train(), b.train());
        assertArrayEquals(a.test(), b.test());
        assertEquals(a.domain(), b.domain());
    }

    /** The command input {@code i} spells, from its tokens. */
    private static String command(TaskData data, int i) {
        List<String> words = new ArrayList<>();
        for (int t : data.tokens(new int[] {i})) {
            if (t != ScanTask.PAD) {
                words.add(ScanGrammar.WORDS.get(t - 1));
            }
        }
        return String.join(" ", words);
    }

    @Test
    void passesTheTaskContract() {
        TaskContract.check(scan, config(Map.of()));
    }

    @Test
    void makes2048TrainingAnd500TestCommandsByDefault() {
        TaskData data = scan.create(config(Map.of()), 1);

        assertEquals(2548, data.size());
        assertEquals(2048, data.train().length);
        assertEquals(500, data.test().length);
        assertEquals(9, data.sequenceLength());
        assertEquals(14, data.vocabularySize());
        assertEquals(List.of(new Head("scan", 8)), data.heads());
        assertEquals(new TargetSpec.Decoded(49, 0, 6, 7), data.targetSpec().orElseThrow());
        assertEquals(2548 * 49, data.targets(0).length);
        assertEquals(List.of("command", "words", "actions", "conjunction"), data.domain().coordinates());
    }

    @Test
    void givesEachCommandItsWordsPaddedAndItsActionsThenTheEnd() {
        TaskData data = scan.create(config(Map.of()), 1);
        int[] commandIndex = data.domain().values("command");
        int[] targets = data.targets(0);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < data.size(); i++) {
            String command = command(data, i);
            assertEquals(ScanGrammar.commands().get(commandIndex[i]), command);
            assertTrue(seen.add(command), "repeated " + command);
            int[] row = data.tokens(new int[] {i});
            int words = command.split(" ").length;
            assertTrue(Arrays.stream(row, words, 9).allMatch(t -> t == ScanTask.PAD), command);
            assertEquals(words, data.domain().value("words", i));

            String[] actions = ScanGrammar.interpret(command).split(" ");
            int[] expected = new int[49];
            Arrays.fill(expected, TaskData.IGNORE);
            for (int k = 0; k < actions.length; k++) {
                expected[k] = ScanGrammar.ACTIONS.indexOf(actions[k]);
            }
            expected[actions.length] = ScanTask.EOS;
            assertArrayEquals(expected, Arrays.copyOfRange(targets, i * 49, i * 49 + 49), command);
            assertEquals(actions.length, data.domain().value("actions", i));
            assertEquals(command.contains(" and ") ? 1 : command.contains(" after ") ? 2 : 0,
                    data.domain().value("conjunction", i));
        }
    }

    @Test
    void encodesAHandCheckedCommand() {
        // "jump twice after walk left": words 4 10 13 1 6, actions LTURN WALK JUMP JUMP = 4 0 3 3, EOS 7
        TaskData data = scan.create(config(Map.of("train-size", ScanTask.SIMPLE_TRAIN,
                "test-size", ScanTask.SIMPLE_TEST)), 1);
        int i = Arrays.binarySearch(data.domain().values("command"),
                ScanGrammar.commands().indexOf("jump twice after walk left"));
        assertArrayEquals(new int[] {4, 10, 13, 1, 6, 0, 0, 0, 0}, data.tokens(new int[] {i}));
        int[] row = data.targets(0, new int[] {i});
        assertArrayEquals(new int[] {4, 0, 3, 3, 7, -1}, Arrays.copyOf(row, 6));
        assertTrue(Arrays.stream(row, 5, 49).allMatch(t -> t == TaskData.IGNORE));
    }

    @Test
    void drawsFromTheSimpleSplitsPoolsOf16728And4182() {
        int[] order = ScanTask.simpleSplit(0);
        assertEquals(20_910, Arrays.stream(order).distinct().count());
        Set<Integer> trainPool = new HashSet<>();
        Arrays.stream(order, 0, ScanTask.SIMPLE_TRAIN).forEach(trainPool::add);
        assertEquals(16_728, trainPool.size());
        assertEquals(4_182, order.length - ScanTask.SIMPLE_TRAIN);

        TaskData data = scan.create(config(Map.of()), 1);
        int[] command = data.domain().values("command");
        assertTrue(Arrays.stream(data.train()).allMatch(i -> trainPool.contains(command[i])));
        assertTrue(Arrays.stream(data.test()).noneMatch(i -> trainPool.contains(command[i])));
    }

    @Test
    void coversBothPoolsWhenAskedForAllOfThem() {
        TaskData data = scan.create(config(Map.of("train-size", 16_728, "test-size", 4_182)), 1);
        assertEquals(20_910, data.size());
        assertArrayEquals(IntStream.range(0, 20_910).toArray(), data.domain().values("command"));
    }

    @Test
    void makesTheSameDataBitForBitWhateverTheRunSeed() {
        assertSameData(scan.create(config(Map.of()), 1), scan.create(config(Map.of()), 2));
        assertSameData(scan.create(config(Map.of("data-seed", 5)), 1), scan.create(config(Map.of("data-seed", 5)), 1));
    }

    @Test
    void drawsOtherDataForAnotherDataSeedOrTheRunSeedAtMinusOne() {
        int[] base = scan.create(config(Map.of()), 1).domain().values("command");
        assertFalse(Arrays.equals(base, scan.create(config(Map.of("data-seed", 1)), 1).domain().values("command")));
        PluginConfig runSeed = config(Map.of("data-seed", -1));
        assertSameData(scan.create(runSeed, 7), scan.create(config(Map.of("data-seed", 7)), 123));
        assertFalse(Arrays.equals(scan.create(runSeed, 7).domain().values("command"),
                scan.create(runSeed, 8).domain().values("command")));
    }

    @Test
    void refusesSizesBeyondTheSimpleSplitsPools() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> scan.create(config(Map.of("train-size", 16_729)), 1));
        assertTrue(e.getMessage().contains("train-size must be in [1, 16728]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> scan.create(config(Map.of("test-size", 0)), 1));
        assertTrue(e.getMessage().contains("test-size must be in [1, 4182]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> scan.create(config(Map.of("data-seed", -2)), 1));
        assertTrue(e.getMessage().contains("data-seed"), e.getMessage());
    }

    @Test
    void refusesAnUnknownKeyListingTheKnownOnes() {
        ConfigException e = assertThrows(ConfigException.class, () -> config(Map.of("train-sise", 10)));
        assertTrue(e.getMessage().contains("task.scan.train-size") && e.getMessage().contains("data-seed"),
                e.getMessage());
    }
}
