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
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class Dyck1DepthTaskTests {

    private static final int I = TaskData.IGNORE;
    private final Dyck1DepthTask dyck = new Dyck1DepthTask();

    private PluginConfig config(Map<String, ?> values) {
        return PluginConfig.of("task.dyck1-depth", dyck.descriptor(), values);
    }

    private static void assertSameData(TaskData a, TaskData b) {
        assertArrayEquals(a.tokens(), b.tokens());
        assertArrayEquals(a.targets(0), b.targets(0));
        assertArrayEquals(a.train(), b.train());
        assertArrayEquals(a.test(), b.test());
        assertEquals(a.domain(), b.domain());
    }

    /** Input {@code i} as a string of '(' and ')', PAD left out. */
    private static String string(TaskData data, int i) {
        StringBuilder s = new StringBuilder();
        for (int t : data.tokens(new int[] {i})) {
            if (t != Dyck1DepthTask.PAD) {
                s.append(t == Dyck1DepthTask.OPEN ? '(' : ')');
            }
        }
        return s.toString();
    }

    @Test
    void passesTheTaskContract() {
        TaskContract.check(dyck, config(Map.of()));
    }

    @Test
    void makes50TrainingAnd5000TestStringsOfLength24ByDefault() {
        TaskData data = dyck.create(config(Map.of()), 1);

        assertEquals(5050, data.size());
        assertArrayEquals(IntStream.range(0, 50).toArray(), data.train());
        assertEquals(5000, data.test().length);
        assertEquals(24, data.sequenceLength());
        assertEquals(3, data.vocabularySize());
        assertEquals(List.of(new Head("dyck1-depth", 13)), data.heads());
        assertEquals(new TargetSpec.Aligned(24, 0), data.targetSpec().orElseThrow());
        List<String> coordinates = new ArrayList<>(List.of("depth", "pairs"));
        for (int t = 0; t < 24; t++) {
            coordinates.add("depth-" + t);
        }
        assertEquals(coordinates, data.domain().coordinates());
        assertEquals(13, data.domain().modulus("depth-23"));
    }

    @Test
    void labelsAHandCheckedStringWithItsDepthAfterEachToken() {
        // the first training string of the default data (data seed 0): 11 pairs, deepest 5 after token 6
        TaskData data = dyck.create(config(Map.of()), 1);
        assertEquals("((()((()()()())(()))))", string(data, 0));
        int[] tokens = {1, 1, 1, 2, 1, 1, 1, 2, 1, 2, 1, 2, 1, 2, 2, 1, 1, 2, 2, 2, 2, 2, 0, 0};
        int[] depth = {1, 2, 3, 2, 3, 4, 5, 4, 5, 4, 5, 4, 5, 4, 3, 4, 5, 4, 3, 2, 1, 0, I, I};
        assertArrayEquals(tokens, data.tokens(new int[] {0}));
        assertArrayEquals(depth, data.targets(0, new int[] {0}));
        assertEquals(5, data.domain().value("depth", 0));
        assertEquals(11, data.domain().value("pairs", 0));
        assertEquals(5, data.domain().value("depth-6", 0));
        assertEquals(0, data.domain().value("depth-23", 0));
    }

    @Test
    void makesBalancedStringsWhoseTargetsAndProfileAreTheirDepth() {
        TaskData data = dyck.create(config(Map.of()), 1);
        int[] targets = data.targets(0);
        Set<Integer> pairCounts = new HashSet<>();
        for (int i = 0; i < data.size(); i++) {
            int[] row = data.tokens(new int[] {i});
            int depth = 0;
            int max = 0;
            int length = 0;
            while (length < 24 && row[length] != Dyck1DepthTask.PAD) {
                depth += row[length] == Dyck1DepthTask.OPEN ? 1 : -1;
                assertTrue(depth >= 0, "input " + i + " closes below depth 0");
                assertEquals(depth, targets[i * 24 + length]);
                assertEquals(depth, data.domain().value("depth-" + length, i));
                max = Math.max(max, depth);
                length++;
            }
            assertEquals(0, depth, "input " + i + " is not balanced");
            assertTrue(length >= 2 && length <= 24 && length % 2 == 0, "input " + i + " has length " + length);
            for (int t = length; t < 24; t++) {
                assertEquals(Dyck1DepthTask.PAD, row[t]);
                assertEquals(I, targets[i * 24 + t]);
                assertEquals(0, data.domain().value("depth-" + t, i));
            }
            assertEquals(max, data.domain().value("depth", i));
            assertEquals(length / 2, data.domain().value("pairs", i));
            pairCounts.add(length / 2);
        }
        assertEquals(12, pairCounts.size(), "every number of pairs from 1 to 12 occurs");
    }

    @Test
    void keepsTrainingStringsDistinctAndOutOfTheTestSet() {
        TaskData data = dyck.create(config(Map.of()), 1);
        Set<String> train = new HashSet<>();
        for (int i : data.train()) {
            assertTrue(train.add(string(data, i)), "training string " + string(data, i) + " repeated");
        }
        for (int i : data.test()) {
            assertFalse(train.contains(string(data, i)), "test string " + string(data, i) + " is a training string");
        }
    }

    @Test
    void opensWithProbabilityPOpenWhenBothMovesAreLegal() {
        SplittableRandom random = new SplittableRandom(3);
        long choices = 0;
        long opens = 0;
        for (int k = 0; k < 20_000; k++) {
            String s = Dyck1DepthTask.draw(random, 12, 0.55);
            int depth = 0;
            int opened = 0;
            for (char c : s.toCharArray()) {
                if (depth > 0 && opened < s.length() / 2) {
                    choices++;
                    opens += c == '(' ? 1 : 0;
                }
                depth += c == '(' ? 1 : -1;
                opened += c == '(' ? 1 : 0;
            }
        }
        // ~ 10^5 choices: the binomial's standard deviation is below 0.002
        assertEquals(0.55, (double) opens / choices, 0.01);
    }

    @Test
    void makesTheSameDataBitForBitWhateverTheRunSeed() {
        assertSameData(dyck.create(config(Map.of()), 1), dyck.create(config(Map.of()), 2));
        assertSameData(dyck.create(config(Map.of("data-seed", 9)), 1), dyck.create(config(Map.of("data-seed", 9)), 1));
    }

    @Test
    void drawsOtherDataForAnotherDataSeedOrTheRunSeedAtMinusOne() {
        int[] base = dyck.create(config(Map.of()), 1).tokens();
        assertFalse(Arrays.equals(base, dyck.create(config(Map.of("data-seed", 1)), 1).tokens()));
        PluginConfig runSeed = config(Map.of("data-seed", -1));
        assertSameData(dyck.create(runSeed, 7), dyck.create(config(Map.of("data-seed", 7)), 123));
    }

    @Test
    void honoursItsKeys() {
        TaskData data = dyck.create(config(Map.of("max-pairs", 3, "length", 8, "train-size", 4, "test-size", 20,
                "p-open", 0.9)), 1);
        assertEquals(24, data.size());
        assertEquals(8, data.sequenceLength());
        assertEquals(List.of(new Head("dyck1-depth", 4)), data.heads());
        assertTrue(Arrays.stream(data.domain().values("pairs")).allMatch(k -> k >= 1 && k <= 3));
    }

    @Test
    void refusesValuesOutOfRange() {
        assertRefused(Map.of("length", 23), "length must hold the longest string, 2 x max-pairs = 24");
        assertRefused(Map.of("p-open", 1.0), "p-open must be in (0, 1), found 1.0");
        assertRefused(Map.of("max-pairs", 0), "max-pairs must be in [1, 1000], found 0");
        assertRefused(Map.of("test-size", 0), "train-size and test-size must be >= 1");
        assertRefused(Map.of("data-seed", -2), "data-seed must be >= 0, or -1");
        // one pair makes one string: it cannot be both in train and outside it
        assertRefused(Map.of("max-pairs", 1, "length", 2, "train-size", 1, "test-size", 1),
                "could not draw 1 distinct training strings and 1 test strings");
    }

    private void assertRefused(Map<String, ?> values, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> dyck.create(config(values), 1));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void refusesAnUnknownKeyListingTheKnownOnes() {
        ConfigException e = assertThrows(ConfigException.class, () -> config(Map.of("max-pair", 10)));
        assertTrue(e.getMessage().contains("task.dyck1-depth.max-pairs") && e.getMessage().contains("p-open"),
                e.getMessage());
    }
}
