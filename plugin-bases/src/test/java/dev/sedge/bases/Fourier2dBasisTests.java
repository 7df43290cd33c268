package dev.sedge.bases;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sedge.api.NumericException;
import dev.sedge.api.PluginConfig;
import dev.sedge.api.basis.Basis;
import dev.sedge.api.basis.ModeSpectrum;
import dev.sedge.api.task.InputDomain;
import dev.sedge.testkit.BasisContract;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class Fourier2dBasisTests {

    private static final int P = 97;
    private final Fourier2dBasis fourier2d = new Fourier2dBasis();

    private Basis basis(InputDomain domain) {
        return fourier2d.create(PluginConfig.defaults("basis.fourier2d", fourier2d.descriptor()), domain).orElseThrow();
    }

    private Basis basis(InputDomain domain, String coordinates) {
        return fourier2d.create(PluginConfig.of("basis.fourier2d", fourier2d.descriptor(),
                Map.of("coordinates", coordinates)), domain).orElseThrow();
    }

    /** f(a, b) over the domain's inputs. */
    private static double[] function(InputDomain domain, CellFunction f) {
        double[] values = new double[domain.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = f.apply(domain.value("a", i), domain.value("b", i));
        }
        return values;
    }

    /** A function of the cell (a, b). */
    private interface CellFunction {
        double apply(int a, int b);
    }

    /** Inputs at the given cells (a, b) mod m, with y = a + b. */
    private static InputDomain cells(int m, List<int[]> cells) {
        int n = cells.size();
        int[] a = new int[n];
        int[] b = new int[n];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = cells.get(i)[0];
            b[i] = cells.get(i)[1];
            y[i] = (a[i] + b[i]) % m;
        }
        return InputDomain.builder(n).coordinate("a", m, a).coordinate("b", m, b).coordinate("y", m, y).build();
    }

    /**
     * The spectrum by the definition, O(M⁴): the cell means, empty cells at the mean of the occupied
     * ones, F(u, v) summed directly, and each label's power |F(u, v)|² + |F(−u, −v)|², once for a
     * self-conjugate (u, v). Unnormalised, in the basis's label order.
     */
    private static double[] direct(InputDomain domain, double[] f, List<String> labels) {
        int m = domain.modulus("a");
        double[][] sum = new double[m][m];
        int[][] count = new int[m][m];
        for (int i = 0; i < f.length; i++) {
            sum[domain.value("a", i)][domain.value("b", i)] += f[i];
            count[domain.value("a", i)][domain.value("b", i)]++;
        }
        double total = 0;
        int occupied = 0;
        for (int a = 0; a < m; a++) {
            for (int b = 0; b < m; b++) {
                if (count[a][b] > 0) {
                    total += sum[a][b] / count[a][b];
                    occupied++;
                }
            }
        }
        double[][] mean = new double[m][m];
        for (int a = 0; a < m; a++) {
            for (int b = 0; b < m; b++) {
                mean[a][b] = count[a][b] > 0 ? sum[a][b] / count[a][b] : total / occupied;
            }
        }
        double[] power = new double[labels.size()];
        for (int k = 0; k < power.length; k++) {
            String[] uv = labels.get(k).replace("(u,v)=(", "").replace(")", "").split(",");
            int u = Integer.parseInt(uv[0]);
            int v = Integer.parseInt(uv[1]);
            double p = squaredModulus(mean, u, v);
            boolean self = (2 * u) % m == 0 && (2 * v) % m == 0;
            power[k] = self ? p : p + squaredModulus(mean, (m - u) % m, (m - v) % m);
        }
        return power;
    }

    private static double squaredModulus(double[][] f, int u, int v) {
        int m = f.length;
        double re = 0;
        double im = 0;
        for (int a = 0; a < m; a++) {
            for (int b = 0; b < m; b++) {
                double angle = 2 * Math.PI * ((u * a + v * b) % m) / m;
                re += f[a][b] * Math.cos(angle);
                im -= f[a][b] * Math.sin(angle);
            }
        }
        return re * re + im * im;
    }

    private static void assertMatchesTheDefinition(InputDomain domain, double[] f) {
        Basis basis = new Fourier2dBasis().create(PluginConfig.defaults("basis.fourier2d",
                new Fourier2dBasis().descriptor()), domain).orElseThrow();
        ModeSpectrum spectrum = basis.project(f);
        double[] expected = direct(domain, f, spectrum.labels());
        double total = 0;
        for (double p : expected) {
            total += p;
        }
        assertEquals(total, spectrum.energy(), 1e-9 * total);
        double[] power = spectrum.power();
        for (int k = 0; k < power.length; k++) {
            assertEquals(expected[k] / total, power[k], 1e-12, spectrum.labels().get(k));
        }
    }

    @Test
    void passesTheBasisContract() {
        BasisContract.check(fourier2d, PluginConfig.defaults("basis.fourier2d", fourier2d.descriptor()),
                ModularDomains.of(11, Integer::sum));
        BasisContract.check(fourier2d, PluginConfig.defaults("basis.fourier2d", fourier2d.descriptor()),
                ModularDomains.of(6, Integer::sum));
    }

    @Test
    void hasEveryCharacterButDcOnceLabelledByTheFirstOfItsPair() {
        for (int m : new int[] {7, 6, 2}) {
            List<String> labels = basis(ModularDomains.of(m, Integer::sum)).project(new double[m * m]).labels();
            Set<String> expected = new HashSet<>();
            for (int u = 0; u < m; u++) {
                for (int v = 0; v < m; v++) {
                    int negU = (m - u) % m;
                    int negV = (m - v) % m;
                    if ((u != 0 || v != 0) && (u < negU || u == negU && v <= negV)) {
                        expected.add("(u,v)=(" + u + "," + v + ")");
                    }
                }
            }
            assertEquals(expected, new HashSet<>(labels), "M = " + m);
            assertEquals(expected.size(), labels.size(), "M = " + m + ": no mode twice");
        }
        assertEquals((P * P - 1) / 2, basis(ModularDomains.of(P, Integer::sum)).project(new double[P * P]).size());
        assertEquals((36 + 2) / 2, basis(ModularDomains.of(6, Integer::sum)).project(new double[36]).size(),
                "(0,3), (3,0) and (3,3) are their own conjugates");
    }

    @Test
    void findsAPlantedModeOffTheDiagonals() {
        InputDomain domain = ModularDomains.of(P, Integer::sum);
        Basis basis = basis(domain);
        ModeSpectrum spectrum = basis.project(
                function(domain, (a, b) -> 2 + Math.cos(2 * Math.PI * (3 * a + 5 * b) / P + 0.3)));

        assertEquals("(u,v)=(3,5)", spectrum.labels().get(spectrum.peak()));
        assertEquals(1.0, spectrum.concentration(), 1e-12);
        Map<String, Double> shares = basis.shares(spectrum);
        assertEquals(List.of("diagonal", "anti_diagonal", "off_diagonal"), new ArrayList<>(shares.keySet()));
        assertEquals(1.0, shares.get("off_diagonal"), 1e-12);

        ModeSpectrum conjugate = basis.project(
                function(domain, (a, b) -> Math.sin(2 * Math.PI * (95 * a + 5 * b) / P)));
        assertEquals("(u,v)=(2,92)", conjugate.labels().get(conjugate.peak()), "(95, 5) is merged into (2, 92)");
        assertEquals(1.0, conjugate.concentration(), 1e-12);

        ModeSpectrum swapped = basis(domain, "b,a").project(
                function(domain, (a, b) -> Math.cos(2 * Math.PI * (3 * a + 5 * b) / P)));
        assertEquals("(u,v)=(5,3)", swapped.labels().get(swapped.peak()), "over (b, a)");
        assertEquals("fourier over (b, a) (mod 97)", basis(domain, "b,a").label());
    }

    @Test
    void putsAFunctionOfTheSumOnTheDiagonalAndOfTheDifferenceOnTheAntiDiagonal() {
        for (int m : new int[] {P, 6}) {
            InputDomain domain = ModularDomains.of(m, Integer::sum);
            Basis basis = basis(domain);
            double[] h = new SplittableRandom(m).doubles(m, -1, 1).toArray();
            for (int c = 0; c < m; c++) {
                h[c] += c % 2 == 0 ? 0.5 : -0.5; // for an even M, a clear (−1)^c part
            }
            Map<String, Double> sum = basis.shares(basis.project(function(domain, (a, b) -> h[(a + b) % m])));
            ModeSpectrum differenceSpectrum = basis.project(function(domain, (a, b) -> h[Math.floorMod(a - b, m)]));
            Map<String, Double> difference = basis.shares(differenceSpectrum);

            assertEquals(1.0, sum.get("diagonal"), 1e-12, "M = " + m + ": " + sum);
            assertEquals(1.0, sum.values().stream().mapToDouble(Double::doubleValue).sum(), 1e-12);
            // for an even M, (M/2, M/2) is a mode of a − b too, (−1)^(a − b) = (−1)^(a + b): diagonal
            double corner = m % 2 == 0 ? differenceSpectrum.power()[differenceSpectrum.labels().indexOf(
                    "(u,v)=(" + m / 2 + "," + m / 2 + ")")] : 0;
            assertTrue(m % 2 == 1 || corner > 0.05, "M = " + m + ": h has a (−1)^(a − b) part: " + corner);
            assertEquals(corner, difference.get("diagonal"), 1e-12, "M = " + m + ": " + difference);
            assertEquals(1.0 - corner, difference.get("anti_diagonal"), 1e-12, "M = " + m + ": " + difference);
            assertEquals(0.0, difference.get("off_diagonal"), 1e-12, "M = " + m + ": " + difference);
        }
    }

    @Test
    void matchesTheDirectSumOverEveryCharacter() {
        SplittableRandom random = new SplittableRandom(11);
        for (int m : new int[] {7, 6}) {
            List<int[]> twice = new ArrayList<>();
            for (int k = 0; k < 2 * m * m; k++) {
                twice.add(new int[] {(k / m) % m, k % m});
            }
            InputDomain domain = cells(m, twice);
            assertMatchesTheDefinition(domain, random.doubles(domain.size(), -1, 1).toArray());
        }
    }

    @Test
    void fillsCellsNoInputTakesWithTheMean() {
        List<int[]> withoutZeroB = new ArrayList<>();
        for (int a = 0; a < 7; a++) {
            for (int b = 1; b < 7; b++) {
                withoutZeroB.add(new int[] {a, b});
            }
        }
        InputDomain domain = cells(7, withoutZeroB);
        assertMatchesTheDefinition(domain, new SplittableRandom(3).doubles(domain.size(), -1, 1).toArray());

        double[] constant = new double[domain.size()];
        Arrays.fill(constant, 5);
        ModeSpectrum flat = basis(domain).project(constant);
        assertEquals(0.0, flat.energy(), "the empty cells add nothing to a constant");
        assertArrayEquals(new double[flat.size()], flat.power());
    }

    @Test
    void doesNotApplyWithoutTwoCoordinatesOfOneModulus() {
        InputDomain noB = InputDomain.builder(3).coordinate("a", 5, new int[] {0, 1, 2}).build();
        InputDomain twoModuli = InputDomain.builder(3).coordinate("a", 5, new int[] {0, 1, 2})
                .coordinate("b", 7, new int[] {0, 1, 6}).build();
        InputDomain modulusOne = InputDomain.builder(2).coordinate("a", 1, new int[] {0, 0})
                .coordinate("b", 1, new int[] {0, 0}).build();
        PluginConfig defaults = PluginConfig.defaults("basis.fourier2d", fourier2d.descriptor());

        assertTrue(fourier2d.create(defaults, noB).isEmpty());
        assertTrue(fourier2d.create(defaults, twoModuli).isEmpty());
        assertTrue(fourier2d.create(defaults, modulusOne).isEmpty());
        assertTrue(fourier2d.create(PluginConfig.of("basis.fourier2d", fourier2d.descriptor(),
                Map.of("coordinates", "a")), ModularDomains.of(5, Integer::sum)).isEmpty());
    }

    @Test
    void refusesTheSharesOfAnotherBasissSpectrum() {
        ModeSpectrum other = basis(ModularDomains.of(7, Integer::sum)).project(new double[49]);
        assertThrows(IllegalArgumentException.class, () -> basis(ModularDomains.of(11, Integer::sum)).shares(other));
    }

    @Test
    void refusesNaNNamingTheInput() {
        double[] f = new double[P * P];
        f[17] = Double.NaN;
        NumericException e = assertThrows(NumericException.class,
                () -> basis(ModularDomains.of(P, Integer::sum)).project(f));
        assertTrue(e.getMessage().contains("input 17"), e.getMessage());
    }
}
