package dev.sedge.api;

import java.util.Arrays;
import java.util.List;

/** How a configuration value is written and parsed. */
public enum ConfigType {
    /** A 32-bit integer: {@code 71}. */
    INT,
    /** A 64-bit integer: {@code 1234567890123}. */
    LONG,
    /** A finite double: {@code 1e-3}. */
    DOUBLE,
    /** {@code true} or {@code false}. */
    BOOLEAN,
    /** Any text. */
    STRING,
    /** Comma-separated text items, blanks trimmed: {@code add,mul}. The empty string is the empty list. */
    LIST;

    /**
     * Parses {@code text} to an {@link Integer}, {@link Long}, {@link Double}, {@link Boolean},
     * {@link String} or {@code List<String>}.
     *
     * @throws IllegalArgumentException with a message saying what was expected
     */
    public Object parse(String text) {
        String t = text.strip();
        try {
            return switch (this) {
                case INT -> Integer.parseInt(t);
                case LONG -> Long.parseLong(t);
                case DOUBLE -> {
                    double d = Double.parseDouble(t);
                    if (!Double.isFinite(d)) {
                        throw new NumberFormatException();
                    }
                    yield d;
                }
                case BOOLEAN -> switch (t) {
                    case "true" -> Boolean.TRUE;
                    case "false" -> Boolean.FALSE;
                    default -> throw new IllegalArgumentException("expected true or false, found '" + text + "'");
                };
                case STRING -> text;
                case LIST -> t.isEmpty() ? List.of() : Arrays.stream(t.split(",")).map(String::strip).toList();
            };
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected " + describe() + ", found '" + text + "'", e);
        }
    }

    /** How a value of this type is described in messages and help: {@code an integer} … */
    public String describe() {
        return switch (this) {
            case INT -> "an integer";
            case LONG -> "a long integer";
            case DOUBLE -> "a finite number";
            case BOOLEAN -> "true or false";
            case STRING -> "text";
            case LIST -> "a comma-separated list";
        };
    }
}
