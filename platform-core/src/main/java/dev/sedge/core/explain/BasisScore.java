package dev.sedge.core.explain;

import dev.sedge.api.basis.Basis;
import dev.sedge.api.basis.ModeSpectrum;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * How well one basis explains one function: its concentration F (the largest normalised mode power),
 * the peak mode, the three strongest, and a permutation p-value: the share of shuffles of the function
 * over the inputs (which keep its values, and break their tie to the task's coordinates) whose F is at
 * least as high, (1 + #{F_shuffled ≥ F}) / (1 + N). A function that is one clean mode of the basis has
 * p at the floor 1/(1 + N); one the basis sees as noise has p near uniform.
 *
 * @param basis         the basis plugin's name
 * @param label         what its modes are over ({@code fourier over y (mod 71)})
 * @param concentration F, in [0, 1]
 * @param uniform       F of a function spread evenly over the modes, 1 / modes
 * @param peak          the strongest mode's label
 * @param top           the three strongest modes' labels, strongest first
 * @param pValue        the permutation p-value, in (0, 1]
 * @param permutations  N, the shuffles it was computed from
 * @param shares        the basis's named shares of the power ({@link Basis#shares}); often none
 * @param spectrum      the power in each mode, normalised (what F, the peak and the top are read off)
 */
public record BasisScore(String basis, String label, double concentration, double uniform, String peak,
                         List<String> top, double pValue, int permutations, Map<String, Double> shares,
                         ModeSpectrum spectrum) {

    /**
     * Best first: the smallest p-value (the mode is the task's, not chance); at equal p the largest
     * concentration F (the function is closest to one clean mode), F compared to 9 decimals so that a
     * function of a + b, which has the same F over a + b and over (a, b), ties; then the fewest modes
     * (the simpler basis). Not the lift: F over 1/modes grows with the number of modes, and would put a
     * 2-D basis of thousands of modes above the 1-D basis that says the same thing.
     */
    public static final Comparator<BasisScore> BEST_FIRST = Comparator.comparingDouble(BasisScore::pValue)
            .thenComparing(Comparator.comparingLong((BasisScore s) -> Math.round(s.concentration() * 1e9)).reversed())
            .thenComparing(Comparator.comparingDouble(BasisScore::uniform).reversed());

    public BasisScore {
        Objects.requireNonNull(basis, "basis");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(peak, "peak");
        top = List.copyOf(top);
        shares = Collections.unmodifiableMap(new LinkedHashMap<>(shares));
        Objects.requireNonNull(spectrum, "spectrum");
    }

    /** F over its uniform baseline: 1 for a function spread evenly, the number of modes for one mode. */
    public double lift() {
        return concentration / uniform;
    }

    /**
     * Scores {@code function} in {@code basis}.
     *
     * @param function     one value per domain input; not modified
     * @param permutations N ≥ 1 shuffles
     * @param seed         the shuffles' seed: the same seed gives the same p-value
     */
    public static BasisScore of(String name, Basis basis, double[] function, int permutations, long seed) {
        if (permutations < 1) {
            throw new IllegalArgumentException("permutations must be >= 1, found " + permutations);
        }
        ModeSpectrum spectrum = basis.project(function);
        double f = spectrum.concentration();
        SplittableRandom random = new SplittableRandom(seed);
        double[] shuffled = function.clone();
        int atLeast = 0;
        for (int n = 0; n < permutations; n++) {
            for (int i = shuffled.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                double t = shuffled[i];
                shuffled[i] = shuffled[j];
                shuffled[j] = t;
            }
            if (basis.project(shuffled).concentration() >= f) {
                atLeast++;
            }
        }
        double[] power = spectrum.power();
        List<String> top = new ArrayList<>();
        IntStream.range(0, power.length).boxed().sorted((a, b) -> Double.compare(power[b], power[a])).limit(3)
                .forEach(i -> top.add(spectrum.labels().get(i)));
        return new BasisScore(name, basis.label(), f, spectrum.uniformBaseline(), spectrum.labels().get(spectrum.peak()),
                top, (1.0 + atLeast) / (1.0 + permutations), permutations, basis.shares(spectrum), spectrum);
    }
}
