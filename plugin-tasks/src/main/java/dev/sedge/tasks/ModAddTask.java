package dev.sedge.tasks;

/** The {@code mod-add} task; see {@link ModularTask}. */
public final class ModAddTask extends ModularTask {

    public ModAddTask() {
        super(ModularOperation.ADD);
    }
}
