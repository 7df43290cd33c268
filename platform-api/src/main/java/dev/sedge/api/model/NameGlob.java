package dev.sedge.api.model;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A pattern over tensor names, the syntax of {@link ParameterGroup#glob()} and of
 * {@code spectrum.group}: {@code *} matches any run of characters (dots included), {@code ?} one
 * character, everything else itself. Several patterns may be joined with commas:
 * {@code layer1.*,embed.*}. The one matcher of these patterns, for the host and plugins alike.
 * Immutable.
 */
public record NameGlob(String pattern) {

    public NameGlob {
        Objects.requireNonNull(pattern, "pattern");
        if (pattern.isBlank()) {
            throw new IllegalArgumentException("a tensor-name pattern must not be blank");
        }
    }

    /**
     * The patterns {@code globs}, any of which may match.
     *
     * @throws IllegalArgumentException if {@code globs} is empty or holds a blank pattern
     */
    public static NameGlob anyOf(List<String> globs) {
        if (globs.isEmpty() || globs.stream().anyMatch(String::isBlank)) {
            throw new IllegalArgumentException("expected one or more non-blank tensor-name patterns, found " + globs);
        }
        return new NameGlob(String.join(",", globs));
    }

    /** Whether {@code name} matches one of the comma-separated patterns. */
    public boolean matches(String name) {
        return regex().matcher(name).matches();
    }

    private Pattern regex() {
        StringBuilder out = new StringBuilder();
        for (String part : pattern.split(",")) {
            if (!out.isEmpty()) {
                out.append('|');
            }
            out.append("(?:");
            for (char c : part.strip().toCharArray()) {
                switch (c) {
                    case '*' -> out.append(".*");
                    case '?' -> out.append('.');
                    default -> out.append(Pattern.quote(String.valueOf(c)));
                }
            }
            out.append(')');
        }
        return Pattern.compile(out.toString());
    }

    @Override
    public String toString() {
        return pattern;
    }
}
