package dev.sedge.api.task;

/**
 * One output of a task: a classification over {@code classes} labels. A multitask has one head
 * per operation. In a sequence task ({@link TaskData#targetSpec()}) the classification is made at
 * every target position, over the same classes.
 *
 * @param name    lower-kebab-case; the task's name for a single-head task
 * @param classes number of classes (p for mod-p arithmetic; 13 depths for Dyck-1; for a decoder,
 *                its symbols with its begin and end classes)
 */
public record Head(String name, int classes) {

    public Head {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("head name must not be blank");
        }
        if (classes < 2) {
            throw new IllegalArgumentException("head " + name + " needs >= 2 classes, found " + classes);
        }
    }
}
