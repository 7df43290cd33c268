package dev.sedge.formats.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sedge.api.checkpoint.CheckpointFormat;
import dev.sedge.core.Progress;
import dev.sedge.core.format.SafetensorsFormat;
import dev.sedge.core.trajectory.CheckpointFormats;
import dev.sedge.core.trajectory.SpectrumJob;
import dev.sedge.formats.npy.NpzFormat;
import dev.sedge.formats.pytorch.PytorchFormat;
import dev.sedge.spectral.SpectralOptions;
import dev.sedge.spectral.SpectrumCsv;
import dev.sedge.spectral.WindowSpectrum;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same trajectory saved by PyTorch (.pt), numpy (.npz) and as safetensors gives the same
 * spectrum, to the bit, through {@code sedge spectrum}'s job with every format available.
 */
class CrossFormatSpectrumTests {

    @TempDir
    Path dir;

    private final CheckpointFormats formats = new CheckpointFormats(List.<CheckpointFormat>of(
            new SafetensorsFormat(), new NpzFormat(), new PytorchFormat()));

    /** Copies the fixture trajectory's files with one extension into a folder of their own. */
    private Path trajectory(String extension) throws IOException {
        Path folder = Files.createDirectories(dir.resolve(extension));
        try (Stream<Path> files = Files.list(Fixtures.root().resolve("traj"))) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith("." + extension)).toList()) {
                Files.copy(file, folder.resolve(file.getFileName()));
            }
        }
        return folder;
    }

    private List<WindowSpectrum> spectrum(String extension, String group) throws IOException {
        Path folder = trajectory(extension);
        SpectrumJob.Result result = new SpectrumJob(formats).run(new SpectrumJob.Request(folder, group,
                SpectralOptions.of(3).withThreads(1), dir.resolve(extension + ".csv")), Progress.NONE);
        assertEquals(6, result.checkpoints());
        return SpectrumCsv.read(result.out());
    }

    @Test
    void givesBitIdenticalSpectraFromPytorchNumpyAndSafetensors() throws IOException {
        for (String group : List.of("*", "layer1.*")) {
            List<WindowSpectrum> reference = spectrum("safetensors", group);
            assertEquals(3, reference.size(), "5 updates, W = 3");
            for (String extension : List.of("pt", "npz")) {
                List<WindowSpectrum> other = spectrum(extension, group);
                assertEquals(reference.size(), other.size());
                for (int i = 0; i < reference.size(); i++) {
                    assertEquals(reference.get(i).step(), other.get(i).step());
                    assertArrayEquals(reference.get(i).sigma(), other.get(i).sigma(), 0.0,
                            extension + " group " + group + " window " + i);
                }
            }
            Files.walk(dir).sorted(java.util.Comparator.reverseOrder()).filter(p -> !p.equals(dir))
                    .forEach(p -> p.toFile().delete());
        }
    }
}
