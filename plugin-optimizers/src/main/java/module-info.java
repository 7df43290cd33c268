/** Built-in sedge plugins: optimizers. Exports nothing; provides services. */
module dev.sedge.optimizers {
    requires dev.sedge.api;
}
