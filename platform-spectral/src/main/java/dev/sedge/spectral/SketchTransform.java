package dev.sedge.spectral;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Which random map a sketched {@link SpectralEngine} applies to each update (docs/science.md,
 * "The rolling-window Gram matrix"; measured errors and costs in docs/benchmarks.md,
 * "Johnson–Lindenstrauss sketch"). Both have E‖Φx‖² = ‖x‖² and keep a planted spectral edge
 * equally well; they differ in cost and in the distribution of Φ's entries.
 */
public enum SketchTransform {

    /** {@link JlSketch}: i.i.d. (discretised) N(0, 1/d) entries, O(d·p) per update. */
    GAUSSIAN("gaussian"),

    /** {@link SrhtSketch}: a subsampled randomized Hadamard transform, O(p log p) per update, about independent of d. */
    SRHT("srht");

    /**
     * The transform of a new sketch when none is named: SRHT, whose errors on planted and random data
     * match the Gaussian sketch's (docs/benchmarks.md) at a small fraction of its cost.
     */
    public static final SketchTransform DEFAULT = SRHT;

    private final String label;

    SketchTransform(String label) {
        this.label = label;
    }

    /** The name the CLI and provenance use: {@code gaussian} or {@code srht}. */
    public String label() {
        return label;
    }

    /**
     * The transform named {@code label} (case-insensitive).
     *
     * @throws IllegalArgumentException if there is none, listing the names
     */
    public static SketchTransform parse(String label) {
        for (SketchTransform t : values()) {
            if (t.label.equals(label.toLowerCase(Locale.ROOT))) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown sketch transform '" + label + "'; use one of "
                + Arrays.stream(values()).map(SketchTransform::label).collect(Collectors.joining(", ")));
    }

    /**
     * A sketch of this kind.
     *
     * @param dimension d, ≥ 1
     * @param seed      any value; the map is a function of it
     */
    public Sketch sketch(int dimension, long seed) {
        return switch (this) {
            case GAUSSIAN -> new JlSketch(dimension, seed);
            case SRHT -> new SrhtSketch(dimension, seed);
        };
    }
}
