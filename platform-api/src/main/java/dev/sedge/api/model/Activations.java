package dev.sedge.api.model;

/**
 * The activations of a batch of inputs at one output of a {@link ModelFunction}: {@code rows} ×
 * {@code width} floats, row-major, row i the input i of the batch. The array is the caller's after it
 * is handed out.
 */
public final class Activations {

    private final int rows;
    private final int width;
    private final float[] values;

    /**
     * @param values row-major; kept, not copied
     * @throws IllegalArgumentException if {@code values} does not hold {@code rows × width} floats
     */
    public Activations(int rows, int width, float[] values) {
        if (rows < 0 || width < 0 || (long) rows * width != values.length) {
            throw new IllegalArgumentException(rows + " x " + width + " activations, found " + values.length);
        }
        this.rows = rows;
        this.width = width;
        this.values = values;
    }

    /** n, the inputs. */
    public int rows() {
        return rows;
    }

    /** K, the activations per input. */
    public int width() {
        return width;
    }

    /** The values, row-major; not a copy. */
    public float[] values() {
        return values;
    }
}
