package dev.sedge.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The generated SCAN set against the published figures: Lake and Baroni 2018 (20,910 commands, at
 * most 9 words and 48 actions, 13 words, 6 actions) and the sizes of the published split files as the
 * dataset catalogues list them (simple 16,728 / 4,182, length 16,990 / 3,920, add-primitive "jump"
 * test 7,706, "turn left" test 1,208).
 */
class ScanGrammarTests {

    private static final List<String> COMMANDS = ScanGrammar.commands();

    private static long count(Predicate<String> command) {
        return COMMANDS.stream().filter(command).count();
    }

    private static int actions(String command) {
        return ScanGrammar.interpret(command).split(" ").length;
    }

    @Test
    void makes20910DistinctCommands() {
        assertEquals(20_910, COMMANDS.size());
        assertEquals(20_910, new HashSet<>(COMMANDS).size());
    }

    @Test
    void hasCommandsOfAtMostNineWordsAndActionSequencesOfAtMost48() {
        assertEquals(9, COMMANDS.stream().mapToInt(c -> c.split(" ").length).max().orElseThrow());
        assertEquals(1, COMMANDS.stream().mapToInt(c -> c.split(" ").length).min().orElseThrow());
        assertEquals(48, COMMANDS.stream().mapToInt(ScanGrammarTests::actions).max().orElseThrow());
        assertEquals(1, COMMANDS.stream().mapToInt(ScanGrammarTests::actions).min().orElseThrow());
    }

    @Test
    void usesThirteenCommandWordsAndSixActions() {
        Set<String> words = new TreeSet<>();
        Set<String> actions = new TreeSet<>();
        for (String c : COMMANDS) {
            words.addAll(Arrays.asList(c.split(" ")));
            actions.addAll(Arrays.asList(ScanGrammar.interpret(c).split(" ")));
        }
        assertEquals(new TreeSet<>(ScanGrammar.WORDS), words);
        assertEquals(13, words.size());
        assertEquals(new TreeSet<>(ScanGrammar.ACTIONS), actions);
        assertEquals(6, actions.size());
    }

    @Test
    void splitsByActionLengthAsThePublishedLengthSplitDoes() {
        // length split: train on action sequences up to 22 long (16,990), test on 24 to 48 (3,920); none is 23
        assertEquals(16_990, count(c -> actions(c) <= 22));
        assertEquals(0, count(c -> actions(c) == 23));
        assertEquals(3_920, count(c -> actions(c) >= 24));
    }

    @Test
    void holdsOutAsManyCommandsAsThePublishedAddPrimitiveSplits() {
        // every command using "jump" but "jump" alone; every command using "turn left" but "turn left" alone
        assertEquals(7_706, count(c -> Arrays.asList(c.split(" ")).contains("jump") && !c.equals("jump")));
        assertEquals(1_208, count(c -> (" " + c + " ").contains(" turn left ") && !c.equals("turn left")));
    }

    @Test
    void makesEachSentenceTypeInEqualNumbers() {
        assertEquals(102, count(c -> !c.contains(" and ") && !c.contains(" after ")));
        assertEquals(102 * 102, count(c -> c.contains(" and ")));
        assertEquals(102 * 102, count(c -> c.contains(" after ")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "jump                        | I_JUMP",
        "jump twice                  | I_JUMP I_JUMP",
        "turn left twice             | I_TURN_LEFT I_TURN_LEFT",
        "walk opposite left          | I_TURN_LEFT I_TURN_LEFT I_WALK",
        "turn opposite right         | I_TURN_RIGHT I_TURN_RIGHT",
        "turn around left            | I_TURN_LEFT I_TURN_LEFT I_TURN_LEFT I_TURN_LEFT",
        "run left after walk         | I_WALK I_TURN_LEFT I_RUN",
        "jump twice after walk left  | I_TURN_LEFT I_WALK I_JUMP I_JUMP",
        "walk and run thrice         | I_WALK I_RUN I_RUN I_RUN",
    })
    void interpretsThePapersExamples(String command, String actions) {
        assertEquals(actions, ScanGrammar.interpret(command));
    }

    @Test
    void interpretsAroundAsFourTurnsEachBeforeTheAction() {
        String lookAround = "I_TURN_RIGHT I_LOOK ".repeat(4).strip();
        assertEquals(lookAround, ScanGrammar.interpret("look around right"));
        assertEquals("I_TURN_RIGHT I_JUMP ".repeat(4) + "I_WALK", ScanGrammar.interpret("jump around right and walk"));
        String lookOpposite = "I_TURN_RIGHT I_TURN_RIGHT I_LOOK";
        assertEquals("I_TURN_LEFT " + String.join(" ", lookOpposite, lookOpposite, lookOpposite),
                ScanGrammar.interpret("look opposite right thrice after turn left"));
    }

    @Test
    void interpretsTheLongestCommandAs48Actions() {
        String once = "I_TURN_RIGHT I_JUMP ".repeat(4).strip();
        String thrice = String.join(" ", once, once, once);
        assertEquals(thrice + " " + thrice,
                ScanGrammar.interpret("jump around right thrice and jump around right thrice"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"turn", "walk walk", "jump twice thrice", "walk and run and look",
        "walk and look after run", "fly left", "walk up", "walk opposite", "turn opposite twice", "",
        "walk around left right"})
    void refusesStringsTheGrammarDoesNotMake(String notScan) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ScanGrammar.interpret(notScan));
        assertEquals("not a SCAN command: '" + notScan + "'", e.getMessage());
    }
}
