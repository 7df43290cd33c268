package dev.sedge.core.train;

/**
 * Hidden activations of a split at one probe point: {@code rows} × {@code width} floats, row-major,
 * row i the example i of the split. The array is the caller's after it is handed out.
 */
public final class Activations {

    private final int rows;
    private final int width;
    private final float[] values;

    Activations(int rows, int width, float[] values) {
        if ((long) rows * width != values.length) {
            throw new IllegalArgumentException(rows + " x " + width + " activations, found " + values.length);
        }
        this.rows = rows;
        this.width = width;
        this.values = values;
    }

    /** n, the examples. */
    public int rows() {
        return rows;
    }

    /** K, the activations per example. */
    public int width() {
        return width;
    }

    /** The values, row-major; not a copy. */
    public float[] values() {
        return values;
    }
}
