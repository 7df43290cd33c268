package dev.sedge.optimizers;

import java.util.List;
import java.util.regex.Pattern;

/**
 * A set of parameter-name globs, with the syntax of
 * {@link dev.sedge.api.model.ParameterGroup#glob()}: {@code *} matches any run of characters,
 * {@code ?} one character, everything else itself. Immutable.
 */
final class NameGlob {

    private final List<Pattern> patterns;

    /** @param globs not modified */
    NameGlob(List<String> globs) {
        this.patterns = globs.stream().map(NameGlob::compile).toList();
    }

    private static Pattern compile(String glob) {
        StringBuilder regex = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }

    /** Whether any glob matches the whole of {@code name}. */
    boolean matches(String name) {
        return patterns.stream().anyMatch(p -> p.matcher(name).matches());
    }
}
