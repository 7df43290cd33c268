package dev.sedge.api.task;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Label tasks as before; sequence tasks' targets, their shapes and the rules of a decoded row. */
class TaskDataTests {

    private static final int I = TaskData.IGNORE;
    private static final InputDomain TWO = InputDomain.builder(2).coordinate("depth", 3, new int[] {1, 2}).build();
    private static final List<Head> HEAD = List.of(new Head("depth", 3));

    /** Two inputs of 4 tokens over {PAD 0, ( 1, ) 2}: "()" padded, and "(())". */
    private static final int[] DYCK_TOKENS = {1, 2, 0, 0, 1, 1, 2, 2};

    private static TaskData aligned(int[] targets) {
        return new TaskData("dyck", TWO, 4, 3, DYCK_TOKENS, HEAD, new TargetSpec.Aligned(4, 0),
                new int[][] {targets}, new int[] {0}, new int[] {1});
    }

    /** Decoder classes: 0, 1 symbols, 2 bos, 3 eos; target length 3. */
    private static TaskData decoded(int[] targets) {
        return new TaskData("seq2seq", TWO, 2, 3, new int[] {1, 0, 1, 2}, List.of(new Head("out", 4)),
                new TargetSpec.Decoded(3, 0, 2, 3), new int[][] {targets}, new int[] {0}, new int[] {1});
    }

    private static void assertRefused(String expected, Runnable make) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, make::run);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void keepsALabelTaskAsItWas() {
        TaskData data = new TaskData("y", TWO, 1, 3, new int[] {0, 1}, HEAD, new int[][] {{2, 0}}, new int[] {1},
                new int[] {0});
        assertArrayEquals(new int[] {2, 0}, data.labels(0));
        assertEquals(Optional.empty(), data.targetSpec());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> data.targets(0));
        assertTrue(e.getMessage().contains("labels(h)"), e.getMessage());
    }

    @Test
    void givesEachInputItsRowOfTargetsAndRefusesLabels() {
        int[] targets = {1, 0, I, I, 1, 2, 1, 0};
        TaskData data = aligned(targets);

        assertEquals(Optional.of(new TargetSpec.Aligned(4, 0)), data.targetSpec());
        assertArrayEquals(targets, data.targets(0));
        assertArrayEquals(new int[] {1, 2, 1, 0, 1, 0, I, I}, data.targets(0, new int[] {1, 0}));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> data.labels(0));
        assertTrue(e.getMessage().contains("sequence task") && e.getMessage().contains("targets(h)"),
                e.getMessage());
    }

    @Test
    void copiesTargetsInAndOut() {
        int[] targets = {1, 0, I, I, 1, 2, 1, 0};
        TaskData data = aligned(targets);
        targets[0] = 2;
        data.targets(0)[1] = 2;
        assertArrayEquals(new int[] {1, 0, I, I, 1, 2, 1, 0}, data.targets(0));
    }

    @Test
    void refusesTargetsOfTheWrongShapeOrOutsideTheHeadsClasses() {
        assertRefused("expected 2 x 4 targets, found 7", () -> aligned(new int[] {1, 0, I, I, 1, 2, 1}));
        assertRefused("head depth, input 1, position 1: target 3 outside [0, 3)",
                () -> aligned(new int[] {1, 0, I, I, 1, 3, 1, 0}));
        assertRefused("target -2 outside", () -> aligned(new int[] {1, 0, I, -2, 1, 2, 1, 0}));
        assertRefused("one target array per head (1), found 2", () -> new TaskData("dyck", TWO, 4, 3, DYCK_TOKENS,
                HEAD, new TargetSpec.Aligned(4, 0), new int[2][8], new int[] {0}, new int[] {1}));
    }

    @Test
    void refusesAlignedTargetsWhoseLengthIsNotTheSequenceLength() {
        assertRefused("target length 3, sequence length 4", () -> new TaskData("dyck", TWO, 4, 3, DYCK_TOKENS, HEAD,
                new TargetSpec.Aligned(3, 0), new int[][] {new int[6]}, new int[] {0}, new int[] {1}));
    }

    @Test
    void refusesAPaddingTokenOutsideTheVocabulary() {
        assertRefused("input padding token 3 outside vocabulary [0, 3)", () -> new TaskData("dyck", TWO, 4, 3,
                DYCK_TOKENS, HEAD, new TargetSpec.Aligned(4, 3), new int[][] {new int[8]}, new int[] {0},
                new int[] {1}));
    }

    @Test
    void acceptsDecodedRowsOfSymbolsThenTheEndThenIgnore() {
        TaskData data = decoded(new int[] {0, 1, 3, 3, I, I});
        assertArrayEquals(new int[] {3, I, I}, data.targets(0, new int[] {1}));
    }

    @Test
    void refusesADecodedRowThatBreaksItsLayout() {
        assertRefused("input 0: no end class 3 within 3 positions", () -> decoded(new int[] {0, 1, 0, 3, I, I}));
        assertRefused("input 1, position 1: target 0 after the end class 3", () -> decoded(new int[] {0, 3, I, 3, 0,
                I}));
        assertRefused("input 0, position 1: IGNORE before the end class", () -> decoded(new int[] {0, I, 3, 3, I,
                I}));
        assertRefused("input 0, position 0: the begin class 2", () -> decoded(new int[] {2, 3, I, 3, I, I}));
    }

    @Test
    void refusesBeginAndEndClassesTheHeadDoesNotHave() {
        assertRefused("bos 2 and eos 3 must be classes in [0, 3)", () -> new TaskData("seq2seq", TWO, 2, 3,
                new int[] {1, 0, 1, 2}, List.of(new Head("out", 3)), new TargetSpec.Decoded(3, 0, 2, 3),
                new int[][] {new int[6]}, new int[] {0}, new int[] {1}));
        assertRefused("two different classes", () -> new TargetSpec.Decoded(3, 0, 2, 2));
        assertRefused("target length must be >= 1", () -> new TargetSpec.Aligned(0, 0));
    }
}
