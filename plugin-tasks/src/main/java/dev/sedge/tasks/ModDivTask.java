package dev.sedge.tasks;

/** The {@code mod-div} task; see {@link ModularTask}. */
public final class ModDivTask extends ModularTask {

    public ModDivTask() {
        super(ModularOperation.DIV);
    }
}
