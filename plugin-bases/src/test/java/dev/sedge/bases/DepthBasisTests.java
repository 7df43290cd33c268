package dev.sedge.bases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sedge.api.PluginConfig;
import dev.sedge.api.basis.Basis;
import dev.sedge.api.basis.ModeSpectrum;
import dev.sedge.api.task.InputDomain;
import dev.sedge.testkit.BasisContract;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The depth basis on a domain shaped like Dyck-1's: 2000 strings with a maximum depth in 1 … 12 and a
 * pair count (both mod 13), functions planted on them.
 */
class DepthBasisTests {

    private static final int N = 2000;
    private final DepthBasis depth = new DepthBasis();

    private static InputDomain strings() {
        SplittableRandom random = new SplittableRandom(5);
        int[] maxDepth = new int[N];
        int[] pairs = new int[N];
        for (int i = 0; i < N; i++) {
            pairs[i] = 1 + random.nextInt(12);
            maxDepth[i] = 1 + random.nextInt(pairs[i]);
        }
        return InputDomain.builder(N).coordinate("depth", 13, maxDepth).coordinate("pairs", 13, pairs).build();
    }

    private Basis basis(InputDomain domain, String coordinate) {
        return depth.create(PluginConfig.of("basis.depth", depth.descriptor(), Map.of("coordinate", coordinate)),
                domain).orElseThrow();
    }

    @Test
    void passesTheBasisContract() {
        BasisContract.check(depth, PluginConfig.defaults("basis.depth", depth.descriptor()), strings());
    }

    @Test
    void aFunctionOfDepthAloneIsOneModeAndExplainsAllTheVariance() {
        InputDomain domain = strings();
        int[] d = domain.values("depth");
        double[] f = new double[N];
        for (int i = 0; i < N; i++) {
            f[i] = Math.sin(d[i]) + 0.1 * d[i] * d[i];
        }
        Basis basis = basis(domain, "depth");
        ModeSpectrum spectrum = basis.project(f);
        assertEquals("between", spectrum.labels().get(spectrum.peak()));
        assertEquals(1.0, spectrum.concentration(), 1e-12);
        assertEquals(0.5, spectrum.uniformBaseline(), 0.0);
        assertEquals(1.0, basis.shares(spectrum).get("explained"), 1e-12);
    }

    @Test
    void noiseSitsNearTheUniformBaselineAndExplainsAlmostNothing() {
        InputDomain domain = strings();
        double[] f = new SplittableRandom(9).doubles(N).toArray();
        Basis basis = basis(domain, "depth");
        ModeSpectrum spectrum = basis.project(f);
        // Between and within mean squares estimate one variance: their ANOVA ratio is F(11, 1988), about 1 ± 0.4.
        assertTrue(spectrum.power()[0] > 0.3 && spectrum.power()[0] < 0.7, "between share " + spectrum.power()[0]);
        double explained = basis.shares(spectrum).get("explained");
        assertTrue(explained < 0.02, "η² of noise, expected (G − 1)/(n − 1) = 0.0055: " + explained);
    }

    @Test
    void aFunctionOfDepthPlusNoiseExplainsItsShareOfTheVariance() {
        InputDomain domain = strings();
        int[] d = domain.values("depth");
        SplittableRandom random = new SplittableRandom(2);
        double[] f = new double[N];
        double signal = 0;
        double mean = 0;
        for (int i = 0; i < N; i++) {
            mean += d[i] / (double) N;
        }
        for (int i = 0; i < N; i++) {
            f[i] = d[i] + 2 * random.nextGaussian();
            signal += (d[i] - mean) * (d[i] - mean) / N;
        }
        Basis basis = basis(domain, "depth");
        ModeSpectrum spectrum = basis.project(f);
        assertEquals("between", spectrum.labels().get(spectrum.peak()));
        assertTrue(spectrum.concentration() > 0.95, "F " + spectrum.concentration());
        assertEquals(signal / (signal + 4), basis.shares(spectrum).get("explained"), 0.03);
    }

    @Test
    void aFunctionWhoseDepthMeansAreAllEqualPeaksWithin() {
        InputDomain domain = strings();
        int[] d = domain.values("depth");
        int[] seen = new int[13];
        int[] size = new int[13];
        for (int g : d) {
            size[g]++;
        }
        double[] f = new double[N];
        for (int i = 0; i < N; i++) {
            int k = seen[d[i]]++;
            f[i] = k == size[d[i]] - 1 && size[d[i]] % 2 == 1 ? 0 : (k % 2 == 0 ? 1 : -1);
        }
        Basis basis = basis(domain, "depth");
        ModeSpectrum spectrum = basis.project(f);
        assertEquals("within", spectrum.labels().get(spectrum.peak()), "every depth's mean is 0: less than chance");
        assertEquals(1.0, spectrum.concentration(), 1e-12);
        assertEquals(0.0, basis.shares(spectrum).get("explained"), 1e-12);
    }

    @Test
    void groupsByAnotherCoordinateWhenConfigured() {
        InputDomain domain = strings();
        int[] pairs = domain.values("pairs");
        double[] f = new double[N];
        for (int i = 0; i < N; i++) {
            f[i] = pairs[i] % 3;
        }
        ModeSpectrum spectrum = basis(domain, "pairs").project(f);
        assertEquals(1.0, spectrum.concentration(), 1e-12);
        assertTrue(basis(domain, "depth").project(f).concentration() < 1 - 1e-3, "not a function of depth");
    }

    @Test
    void doesNotApplyWithoutTheCoordinateOrWithOneGroup() {
        PluginConfig defaults = PluginConfig.defaults("basis.depth", depth.descriptor());
        assertTrue(depth.create(defaults, ModularDomains.of(11, Integer::sum)).isEmpty(), "mod-p has no depth");
        InputDomain flat = InputDomain.builder(10).coordinate("depth", 13, new int[10]).build();
        assertTrue(depth.create(defaults, flat).isEmpty(), "one group has no between-group variance");
    }
}
