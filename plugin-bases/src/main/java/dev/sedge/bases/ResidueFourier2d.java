package dev.sedge.bases;

import dev.sedge.api.basis.Basis;
import dev.sedge.api.basis.ModeSpectrum;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * 2-D Fourier modes over a pair of residues (s, t) ∈ Z_M × Z_M assigned to each input, the
 * two-coordinate {@link ResidueFourier}. The function is averaged within each cell (f̄[s, t]); cells
 * no input takes get the mean of the occupied cells, so they add nothing once DC is dropped, and
 * inputs without residues (s = −1 or t = −1) are left out. The transform at the character (u, v) ∈
 * Z_M² is F(u, v) = Σ_{s,t} f̄[s, t] e^{−2πi(us + vt)/M}.
 *
 * <p>The modes are the characters other than (0, 0), with (u, v) and (−u, −v) merged into one (f̄ is
 * real, so |F(−u, −v)| = |F(u, v)|): the mode's power is |F(u, v)|² + |F(−u, −v)|², that is
 * 2|F(u, v)|², or |F(u, v)|² once for a character that is its own conjugate (only for an even M:
 * (0, M/2), (M/2, 0), (M/2, M/2)). So the raw powers sum to Σ_{(u,v)≠(0,0)} |F(u, v)|² =
 * M² Σ_{s,t} (f̄[s, t] − mean)² (Parseval), the {@link ModeSpectrum#energy()}. A mode is labelled by
 * its representative, the one of (u, v) and (−u mod M, −v mod M) that comes first ordered by u, then
 * v, both in [0, M): {@code (u,v)=(3,5)}, never {@code (94,92)} for M = 97. The modes are listed in
 * that order, so u runs over 0..⌊M/2⌋; there are (M² − 1)/2 for an odd M and (M² + 2)/2 for an even
 * M.
 *
 * <p>{@link #shares} splits the power three ways: modes with u ≡ v (functions of s + t), with u ≡ −v
 * (of s − t; (M/2, M/2), both at once, counts with u ≡ v) and the rest, under names the basis
 * gives. The transform is separable: row transforms over t, then column transforms over s, O(M³)
 * with the cos/sin table made once. Shared by the bases that differ only in how they assign (s, t).
 * Immutable.
 */
final class ResidueFourier2d implements Basis {

    private static final byte DIAGONAL = 0;
    private static final byte ANTI_DIAGONAL = 1;
    private static final byte OFF_DIAGONAL = 2;

    private final String label;
    private final int modulus;
    /** Per input, its cell s·M + t, or −1 when it has no residues. */
    private final int[] cellOf;
    private final List<String> shareNames;
    private final double[] cos;
    private final double[] sin;
    /** Per mode: its representative (u, v), whether it is its own conjugate, and its share. */
    private final int[] modeU;
    private final int[] modeV;
    private final boolean[] selfConjugate;
    private final byte[] kind;
    private final List<String> labels;

    /**
     * @param label        what the modes are over, for reports
     * @param modulus      M ≥ 2
     * @param s            the first residue, in [0, M) per domain input, or −1 to leave the input out;
     *                     not modified
     * @param t            the second, likewise
     * @param diagonal     the name of the share of the modes with u ≡ v
     * @param antiDiagonal the name of the share of the modes with u ≡ −v and not u ≡ v
     * @param offDiagonal  the name of the share of the rest
     */
    ResidueFourier2d(String label, int modulus, int[] s, int[] t, String diagonal, String antiDiagonal,
            String offDiagonal) {
        this.label = label;
        this.modulus = modulus;
        this.cellOf = new int[s.length];
        for (int i = 0; i < s.length; i++) {
            cellOf[i] = s[i] >= 0 && t[i] >= 0 ? s[i] * modulus + t[i] : -1;
        }
        this.shareNames = List.of(diagonal, antiDiagonal, offDiagonal);
        this.cos = new double[modulus];
        this.sin = new double[modulus];
        for (int k = 0; k < modulus; k++) {
            double angle = 2 * Math.PI * k / modulus;
            cos[k] = Math.cos(angle);
            sin[k] = Math.sin(angle);
        }
        int modes = modulus % 2 == 0 ? (modulus * modulus + 2) / 2 : (modulus * modulus - 1) / 2;
        this.modeU = new int[modes];
        this.modeV = new int[modes];
        this.selfConjugate = new boolean[modes];
        this.kind = new byte[modes];
        List<String> names = new ArrayList<>(modes);
        for (int u = 0; u <= modulus / 2; u++) {
            for (int v = 0; v < modulus; v++) {
                int negU = (modulus - u) % modulus;
                int negV = (modulus - v) % modulus;
                boolean representative = u < negU || (u == negU && v <= negV);
                if ((u == 0 && v == 0) || !representative) {
                    continue;
                }
                int m = names.size();
                modeU[m] = u;
                modeV[m] = v;
                selfConjugate[m] = u == negU && v == negV;
                kind[m] = u == v ? DIAGONAL : u == negV ? ANTI_DIAGONAL : OFF_DIAGONAL;
                names.add("(u,v)=(" + u + "," + v + ")");
            }
        }
        this.labels = List.copyOf(names);
    }

    @Override
    public String label() {
        return label;
    }

    @Override
    public ModeSpectrum project(double[] function) {
        int m = modulus;
        double[] cell = ResidueFourier.cellMeans(function, cellOf, m * m, label);
        // f̄ − mean over the occupied cells; an empty cell is the mean, so 0 here. F(0, 0) becomes 0.
        double total = 0;
        int occupied = 0;
        for (double c : cell) {
            if (!Double.isNaN(c)) {
                total += c;
                occupied++;
            }
        }
        double mean = occupied > 0 ? total / occupied : 0;
        for (int c = 0; c < cell.length; c++) {
            cell[c] = Double.isNaN(cell[c]) ? 0 : cell[c] - mean;
        }
        // rows: R[s][v] = Σ_t f̄[s, t] e^{−2πivt/M}, for every v (the modes take all v for u ≥ 1)
        double[] rowRe = new double[m * m];
        double[] rowIm = new double[m * m];
        for (int row = 0; row < m; row++) {
            int base = row * m;
            for (int v = 0; v <= m / 2; v++) {
                double re = 0;
                double im = 0;
                int k = 0;
                for (int col = 0; col < m; col++) {
                    double value = cell[base + col];
                    re += value * cos[k];
                    im -= value * sin[k];
                    k += v;
                    if (k >= m) {
                        k -= m;
                    }
                }
                rowRe[base + v] = re;
                rowIm[base + v] = im;
                if (v > 0 && v < m - v) { // f̄ real: R[s][−v] is the conjugate of R[s][v]
                    rowRe[base + m - v] = re;
                    rowIm[base + m - v] = -im;
                }
            }
        }
        // columns: F(u, v) = Σ_s R[s][v] e^{−2πius/M}, for the representatives' u = 0..⌊M/2⌋
        double[] power = new double[labels.size()];
        int mode = 0;
        double[] re = new double[m];
        double[] im = new double[m];
        for (int u = 0; u <= m / 2 && mode < power.length; u++) {
            Arrays.fill(re, 0);
            Arrays.fill(im, 0);
            int k = 0;
            for (int row = 0; row < m; row++) {
                double c = cos[k];
                double sn = sin[k];
                int base = row * m;
                for (int v = 0; v < m; v++) {
                    double rowR = rowRe[base + v];
                    double rowI = rowIm[base + v];
                    re[v] += rowR * c + rowI * sn;
                    im[v] += rowI * c - rowR * sn;
                }
                k += u;
                if (k >= m) {
                    k -= m;
                }
            }
            while (mode < power.length && modeU[mode] == u) {
                int v = modeV[mode];
                double p = re[v] * re[v] + im[v] * im[v];
                power[mode] = selfConjugate[mode] ? p : 2 * p;
                mode++;
            }
        }
        return new ModeSpectrum(labels, power);
    }

    /**
     * The shares of modes with u ≡ v, with u ≡ −v and of the rest, under this basis's names.
     *
     * @throws IllegalArgumentException if this basis did not project {@code spectrum} (its modes differ)
     */
    @Override
    public Map<String, Double> shares(ModeSpectrum spectrum) {
        if (!spectrum.labels().equals(labels)) {
            throw new IllegalArgumentException("a spectrum of " + spectrum.size() + " modes is not one of " + label
                    + " (" + labels.size() + " modes)");
        }
        double[] power = spectrum.power();
        double[] share = new double[3];
        for (int mode = 0; mode < power.length; mode++) {
            share[kind[mode]] += power[mode];
        }
        Map<String, Double> shares = new LinkedHashMap<>();
        for (int k = 0; k < share.length; k++) {
            shares.put(shareNames.get(k), share[k]);
        }
        return Collections.unmodifiableMap(shares);
    }
}
