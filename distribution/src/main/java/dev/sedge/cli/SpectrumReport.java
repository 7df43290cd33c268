package dev.sedge.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sedge.core.trajectory.SpectrumJob;
import dev.sedge.spectral.SpectralOptions;
import dev.sedge.spectral.WindowSpectrum;
import java.util.Locale;

/** Renders the result of {@code sedge spectrum}, as text or JSON. */
final class SpectrumReport {


    private SpectrumReport() {
    }

    static String text(SpectrumJob.Result r, SpectralOptions options) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%d checkpoints, p = %d (%d tensor%s), %d window%s of W = %d%s%s -> %s%n",
                r.checkpoints(), r.dimension(), r.tensors().size(), r.tensors().size() == 1 ? "" : "s", r.windows(),
                r.windows() == 1 ? "" : "s", options.window(), options.centered() ? " (centered)" : "",
                options.sketched() ? String.format(Locale.ROOT, ", sketched to d = %d (%s, seed %d)",
                        options.sketchDimension(), options.sketchTransform().label(), options.sketchSeed()) : "",
                r.out()));
        boolean large = r.groupBytes() >= 1e9;
        double unit = large ? 1e9 : 1e6;
        String name = large ? "GB" : "MB";
        out.append(String.format(Locale.ROOT, "read %.3g %s of the group in %.2f s (%.3g %s/s), %s%n",
                r.groupBytes() / unit, name, r.seconds(), r.bytesPerSecond() / unit, name, r.streamed() ? "streamed from the files"
                        : options.sketched() ? "copied onto the heap (a sketch projects each update there)"
                        : "copied onto the heap (the group is not stored as plain float32; docs/spectrum.md, Cost)"));
        r.last().ifPresent(w -> {
            out.append(String.format(Locale.ROOT, "last window, step %d: k* = %d (weighted %d), g23 = %.6g%n",
                    w.step(), w.kstar(), w.kstarWeighted(), w.g23()));
            out.append("  sigma (singular values):");
            for (int j = 1; j <= Math.min(5, w.width()); j++) {
                out.append(String.format(Locale.ROOT, " %.6g", w.sigma(j)));
            }
            out.append(w.width() > 5 ? " ...\n" : "\n");
        });
        return out.toString();
    }

    static String json(SpectrumJob.Result r, SpectralOptions options) {
        ObjectNode root = JsonOutput.document();
        root.put("out", r.out().toString());
        root.put("checkpoints", r.checkpoints());
        root.put("windows", r.windows());
        root.put("dimension", r.dimension());
        r.tensors().forEach(root.putArray("tensors")::add);
        root.put("streamed", r.streamed());
        root.put("group_bytes", r.groupBytes());
        root.put("seconds", r.seconds());
        ObjectNode o = root.putObject("options");
        o.put("window", options.window());
        o.put("stride", options.stride());
        o.put("centered", options.centered());
        o.put("sketch", options.sketchDimension());
        if (options.sketched()) {
            o.put("sketch_transform", options.sketchTransform().label());
        } else {
            o.putNull("sketch_transform");
        }
        r.last().ifPresent(w -> last(root.putObject("last"), w));
        return JsonOutput.render(root);
    }

    private static void last(ObjectNode node, WindowSpectrum w) {
        node.put("step", w.step());
        ArrayNode sigma = node.putArray("sigma");
        ArrayNode lambda = node.putArray("lambda");
        for (int j = 1; j <= w.width(); j++) {
            sigma.add(w.sigma(j));
            lambda.add(w.lambda(j));
        }
        node.put("kstar", w.kstar());
        node.put("kstar_weighted", w.kstarWeighted());
        node.put("g23", w.g23());
    }
}
