package dev.sedge.formats.testing;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sedge.api.DataFormatException;
import dev.sedge.api.checkpoint.Checkpoint;
import dev.sedge.api.checkpoint.CheckpointFormat;
import dev.sedge.api.checkpoint.TensorInfo;
import dev.sedge.formats.npy.NpzFormat;
import dev.sedge.formats.onnx.OnnxFormat;
import dev.sedge.formats.pytorch.PytorchFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Damaged files (random byte changes and truncations of real fixtures, from a fixed seed) either
 * read or fail with a {@link DataFormatException} naming the file: never another exception, an
 * error, or a hang. {@value #DEFAULT_MUTANTS} mutants per file by default; explore further with
 * {@code -Dsedge.mutants=6000 -Dsedge.mutationSeed=17} (6000 × 9 files take about 30 s).
 */
class CorruptionTests {

    private static final int DEFAULT_MUTANTS = 300;
    private static final int MUTANTS = Integer.getInteger("sedge.mutants", DEFAULT_MUTANTS);

    @TempDir
    Path folder;

    @ParameterizedTest
    @CsvSource({"safetensors, traj/step-1.safetensors", "npz, traj/step-1.npz", "npz, variants/step-5-compressed.npz",
        "npz, variants/layer1-weight.npy", "npz, variants/step-5-zip64.npz", "pytorch, traj/step-1.pt", "pytorch, nested/nested.pt",
        "pytorch, nested/views.pt", "onnx, onnx/mlp.onnx", "onnx, onnx/typed-fields.onnx"})
    void damagedFilesFailOnlyWithADataFormatExceptionNamingTheFile(String formatName, String fixture) throws IOException {
        CheckpointFormat format = switch (formatName) {
            case "safetensors" -> Reference.SAFETENSORS;
            case "npz" -> new NpzFormat();
            case "pytorch" -> new PytorchFormat();
            default -> new OnnxFormat();
        };
        byte[] original = Files.readAllBytes(Fixtures.file(fixture));
        Random random = new Random(fixture.hashCode() ^ Long.getLong("sedge.mutationSeed", 0));
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int i = 0; i < MUTANTS; i++) {
                byte[] mutant = mutate(original, random);
                Path file = Files.write(folder.resolve("mutant-" + i), mutant);
                format.recognises(file); // must not throw
                try (Checkpoint checkpoint = format.open(file)) {
                    for (TensorInfo info : checkpoint.tensors()) {
                        if (info.dtype().isFloating()) {
                            checkpoint.tensor(info.name());
                        }
                    }
                } catch (DataFormatException e) {
                    assertTrue(e.getMessage().contains(file.toString()), "mutant " + i + ": " + e.getMessage());
                }
                Files.delete(file);
            }
        });
    }

    private static byte[] mutate(byte[] original, Random random) {
        if (random.nextInt(4) == 0) {
            return Arrays.copyOf(original, random.nextInt(original.length));
        }
        byte[] out = original.clone();
        for (int changes = 1 + random.nextInt(4); changes > 0; changes--) {
            int at = random.nextInt(out.length);
            out[at] = switch (random.nextInt(3)) {
                case 0 -> (byte) random.nextInt(256);
                case 1 -> (byte) (out[at] ^ (1 << random.nextInt(8)));
                default -> (byte) 0xFF;
            };
        }
        return out;
    }
}
