package dev.sedge.train;

import ai.djl.engine.Engine;
import java.lang.reflect.Method;

/**
 * Turns autograd recording off on the calling thread, so that evaluation, snapshots and checkpoint
 * reads build no graph.
 *
 * <p>PyTorch's grad mode is per thread and on by default; DJL turns it off only on the thread that
 * loads the engine, and its gradient collector restores whatever the thread had before. A trainer
 * running on another thread would otherwise evaluate with recording on (correct values, wasted time
 * and memory). DJL's public API has no switch, so this calls the PyTorch engine's own
 * {@code JniUtils.setGradMode(false)} reflectively (the engine is an automatic module: its packages
 * are open); for another engine, or if the method is not there, it does nothing.
 */
final class GradMode {

    private static final String PYTORCH_JNI = "ai.djl.pytorch.jni.JniUtils";

    private GradMode() {
    }

    /**
     * Turns recording off on this thread.
     *
     * @return whether it could (false for engines other than PyTorch)
     */
    static boolean off(Engine engine) {
        if (!"PyTorch".equals(engine.getEngineName())) {
            return false;
        }
        try {
            Class<?> jni = Class.forName(PYTORCH_JNI, true, engine.getClass().getClassLoader());
            Method set = jni.getMethod("setGradMode", boolean.class);
            set.invoke(null, false);
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }
}
