package dev.sedge.tasks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * SCAN's grammar and its interpretation (Lake and Baroni 2018, "Generalization without
 * Systematicity", ICML; the phrase-structure grammar and interpretation functions of its
 * supplementary material). docs/tasks.md has the rules.
 *
 * <pre>
 * C → S and S | S after S | S          ⟦S1 and S2⟧ = ⟦S1⟧ ⟦S2⟧,  ⟦S1 after S2⟧ = ⟦S2⟧ ⟦S1⟧
 * S → V twice | V thrice | V           ⟦V twice⟧ = ⟦V⟧ ⟦V⟧, …
 * V → D opposite D' | D around D' | D | U     (as "x opposite left", "x around right")
 * D → U left | U right | turn left | turn right
 * U → walk | look | run | jump
 * ⟦x left⟧ = LTURN ⟦x⟧, ⟦x opposite left⟧ = LTURN LTURN ⟦x⟧, ⟦x around left⟧ = (LTURN ⟦x⟧)×4,
 * with ⟦turn⟧ empty (⟦turn left⟧ = LTURN) and likewise for right.
 * </pre>
 *
 * <p>{@link #commands()} lists every command once, in a fixed order: the 34 phrases V (the four
 * primitives; then "x left", "x right", "x opposite left", …, "x around right" for x in walk, look,
 * run, jump, turn), each as V, V twice, V thrice (102 S), then C as every S alone, every "S1 and S2",
 * every "S1 after S2" (S1 outer, S2 inner): 102 + 2 × 102² = 20,910.
 */
final class ScanGrammar {

    /** The command words; a word's input token is its index here plus 1 (0 is PAD). */
    static final List<String> WORDS = List.of("walk", "look", "run", "jump", "turn", "left", "right", "opposite",
            "around", "twice", "thrice", "and", "after");

    /** The actions, as SCAN's files write them; an action's class is its index here. */
    static final List<String> ACTIONS = List.of("I_WALK", "I_LOOK", "I_RUN", "I_JUMP", "I_TURN_LEFT",
            "I_TURN_RIGHT");

    private static final List<String> PRIMITIVES = List.of("walk", "look", "run", "jump");

    private ScanGrammar() {
    }

    /** Every SCAN command, once each, in the order of the class comment. Immutable. */
    static List<String> commands() {
        return All.COMMANDS;
    }

    private static final class All {
        static final List<String> COMMANDS = enumerate();
    }

    private static List<String> enumerate() {
        List<String> phrases = new ArrayList<>(PRIMITIVES);
        for (String modifier : List.of("", "opposite ", "around ")) {
            for (String x : List.of("walk", "look", "run", "jump", "turn")) {
                phrases.add(x + " " + modifier + "left");
                phrases.add(x + " " + modifier + "right");
            }
        }
        List<String> s = new ArrayList<>();
        for (String v : phrases) {
            s.add(v);
            s.add(v + " twice");
            s.add(v + " thrice");
        }
        List<String> c = new ArrayList<>(s);
        for (String conjunction : List.of(" and ", " after ")) {
            for (String s1 : s) {
                for (String s2 : s) {
                    c.add(s1 + conjunction + s2);
                }
            }
        }
        return Collections.unmodifiableList(c);
    }

    /**
     * The action sequence of a command, by SCAN's interpretation functions.
     *
     * @param command words separated by single spaces: {@code "jump twice after walk left"}
     * @return the actions, space-separated: {@code "I_TURN_LEFT I_WALK I_JUMP I_JUMP"}
     * @throws IllegalArgumentException for a string the grammar does not make
     */
    static String interpret(String command) {
        List<String> words = List.of(command.split(" ", -1));
        List<String> out = new ArrayList<>();
        int and = words.indexOf("and");
        int after = words.indexOf("after");
        if (and >= 0 && after < 0) {
            sentence(words.subList(0, and), command, out);
            sentence(words.subList(and + 1, words.size()), command, out);
        } else if (after >= 0 && and < 0) {
            sentence(words.subList(after + 1, words.size()), command, out);
            sentence(words.subList(0, after), command, out);
        } else if (and < 0) {
            sentence(words, command, out);
        } else {
            throw notScan(command);
        }
        return String.join(" ", out);
    }

    private static void sentence(List<String> words, String command, List<String> out) {
        String last = words.isEmpty() ? "" : words.getLast();
        int times = switch (last) {
            case "twice" -> 2;
            case "thrice" -> 3;
            default -> 1;
        };
        List<String> phrase = times == 1 ? words : words.subList(0, words.size() - 1);
        List<String> once = phrase(phrase, command);
        for (int k = 0; k < times; k++) {
            out.addAll(once);
        }
    }

    private static List<String> phrase(List<String> words, String command) {
        if (words.isEmpty() || words.size() > 3) {
            throw notScan(command);
        }
        String x = words.getFirst();
        boolean turn = x.equals("turn");
        if (!turn && !PRIMITIVES.contains(x)) {
            throw notScan(command);
        }
        List<String> action = turn ? List.of() : List.of("I_" + x.toUpperCase(Locale.ROOT));
        if (words.size() == 1) {
            if (turn) {
                throw notScan(command);
            }
            return action;
        }
        String direction = switch (words.getLast()) {
            case "left" -> "I_TURN_LEFT";
            case "right" -> "I_TURN_RIGHT";
            default -> throw notScan(command);
        };
        int turns;
        int repeats;
        if (words.size() == 2) {
            turns = 1;
            repeats = 1;
        } else if (words.get(1).equals("opposite")) {
            turns = 2;
            repeats = 1;
        } else if (words.get(1).equals("around")) {
            turns = 1;
            repeats = 4;
        } else {
            throw notScan(command);
        }
        List<String> out = new ArrayList<>();
        for (int r = 0; r < repeats; r++) {
            for (int t = 0; t < turns; t++) {
                out.add(direction);
            }
            out.addAll(action);
        }
        return out;
    }

    private static IllegalArgumentException notScan(String command) {
        return new IllegalArgumentException("not a SCAN command: '" + command + "'");
    }
}
