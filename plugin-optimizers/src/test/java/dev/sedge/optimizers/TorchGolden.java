package dev.sedge.optimizers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.sedge.api.djl.optim.OptimizerRun;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The golden values of {@code golden/torch-optimizers.txt}, made by
 * {@code golden/torch_optimizers.py} with PyTorch 1.13: the final θ of a few optimizers after
 * five float32 steps on the quadratic sum(a (θ − c)²)/2; and the same run here, on a DJL array.
 */
final class TorchGolden {

    static final int STEPS = 5;
    private static final float[] THETA0 = {0.5f, -1f, 2f, 0f, -0.25f, 1.5f};
    private static final float[] A = {1f, 2f, 0.5f, 3f, 1f, 0.1f};
    private static final float[] C = {0f, 1f, -1f, 0.5f, 0f, 2f};
    private static final Map<String, float[]> CASES = load();

    private TorchGolden() {
    }

    private static Map<String, float[]> load() {
        Map<String, float[]> cases = new LinkedHashMap<>();
        try (InputStream in = TorchGolden.class.getResourceAsStream("/golden/torch-optimizers.txt")) {
            if (in == null) {
                throw new IllegalStateException("golden/torch-optimizers.txt is missing from the test resources");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] fields = line.strip().split(" ");
                float[] values = new float[fields.length - 1];
                for (int i = 1; i < fields.length; i++) {
                    values[i - 1] = Float.parseFloat(fields[i]);
                }
                cases.put(fields[0], values);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return cases;
    }

    /**
     * Runs {@code run} (whose layout has one parameter "theta" of shape 2 × 3, or 3 × 2 when
     * {@code transposed}) on the quadratic and compares the final θ with case {@code id} to
     * {@link ReferenceCheck#TOLERANCE}.
     */
    static void check(String id, OptimizerRun run, NDManager manager, boolean transposed) {
        float[] golden = CASES.get(id);
        if (golden == null) {
            throw new IllegalArgumentException("no golden case " + id + "; the file has " + CASES.keySet());
        }
        Shape shape = transposed ? new Shape(3, 2) : new Shape(2, 3);
        NDArray theta = manager.create(layout(THETA0, transposed), shape);
        NDArray a = manager.create(layout(A, transposed), shape);
        NDArray c = manager.create(layout(C, transposed), shape);
        for (int step = 1; step <= STEPS; step++) {
            try (NDManager scope = manager.newSubManager()) {
                NDArray gradient = theta.sub(c).mul(a);
                gradient.attach(scope);
                run.update(step, "theta", theta, gradient, null);
            }
        }
        float[] found = theta.toFloatArray();
        for (int i = 0; i < golden.length; i++) {
            assertEquals(golden[i], found[i], ReferenceCheck.TOLERANCE, id + ": theta[" + i + "] of "
                    + Arrays.toString(found));
        }
    }

    /** Row-major 2 × 3 values, or their 3 × 2 transpose. */
    private static float[] layout(float[] values, boolean transposed) {
        if (!transposed) {
            return values.clone();
        }
        float[] t = new float[6];
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                t[j * 2 + i] = values[i * 3 + j];
            }
        }
        return t;
    }
}
