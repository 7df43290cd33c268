package dev.sedge.core.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sedge.api.basis.Basis;
import dev.sedge.api.basis.ModeSpectrum;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BasisScoreTests {

    /** A spectrum for the ordering tests, which read the score's numbers only. */
    private static final ModeSpectrum ONE_MODE = new ModeSpectrum(List.of("ω=1"), new double[] {1});

    private static final int P = 31;

    /** Fourier over y = (a + b) mod p of the p² pairs, computed here directly. */
    private static final Basis OVER_Y = new Basis() {
        @Override
        public String label() {
            return "fourier over y (mod " + P + ")";
        }

        @Override
        public ModeSpectrum project(double[] function) {
            double[] mean = new double[P];
            for (int i = 0; i < function.length; i++) {
                mean[((i / P) + (i % P)) % P] += function[i] / P;
            }
            List<String> labels = new ArrayList<>();
            double[] power = new double[P / 2];
            for (int w = 1; w <= P / 2; w++) {
                double re = 0;
                double im = 0;
                for (int q = 0; q < P; q++) {
                    re += mean[q] * Math.cos(2 * Math.PI * w * q / P);
                    im -= mean[q] * Math.sin(2 * Math.PI * w * q / P);
                }
                power[w - 1] = re * re + im * im;
                labels.add("ω=" + w);
            }
            return new ModeSpectrum(labels, power);
        }
    };

    private static double[] planted(int omega, double noise, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] f = new double[P * P];
        for (int i = 0; i < f.length; i++) {
            int y = ((i / P) + (i % P)) % P;
            f[i] = 2 + Math.cos(2 * Math.PI * omega * y / P) + noise * random.nextGaussian();
        }
        return f;
    }

    @Test
    void aPlantedModeIsFoundAtItsFrequencyWithTheSmallestPValueTheShufflesAllow() {
        BasisScore score = BasisScore.of("fourier", OVER_Y, planted(7, 0.5, 1), 99, 42);

        assertEquals("ω=7", score.peak());
        assertEquals("ω=7", score.top().getFirst());
        assertEquals(3, score.top().size());
        assertTrue(score.concentration() > 0.9, "F = " + score.concentration());
        assertEquals(1.0 / 100, score.pValue(), 1e-15, "no shuffle reaches F: p at its floor 1/(N+1)");
        assertEquals(15 * score.concentration(), score.lift(), 1e-9, "15 modes: uniform F = 1/15");
    }

    @Test
    void noiseAloneIsNotSignificantAndTheSameSeedGivesTheSameP() {
        double[] noise = planted(7, 1e6, 2); // the mode drowned
        BasisScore score = BasisScore.of("fourier", OVER_Y, noise, 99, 42);

        assertTrue(score.pValue() > 0.05, "p = " + score.pValue());
        assertEquals(score, BasisScore.of("fourier", OVER_Y, noise, 99, 42));
    }

    @Test
    void ranksTheSmallestPValueFirstThenTheCleanestModeThenTheFewestModes() {
        BasisScore clean = new BasisScore("a", "a", 0.5, 0.1, "ω=1", List.of("ω=1"), 0.01, 99, Map.of(), ONE_MODE);
        BasisScore sharper = new BasisScore("b", "b", 0.9, 0.1, "ω=2", List.of("ω=2"), 0.01, 99, Map.of(), ONE_MODE);
        BasisScore noisy = new BasisScore("c", "c", 1.0, 0.5, "ω=3", List.of("ω=3"), 0.4, 99, Map.of(), ONE_MODE);
        BasisScore wide = new BasisScore("d", "d", 0.3, 1e-4, "ω=4", List.of("ω=4"), 0.01, 99, Map.of(), ONE_MODE);
        BasisScore sameInTwoD = new BasisScore("e", "e", 0.9 + 1e-13, 1e-4, "(u,v)=(2,2)", List.of(), 0.01, 99, Map.of(), ONE_MODE);
        List<BasisScore> scores = new ArrayList<>(List.of(noisy, wide, clean, sameInTwoD, sharper));
        scores.sort(BasisScore.BEST_FIRST);

        assertEquals(List.of("b", "e", "a", "d", "c"), scores.stream().map(BasisScore::basis).toList(),
                "d's lift is 3000, a's 5: F ranks, not the lift; b and e tie on F, and b has fewer modes");
        assertThrows(IllegalArgumentException.class, () -> BasisScore.of("fourier", OVER_Y, new double[P * P], 0, 1));
    }
}
