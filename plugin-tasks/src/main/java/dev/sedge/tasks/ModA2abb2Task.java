package dev.sedge.tasks;

/** The {@code mod-a2abb2} task; see {@link ModularTask}. */
public final class ModA2abb2Task extends ModularTask {

    public ModA2abb2Task() {
        super(ModularOperation.A2ABB2);
    }
}
