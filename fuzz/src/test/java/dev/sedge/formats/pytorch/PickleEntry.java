package dev.sedge.formats.pytorch;

/**
 * The fuzzer's door to the restricted unpickler, which is package-private: the fuzz module runs
 * on the class path, where this class shares the unpickler's package.
 */
public final class PickleEntry {

    private PickleEntry() {
    }

    /** Unpickles {@code data} as a .pt archive's {@code data.pkl}. */
    public static Object load(byte[] data) {
        return Unpickler.load("fuzz input", data);
    }
}
