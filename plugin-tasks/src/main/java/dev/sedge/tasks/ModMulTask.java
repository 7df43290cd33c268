package dev.sedge.tasks;

/** The {@code mod-mul} task; see {@link ModularTask}. */
public final class ModMulTask extends ModularTask {

    public ModMulTask() {
        super(ModularOperation.MUL);
    }
}
