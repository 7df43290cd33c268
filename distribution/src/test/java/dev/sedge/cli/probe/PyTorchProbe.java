package dev.sedge.cli.probe;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Run by {@code TarballIT} on the tarball's own runtime, from the class path: loads DJL's
 * PyTorch engine from {@code lib/native} and adds three numbers. Prints
 * {@code PyTorch <version> sum=6.0}.
 */
public final class PyTorchProbe {

    private PyTorchProbe() {
    }

    public static void main(String[] args) {
        Engine engine = Engine.getEngine("PyTorch");
        try (NDManager manager = engine.newBaseManager()) {
            NDArray a = manager.create(new float[] {1f, 2f, 3f});
            System.out.println(engine.getEngineName() + " " + engine.getVersion() + " sum=" + a.sum().getFloat());
        }
    }
}
