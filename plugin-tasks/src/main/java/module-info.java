/** Built-in sedge plugins: tasks. Exports nothing; provides services. */
module dev.sedge.tasks {
    requires dev.sedge.api;
}
