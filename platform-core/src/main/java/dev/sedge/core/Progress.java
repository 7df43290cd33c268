package dev.sedge.core;

/**
 * Where long work reports how far it got. The command line draws a bar on stderr; tests and
 * libraries pass {@link #NONE}. Called from the working thread; implementations must be cheap.
 */
@FunctionalInterface
public interface Progress {

    /** Reports nothing. */
    Progress NONE = (done, total, detail) -> { };

    /**
     * @param done   units finished so far
     * @param total  units in all, or −1 if unknown
     * @param detail a short note on the current unit ({@code step 1200}), never null
     */
    void update(long done, long total, String detail);
}
