package dev.sedge.tasks;

/** The {@code mod-x2y2} task; see {@link ModularTask}. */
public final class ModX2y2Task extends ModularTask {

    public ModX2y2Task() {
        super(ModularOperation.X2Y2);
    }
}
