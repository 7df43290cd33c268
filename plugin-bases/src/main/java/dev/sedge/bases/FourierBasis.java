package dev.sedge.bases;

import dev.sedge.api.ConfigKey;
import dev.sedge.api.PluginConfig;
import dev.sedge.api.PluginDescriptor;
import dev.sedge.api.basis.Basis;
import dev.sedge.api.basis.FunctionalBasis;
import dev.sedge.api.task.InputDomain;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fourier modes over one coordinate q ∈ Z_M of the inputs (docs/science.md, "Probe points and functional modes"),
 * as {@link ResidueFourier} computes them, or over a signed sum of coordinates of one modulus M,
 * {@code a+b} or {@code a-b}, taken mod M. The uniform baseline is 1/⌊M/2⌋ ≈ 2/M.
 *
 * <p>With the default coordinate {@code y} (the task's output) this is the additive basis
 * (q = (a + b) mod p for mod-add, (a − b) mod p for mod-sub) and the raw basis for mod-mul; with
 * {@code a+b} it is the additive basis of any task over (a, b), x² + y² included. Applies when every
 * coordinate named exists, with one modulus M ≥ 2.
 */
public final class FourierBasis implements FunctionalBasis {

    private static final String NAME = "[A-Za-z_][A-Za-z0-9_]*";
    /** A coordinate, or a signed sum of them: {@code y}, {@code a+b}, {@code a - b}. */
    private static final Pattern SUM = Pattern.compile("[+-]?\\s*" + NAME + "(\\s*[+-]\\s*" + NAME + ")*");
    private static final Pattern TERM = Pattern.compile("([+-]?)\\s*(" + NAME + ")");

    private static final PluginDescriptor DESCRIPTOR = PluginDescriptor.of(
            "Fourier modes over one integer coordinate of the inputs, or a signed sum of them (DC excluded)",
            ConfigKey.ofString("coordinate", "y", "the input coordinate q to group by, e.g. y (the output), a, b,"
                    + " or a signed sum of coordinates of one modulus, e.g. a+b, a-b"));

    @Override
    public String name() {
        return "fourier";
    }

    @Override
    public PluginDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Optional<Basis> create(PluginConfig config, InputDomain domain) {
        String expression = config.stringValue("coordinate").strip();
        if (!SUM.matcher(expression).matches()) {
            throw config.invalid("coordinate", "'" + expression + "' is neither a coordinate name nor a signed sum of"
                    + " them such as a+b");
        }
        List<String> names = new ArrayList<>();
        List<Integer> signs = new ArrayList<>();
        for (Matcher term = TERM.matcher(expression); term.find(); ) {
            signs.add(term.group(1).equals("-") ? -1 : 1);
            names.add(term.group(2));
        }
        int m = domain.sharedModulus(names).orElse(0);
        if (m < 2) {
            return Optional.empty();
        }
        int[] q = new int[domain.size()];
        for (int c = 0; c < names.size(); c++) {
            int[] values = domain.values(names.get(c));
            for (int i = 0; i < q.length; i++) {
                q[i] = Math.floorMod(q[i] + signs.get(c) * values[i], m);
            }
        }
        return Optional.of(new ResidueFourier("fourier over " + expression.replace(" ", "") + " (mod " + m + ")", m, q));
    }
}
