package dev.sedge.core.run;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Where a forked run branched off ({@code sedge train --fork}): its steps up to {@code step} are the
 * parent's, made with the parent's configuration; after it, its own configuration applies. What changed is
 * {@code changed}: each key the fork set differently, with the parent's value (absent there: the
 * empty string), so the configuration of the shared prefix is the run's own with these values put back.
 *
 * @param parent            the parent run directory, absolute
 * @param step              the parent's checkpoint the fork continues from
 * @param changed           key to the parent's value, for every key whose value the fork changed; copied, sorted
 * @param spectrumRestarted whether the live spectrum started again at {@code step} (the parent's snapshots
 *                          before it were neither kept nor in parameter files): spectrum.csv then has no window
 *                          ending in the W snapshot intervals after it
 */
public record ForkOrigin(String parent, long step, SortedMap<String, String> changed, boolean spectrumRestarted) {

    public ForkOrigin {
        Objects.requireNonNull(parent, "parent");
        if (step < 0) {
            throw new IllegalArgumentException("step must be >= 0, found " + step);
        }
        changed = Collections.unmodifiableSortedMap(new TreeMap<>(changed));
    }

    /** The fork of {@code parent} at {@code step} from configuration {@code before} to {@code after}. */
    public static ForkOrigin of(String parent, long step, Map<String, String> before, Map<String, String> after) {
        SortedMap<String, String> changed = new TreeMap<>();
        for (Map.Entry<String, String> e : after.entrySet()) {
            String old = before.getOrDefault(e.getKey(), "");
            if (!old.equals(e.getValue())) {
                changed.put(e.getKey(), old);
            }
        }
        before.keySet().stream().filter(k -> !after.containsKey(k)).forEach(k -> changed.put(k, before.get(k)));
        return new ForkOrigin(parent, step, changed, false);
    }

    /** This fork, its live spectrum started again at the step. */
    public ForkOrigin restartingSpectrum() {
        return new ForkOrigin(parent, step, changed, true);
    }
}
