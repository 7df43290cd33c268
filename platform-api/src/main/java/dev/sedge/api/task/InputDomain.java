package dev.sedge.api.task;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * Every input of a task, with integer coordinates the functional bases group by.
 *
 * <p>A coordinate is a named integer per input together with its modulus M: for mod-p
 * arithmetic {@code a}, {@code b} and the output {@code y}, each in Z_p; for Dyck-1 a
 * {@code depth}. A basis reads a function over the domain as {@code double[size()]}, indexed
 * like the domain. Immutable.
 */
public final class InputDomain {

    private final int size;
    private final Map<String, int[]> values;
    private final Map<String, Integer> moduli;

    private InputDomain(int size, Map<String, int[]> values, Map<String, Integer> moduli) {
        this.size = size;
        this.values = values;
        this.moduli = moduli;
    }

    /** Starts a domain of {@code size} inputs. */
    public static Builder builder(int size) {
        return new Builder(size);
    }

    /** Number of inputs. */
    public int size() {
        return size;
    }

    /** Coordinate names, in the order they were added. */
    public List<String> coordinates() {
        return List.copyOf(values.keySet());
    }

    public boolean hasCoordinate(String name) {
        return values.containsKey(name);
    }

    /** The modulus M of a coordinate: its values lie in [0, M). */
    public int modulus(String name) {
        return moduli.get(require(name));
    }

    /**
     * The modulus every one of {@code names} has: what a basis or probe over several coordinates (a and b,
     * a + b) needs before it applies.
     *
     * @return empty when {@code names} is empty, a name is not a coordinate, or their moduli differ
     */
    public OptionalInt sharedModulus(List<String> names) {
        if (names.isEmpty() || !names.stream().allMatch(values::containsKey)) {
            return OptionalInt.empty();
        }
        int m = moduli.get(names.getFirst());
        return names.stream().allMatch(n -> moduli.get(n) == m) ? OptionalInt.of(m) : OptionalInt.empty();
    }

    /** The coordinate's value for every input. A new array. */
    public int[] values(String name) {
        return values.get(require(name)).clone();
    }

    /** The coordinate's value for input {@code index}. */
    public int value(String name, int index) {
        return values.get(require(name))[index];
    }

    private String require(String name) {
        if (!values.containsKey(name)) {
            throw new IllegalArgumentException("no coordinate '" + name + "'; this domain has " + values.keySet());
        }
        return name;
    }

    /** Builds an {@link InputDomain}. */
    public static final class Builder {
        private final int size;
        private final Map<String, int[]> values = new LinkedHashMap<>();
        private final Map<String, Integer> moduli = new LinkedHashMap<>();

        private Builder(int size) {
            if (size < 1) {
                throw new IllegalArgumentException("a domain needs at least one input, found " + size);
            }
            this.size = size;
        }

        /**
         * Adds a coordinate.
         *
         * @param values one per input, each in [0, modulus); not modified; copied
         */
        public Builder coordinate(String name, int modulus, int[] values) {
            Objects.requireNonNull(name, "name");
            if (values.length != size) {
                throw new IllegalArgumentException("coordinate " + name + " has " + values.length
                        + " values for " + size + " inputs");
            }
            if (modulus < 1) {
                throw new IllegalArgumentException("coordinate " + name + ": modulus must be >= 1, found " + modulus);
            }
            for (int v : values) {
                if (v < 0 || v >= modulus) {
                    throw new IllegalArgumentException("coordinate " + name + ": value " + v + " outside [0, "
                            + modulus + ")");
                }
            }
            if (this.values.putIfAbsent(name, values.clone()) != null) {
                throw new IllegalArgumentException("duplicate coordinate " + name);
            }
            moduli.put(name, modulus);
            return this;
        }

        public InputDomain build() {
            return new InputDomain(size, new LinkedHashMap<>(values), new LinkedHashMap<>(moduli));
        }
    }

    @Override
    public String toString() {
        return "InputDomain[size=" + size + ", coordinates=" + moduli + "]";
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof InputDomain d) || d.size != size || !d.moduli.equals(moduli)) {
            return false;
        }
        return values.keySet().stream().allMatch(k -> Arrays.equals(values.get(k), d.values.get(k)));
    }

    @Override
    public int hashCode() {
        return Objects.hash(size, moduli);
    }
}
