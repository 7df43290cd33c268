package dev.sedge.formats.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sedge.api.checkpoint.Checkpoint;
import dev.sedge.api.checkpoint.CheckpointFormat;
import dev.sedge.api.checkpoint.Tensor;
import dev.sedge.api.checkpoint.TensorInfo;
import dev.sedge.core.format.SafetensorsFormat;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Compares a checkpoint with the safetensors reference of the same values, read by core's
 * safetensors reader (a test-scoped dependency: plugins never depend on core).
 */
public final class Reference {

    /** The reference format. */
    public static final CheckpointFormat SAFETENSORS = new SafetensorsFormat();

    private Reference() {
    }

    /**
     * Asserts that {@code file}, opened with {@code format}, holds exactly the tensors of the
     * safetensors file {@code reference}: the same names (in the same order if {@code ordered}),
     * dtypes, shapes, and bit-identical values (floating tensors; others by info only).
     */
    public static void assertSameAs(CheckpointFormat format, Path file, String reference, boolean ordered) {
        try (Checkpoint actual = format.open(file); Checkpoint expected = SAFETENSORS.open(Fixtures.file(reference))) {
            if (ordered) {
                assertEquals(expected.tensors(), actual.tensors(), file.toString());
            } else {
                assertEquals(Set.copyOf(expected.tensors()), Set.copyOf(actual.tensors()), file.toString());
            }
            for (TensorInfo info : expected.tensors()) {
                if (info.dtype().isFloating()) {
                    Tensor want = expected.tensor(info.name());
                    Tensor got = actual.tensor(info.name());
                    assertEquals(want, got, file + " tensor " + info.name() + " is not bit-identical to " + reference);
                    float[] viaRead = new float[(int) info.elementCount()];
                    actual.read(info.name(), viaRead, 0);
                    assertTrue(java.util.Arrays.equals(want.floats(), viaRead), file + " read(" + info.name() + ")");
                }
            }
        }
    }

    /** Every fixture a format other than {@code own} reads, for recognition checks: one of each kind. */
    public static List<Path> samples() {
        return List.of(Fixtures.file("traj/step-0.safetensors"), Fixtures.file("traj/step-0.npz"),
                Fixtures.file("traj/step-0.pt"), Fixtures.file("onnx/mlp.onnx"), Fixtures.file("variants/layer1-weight.npy"),
                Fixtures.file("bad/legacy.pt"));
    }
}
