package dev.sedge.cli;

import dev.sedge.core.experiment.SpectrumSettings;
import dev.sedge.core.run.LayoutEntry;
import dev.sedge.core.run.ManifestFile;
import dev.sedge.core.run.RunLayout;
import dev.sedge.core.run.RunManifest;
import java.nio.file.Path;
import java.util.Map;

/**
 * The spectrum options that {@code sedge spectrum} and {@code sedge detect} take from a run
 * directory's {@code run.json} unless told otherwise: its {@code spectrum.group} (empty: the first
 * group named in its layout), window, stride and centering. A folder that is no run, or a run that
 * records no configuration, gets the defaults (group {@code *}).
 *
 * @param recorded whether the values come from a run's configuration
 */
record OwnSpectrum(String group, int window, int stride, boolean centered, boolean recorded) {

    static OwnSpectrum of(Path source) {
        RunManifest manifest = RunLayout.isRun(source) ? ManifestFile.read(new RunLayout(source).manifest()) : null;
        Map<String, String> config = manifest == null ? Map.of() : manifest.provenance().config();
        SpectrumSettings own = SpectrumSettings.recorded(config);
        String group = !own.group().isEmpty() ? own.group()
                : manifest == null ? "*"
                : manifest.layout().stream().map(LayoutEntry::group).filter(g -> !g.isEmpty()).findFirst().orElse("*");
        return new OwnSpectrum(group, own.window(), own.stride(), own.centered(), !config.isEmpty());
    }
}
